package io.portcullis.quarantine.service;

import io.portcullis.quarantine.config.QuarantineConfig;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;

/**
 * Release and delete are published as events and applied later by the state consumer. Between the two, this
 * remembers (per instance) that a transition was requested, so a double click does not publish two RELEASED
 * events. Entries end when the state consumer applies the event, when publishing fails, or after a TTL.
 */
@ApplicationScoped
public class PendingTransitions {
    private final ConcurrentMap<String, Instant> pending = new ConcurrentHashMap<>();
    private final Duration ttl;
    private final Clock clock;

    @Inject
    public PendingTransitions(QuarantineConfig config) {
        this(config.pendingTtl(), Clock.systemUTC());
    }

    PendingTransitions(Duration ttl, Clock clock) {
        this.ttl = ttl;
        this.clock = clock;
    }

    /** @return true when no other transition for this message is pending here; the caller now owns it */
    public boolean tryBegin(String messageId) {
        Instant now = clock.instant();
        Instant until = now.plus(ttl);
        boolean[] began = {false};
        pending.compute(messageId, (id, existing) -> {
            if (existing == null || !existing.isAfter(now)) {
                began[0] = true;
                return until;
            }
            return existing;
        });
        return began[0];
    }

    public void end(String messageId) {
        pending.remove(messageId);
    }

    /** The key of one recipient of one item. */
    public static String key(String itemId, String canonicalAddress) {
        return itemId + "\n" + canonicalAddress;
    }
}
