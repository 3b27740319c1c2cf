package io.portcullis.report.service;

import java.time.Instant;

/**
 * The tracked state of a message: the state of its latest event by event time. Events come on three topics and
 * may arrive in any order, so a state only replaces another when its event is newer; at the same instant the
 * later stage of the pipeline wins ({@link #stage}), which makes the result independent of arrival order.
 */
public enum MessageState {
    SCANNED(0), DEFERRED(1), DELIVERED(2), FAILED(2), DROPPED(2), QUARANTINED(2), RELEASED(3), DELETED(4);

    private final int stage;

    MessageState(int stage) {
        this.stage = stage;
    }

    /**
     * Whether {@code next} (at {@code nextAt}) replaces the stored state. Ties on time and stage go to the
     * higher ordinal, so two events at the same instant end the same whichever came first.
     */
    public static boolean supersedes(MessageState next, Instant nextAt, MessageState current, Instant currentAt) {
        if (current == null || currentAt == null) {
            return true;
        }
        int byTime = nextAt.compareTo(currentAt);
        if (byTime != 0) {
            return byTime > 0;
        }
        if (next.stage != current.stage) {
            return next.stage > current.stage;
        }
        return next.ordinal() >= current.ordinal();
    }

    /** The stored state, or null for null or a name this version does not know. */
    public static MessageState parse(String stored) {
        if (stored == null) {
            return null;
        }
        for (MessageState s : values()) {
            if (s.name().equals(stored)) {
                return s;
            }
        }
        return null;
    }
}
