package io.portcullis.scanner.release;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

class ReleaseDedupeTest {

    /** A clock the test moves. */
    static final class MovableClock extends Clock {
        final AtomicReference<Instant> now = new AtomicReference<>(Instant.parse("2026-01-01T00:00:00Z"));

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
            return now.get();
        }
    }

    @Test
    void secondClaimAfterSuccessIsDone() {
        ReleaseDedupe d = new ReleaseDedupe(10, Duration.ofHours(1), Clock.systemUTC());
        assertInstanceOf(ReleaseDedupe.Fresh.class, d.claim("A.r1"));
        d.succeeded("A.r1");
        assertInstanceOf(ReleaseDedupe.Done.class, d.claim("A.r1"));
    }

    @Test
    void duplicateWhileInFlightWaitsForTheFirstOutcome() {
        ReleaseDedupe d = new ReleaseDedupe(10, Duration.ofHours(1), Clock.systemUTC());
        d.claim("A.r1");
        ReleaseDedupe.InFlight dup = assertInstanceOf(ReleaseDedupe.InFlight.class, d.claim("A.r1"));
        assertFalse(dup.outcome().isDone());
        d.succeeded("A.r1");
        assertTrue(dup.outcome().isDone() && !dup.outcome().isCompletedExceptionally());
    }

    @Test
    void failureIsForgottenSoARedeliveryTriesAgainAndWaitersFail() {
        ReleaseDedupe d = new ReleaseDedupe(10, Duration.ofHours(1), Clock.systemUTC());
        d.claim("A.r1");
        ReleaseDedupe.InFlight dup = (ReleaseDedupe.InFlight) d.claim("A.r1");
        d.failed("A.r1", new RuntimeException("kafka down"));
        assertTrue(dup.outcome().isCompletedExceptionally());
        assertInstanceOf(ReleaseDedupe.Fresh.class, d.claim("A.r1"));
    }

    @Test
    void finishedEntriesExpireAfterTheTtl() {
        MovableClock clock = new MovableClock();
        ReleaseDedupe d = new ReleaseDedupe(10, Duration.ofMinutes(5), clock);
        d.claim("A.r1");
        d.succeeded("A.r1");
        clock.now.set(clock.now.get().plus(Duration.ofMinutes(6)));
        assertInstanceOf(ReleaseDedupe.Fresh.class, d.claim("A.r1"));
    }

    @Test
    void oldestFinishedEntriesAreEvictedBeyondTheLimitButNotInFlightOnes() {
        ReleaseDedupe d = new ReleaseDedupe(2, Duration.ofHours(1), Clock.systemUTC());
        d.claim("inflight");
        d.claim("A");
        d.succeeded("A");
        d.claim("B");
        d.succeeded("B");
        d.claim("C");
        d.succeeded("C");
        assertEquals(2, d.size());
        assertInstanceOf(ReleaseDedupe.InFlight.class, d.claim("inflight"));
        assertInstanceOf(ReleaseDedupe.Done.class, d.claim("C"));
    }
}
