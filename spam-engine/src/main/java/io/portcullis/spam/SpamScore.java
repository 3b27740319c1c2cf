package io.portcullis.spam;

import java.util.List;

/**
 * Result of scoring one message.
 *
 * @param probability spam probability in [0, 1]
 * @param spam whether the probability is above the model's tuned cutoff
 * @param tokens the tokens that contributed most, strongest first (for symbols)
 */
public record SpamScore(double probability, boolean spam, List<Contribution> tokens) {

    /**
     * One token's evidence.
     *
     * @param token the token as produced by {@link Tokenizer}
     * @param spamProbability the token's smoothed spam probability f(w)
     */
    public record Contribution(String token, double spamProbability) {
    }

    public SpamScore {
        tokens = List.copyOf(tokens);
    }
}
