package io.portcullis.scanner.spam;

import io.portcullis.contracts.events.SpamModelUpdated;
import io.portcullis.spam.LearnedCounts;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * Builds SpamModelUpdated records the way policy-service's learner does: per judgement the message's distinct token
 * hashes, +1 under the new label and -1 under the old one on a reversal.
 */
final class LearnedUpdates {
    private final String tenant;
    private long sequence;

    LearnedUpdates(String tenant) {
        this.tenant = tenant;
    }

    SpamModelUpdated learn(String messageId, byte[] raw, boolean spam) {
        return update(messageId, LearnedCounts.deltas(LearnedCounts.tokenHashes(raw), spam, +1), spam ? 1 : 0,
                spam ? 0 : 1);
    }

    /** Unlearn {@code wasSpam}, learn the other label. */
    SpamModelUpdated reverse(String messageId, byte[] raw, boolean wasSpam) {
        List<SpamModelUpdated.TokenDelta> tokens = new ArrayList<>();
        for (long h : LearnedCounts.tokenHashes(raw)) {
            tokens.add(new SpamModelUpdated.TokenDelta(h, wasSpam ? -1 : 1, wasSpam ? 1 : -1));
        }
        sequence++;
        return new SpamModelUpdated(tenant, sequence, Instant.EPOCH, "f-" + sequence, messageId, wasSpam ? -1 : 1,
                wasSpam ? 1 : -1, tokens);
    }

    private SpamModelUpdated update(String messageId, List<LearnedCounts.TokenDelta> deltas, int spam, int ham) {
        sequence++;
        return new SpamModelUpdated(tenant, sequence, Instant.EPOCH, "f-" + sequence, messageId, spam, ham,
                deltas.stream().map(d -> new SpamModelUpdated.TokenDelta(d.hash(), d.spam(), d.ham())).toList());
    }
}
