package io.portcullis.spam;

import java.util.List;

/**
 * Result of scoring one message.
 *
 * @param probability spam probability in [0, 1]
 * @param spam whether the probability is above the model's tuned cutoff
 * @param tokens the tokens that contributed most, strongest first (for symbols)
 * @param partial whether only part of the message was looked at (size, part, depth or token limit, or MIME that did
 *     not parse and was read as raw text): an engine should report this as a limit symbol, not as a clean result
 */
public record SpamScore(double probability, boolean spam, List<Contribution> tokens, boolean partial) {

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
