package io.portcullis.spam;

/**
 * Robinson-Fisher parameters.
 *
 * @param s strength of the prior (Robinson's s)
 * @param x prior spam probability of an unknown token (Robinson's x)
 * @param minDev tokens with |f(w) - 0.5| at or below this are ignored
 * @param maxTokens at most this many most-deviating tokens enter the Fisher combination
 */
public record BayesParams(double s, double x, double minDev, int maxTokens) {

    /** Chosen by 5-fold cross-validation on the TRAIN files (see the module README). */
    public static final BayesParams DEFAULT = new BayesParams(0.45, 0.5, 0.1, 150);
}
