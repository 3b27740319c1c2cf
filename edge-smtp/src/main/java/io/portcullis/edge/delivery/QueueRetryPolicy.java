package io.portcullis.edge.delivery;

import java.time.Duration;
import java.time.Instant;
import java.util.Objects;

/**
 * The durable retry queue's schedule: the n-th queued retry waits {@code initialDelay * 2^(n-1)}, capped at
 * {@code maxDelay}, and a message is given up (FAILED, DSN) once {@code maxLifetime} has passed since its first
 * attempt (RFC 5321 section 4.5.4.1 suggests 4-5 days).
 */
public record QueueRetryPolicy(Duration initialDelay, Duration maxDelay, Duration maxLifetime) {

    public QueueRetryPolicy {
        Objects.requireNonNull(initialDelay, "initialDelay");
        Objects.requireNonNull(maxDelay, "maxDelay");
        Objects.requireNonNull(maxLifetime, "maxLifetime");
        if (initialDelay.isNegative() || initialDelay.isZero()) {
            throw new IllegalArgumentException("portcullis.delivery.queue-retry-initial-delay must be positive");
        }
        if (maxDelay.compareTo(initialDelay) < 0) {
            throw new IllegalArgumentException(
                    "portcullis.delivery.queue-retry-max-delay must be >= queue-retry-initial-delay");
        }
        if (maxLifetime.isNegative() || maxLifetime.isZero()) {
            throw new IllegalArgumentException("portcullis.delivery.max-queue-lifetime must be positive");
        }
    }

    /** The wait before the given (1-based) queued retry. */
    public Duration delayBefore(int round) {
        if (round < 1) {
            throw new IllegalArgumentException("round is 1-based");
        }
        Duration delay = initialDelay;
        for (int i = 1; i < round && delay.compareTo(maxDelay) < 0; i++) {
            delay = delay.multipliedBy(2);
        }
        return delay.compareTo(maxDelay) > 0 ? maxDelay : delay;
    }

    /** Whether a message first attempted at {@code firstAttemptAt} has outlived the queue at {@code now}. */
    public boolean expired(Instant firstAttemptAt, Instant now) {
        return !now.isBefore(expiry(firstAttemptAt));
    }

    /** When a message first attempted at {@code firstAttemptAt} is given up. */
    public Instant expiry(Instant firstAttemptAt) {
        return firstAttemptAt.plus(maxLifetime);
    }

    /**
     * When the next queued attempt may run: {@code now} plus the round's delay, but never after the expiry, so the
     * last attempt happens when the lifetime ends rather than up to one max delay later.
     */
    public Instant notBefore(int round, Instant firstAttemptAt, Instant now) {
        Instant next = now.plus(delayBefore(round));
        Instant expiry = expiry(firstAttemptAt);
        return next.isAfter(expiry) ? expiry : next;
    }
}
