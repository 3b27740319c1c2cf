package io.portcullis.contracts.events;

import java.time.Instant;
import java.util.List;

/**
 * One learned judgement as token count changes, published by the spam learner (policy-service, outbox) on
 * {@link Topics#SPAM_MODEL}, keyed by tenant. Every scanner adds these deltas to the shipped model in sequence order,
 * so every scanner ends up with the same model. Sequences are per tenant and have no gaps; a scanner that sees a gap
 * (or starts) fetches the tenant's learned counts whole from policy-service.
 *
 * @param tenant           tenant whose model changes
 * @param sequence         1, 2, 3, ... per tenant
 * @param at               when it was learned
 * @param feedbackId       the judgement learned
 * @param messageId        the message learned
 * @param spamMessagesDelta change of the number of spam messages learned (+1, or -1 when a judgement is reversed)
 * @param hamMessagesDelta  change of the number of ham messages learned
 * @param tokens           per token hash (spam-engine's {@code TokenHash}) the change of its spam and ham counts
 */
public record SpamModelUpdated(String tenant, long sequence, Instant at, String feedbackId, String messageId,
        int spamMessagesDelta, int hamMessagesDelta, List<TokenDelta> tokens) {
    public SpamModelUpdated {
        tokens = tokens == null ? List.of() : List.copyOf(tokens);
    }

    /** Count changes of one token. */
    public record TokenDelta(long hash, int spam, int ham) {
    }
}
