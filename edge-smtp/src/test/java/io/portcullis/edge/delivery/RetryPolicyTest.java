package io.portcullis.edge.delivery;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class RetryPolicyTest {

    @Test
    void delaysDoubleUpToTheMaximum() {
        RetryPolicy p = new RetryPolicy(Duration.ofSeconds(2), Duration.ofSeconds(60), 10);
        assertEquals(Duration.ofSeconds(2), p.delayAfter(1));
        assertEquals(Duration.ofSeconds(4), p.delayAfter(2));
        assertEquals(Duration.ofSeconds(32), p.delayAfter(5));
        assertEquals(Duration.ofSeconds(60), p.delayAfter(6));
        assertEquals(Duration.ofSeconds(60), p.delayAfter(1000), "no overflow for large attempt numbers");
    }

    @Test
    void countsAttempts() {
        RetryPolicy p = new RetryPolicy(Duration.ofSeconds(2), Duration.ofSeconds(60), 3);
        assertTrue(p.mayRetryAfter(2));
        assertFalse(p.mayRetryAfter(3));
        assertEquals(Duration.ofSeconds(6), p.totalDelay());
    }

    @Test
    void rejectsBadConfiguration() {
        assertThrows(IllegalArgumentException.class, () -> new RetryPolicy(Duration.ZERO, Duration.ofSeconds(1), 3));
        assertThrows(IllegalArgumentException.class,
                () -> new RetryPolicy(Duration.ofSeconds(5), Duration.ofSeconds(1), 3));
        assertThrows(IllegalArgumentException.class,
                () -> new RetryPolicy(Duration.ofSeconds(1), Duration.ofSeconds(1), 0));
    }
}
