package io.portcullis.quarantine.service;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import org.junit.jupiter.api.Test;

class PendingTransitionsTest {
    private Instant now = Instant.parse("2026-01-01T00:00:00Z");
    private final Clock clock = new Clock() {
        @Override
        public ZoneOffset getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(java.time.ZoneId zone) {
            return this;
        }

        @Override
        public Instant instant() {
            return now;
        }
    };
    private final PendingTransitions pending = new PendingTransitions(Duration.ofMinutes(5), clock);

    @Test
    void secondRequestIsRefusedWhileTheFirstIsPending() {
        assertTrue(pending.tryBegin("m"));
        assertFalse(pending.tryBegin("m"));
        assertTrue(pending.tryBegin("other"));
    }

    @Test
    void endingOrExpiringFreesTheMessage() {
        assertTrue(pending.tryBegin("m"));
        pending.end("m");
        assertTrue(pending.tryBegin("m"));
        now = now.plus(Duration.ofMinutes(5));
        assertTrue(pending.tryBegin("m"), "an entry never applied expires after the TTL");
    }
}
