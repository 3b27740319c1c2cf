package io.portcullis.edge.delivery;

import java.time.Duration;
import java.util.Objects;

/**
 * Exponential backoff for temporary failures: the delay after attempt n is {@code initialDelay * 2^(n-1)},
 * capped at {@code maxDelay}; at most {@code maxAttempts} attempts in all.
 */
public record RetryPolicy(Duration initialDelay, Duration maxDelay, int maxAttempts) {

    public RetryPolicy {
        Objects.requireNonNull(initialDelay, "initialDelay");
        Objects.requireNonNull(maxDelay, "maxDelay");
        if (initialDelay.isNegative() || initialDelay.isZero()) {
            throw new IllegalArgumentException("portcullis.delivery.retry-initial-delay must be positive");
        }
        if (maxDelay.compareTo(initialDelay) < 0) {
            throw new IllegalArgumentException("portcullis.delivery.retry-max-delay must be >= retry-initial-delay");
        }
        if (maxAttempts < 1) {
            throw new IllegalArgumentException("portcullis.delivery.max-attempts must be at least 1");
        }
    }

    /** The wait after the given (1-based) failed attempt before the next one. */
    public Duration delayAfter(int attempt) {
        if (attempt < 1) {
            throw new IllegalArgumentException("attempt is 1-based");
        }
        Duration delay = initialDelay;
        for (int i = 1; i < attempt && delay.compareTo(maxDelay) < 0; i++) {
            delay = delay.multipliedBy(2);
        }
        return delay.compareTo(maxDelay) > 0 ? maxDelay : delay;
    }

    /** Whether another attempt may follow the given (1-based) attempt. */
    public boolean mayRetryAfter(int attempt) {
        return attempt < maxAttempts;
    }

    /** The longest a message can stay in retries (delays only, not the attempts themselves). */
    public Duration totalDelay() {
        Duration total = Duration.ZERO;
        for (int i = 1; i < maxAttempts; i++) {
            total = total.plus(delayAfter(i));
        }
        return total;
    }
}
