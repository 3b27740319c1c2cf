package io.portcullis.spam;

/**
 * Robinson-Fisher parameters, stored in the model file.
 *
 * @param s strength of the prior (Robinson's s)
 * @param x prior spam probability of an unknown token (Robinson's x)
 * @param minDev tokens with |f(w) - 0.5| at or below this are ignored
 * @param maxTokens at most this many most-deviating tokens enter the Fisher combination
 * @param spamCutoff a message is spam when its probability is above this
 */
public record BayesParams(double s, double x, double minDev, int maxTokens, double spamCutoff) {

    /** Chosen by 5-fold cross-validation on the TRAIN files ({@code SpamCli sweep}; see the module README). */
    public static final BayesParams DEFAULT = new BayesParams(0.45, 0.5, 0.0, 150, 0.9);
}
