package io.portcullis.edge.delivery;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class QueueRetryPolicyTest {

    private final QueueRetryPolicy policy = new QueueRetryPolicy(Duration.ofMinutes(5), Duration.ofHours(1),
            Duration.ofDays(5));
    private final Instant first = Instant.parse("2026-01-01T00:00:00Z");

    @Test
    void delaysDoubleFromTheInitialDelayUpToTheCap() {
        assertEquals(Duration.ofMinutes(5), policy.delayBefore(1));
        assertEquals(Duration.ofMinutes(10), policy.delayBefore(2));
        assertEquals(Duration.ofMinutes(20), policy.delayBefore(3));
        assertEquals(Duration.ofMinutes(40), policy.delayBefore(4));
        assertEquals(Duration.ofHours(1), policy.delayBefore(5));
        assertEquals(Duration.ofHours(1), policy.delayBefore(500));
        assertThrows(IllegalArgumentException.class, () -> policy.delayBefore(0));
    }

    @Test
    void expiresExactlyWhenTheLifetimeHasPassedSinceTheFirstAttempt() {
        assertFalse(policy.expired(first, first.plus(Duration.ofDays(5)).minusMillis(1)));
        assertTrue(policy.expired(first, first.plus(Duration.ofDays(5))));
    }

    @Test
    void nextAttemptIsNeverScheduledAfterTheExpiry() {
        Instant now = first.plus(Duration.ofDays(5)).minus(Duration.ofMinutes(10));
        assertEquals(first.plus(Duration.ofDays(5)), policy.notBefore(10, first, now));
        assertEquals(first.plusSeconds(600), policy.notBefore(1, first, first.plusSeconds(300)));
    }

    @Test
    void rejectsNonPositiveDurationsAndACapBelowTheInitialDelay() {
        assertThrows(IllegalArgumentException.class,
                () -> new QueueRetryPolicy(Duration.ZERO, Duration.ofHours(1), Duration.ofDays(5)));
        assertThrows(IllegalArgumentException.class,
                () -> new QueueRetryPolicy(Duration.ofMinutes(-1), Duration.ofHours(1), Duration.ofDays(5)));
        assertThrows(IllegalArgumentException.class,
                () -> new QueueRetryPolicy(Duration.ofHours(2), Duration.ofHours(1), Duration.ofDays(5)));
        assertThrows(IllegalArgumentException.class,
                () -> new QueueRetryPolicy(Duration.ofMinutes(5), Duration.ofHours(1), Duration.ZERO));
    }
}
