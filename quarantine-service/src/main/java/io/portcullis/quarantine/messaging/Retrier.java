package io.portcullis.quarantine.messaging;

import io.portcullis.quarantine.config.QuarantineConfig;
import io.portcullis.quarantine.service.PermanentFailure;
import io.quarkus.runtime.ShutdownEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import java.time.Duration;
import java.util.function.Supplier;
import org.hibernate.exception.DataException;
import org.jboss.logging.Logger;

/**
 * Runs a consumer's effect until it succeeds, pausing with exponential backoff after transient failures (S3, the
 * database or Kafka unavailable). The record stays unacknowledged meanwhile, so its offset is not committed: a
 * failure never turns into "done" and never drops the message. {@link PermanentFailure}s (and database data errors)
 * are not retried; they go back to the caller for the dead-letter topic.
 */
@ApplicationScoped
public class Retrier {
    private static final Logger LOG = Logger.getLogger(Retrier.class);

    /** Pauses between attempts; replaceable in tests. */
    @FunctionalInterface
    public interface Sleeper {
        void sleep(Duration duration) throws InterruptedException;
    }

    /** The application is stopping; the record must stay unacknowledged. */
    public static class Aborted extends RuntimeException {
        Aborted(String message, Throwable cause) {
            super(message, cause);
        }
    }

    private final Duration initialBackoff;
    private final Duration maxBackoff;
    private final Sleeper sleeper;
    private volatile boolean running = true;

    @Inject
    public Retrier(QuarantineConfig config) {
        this(config.retry().initialBackoff(), config.retry().maxBackoff(), d -> Thread.sleep(d.toMillis()));
    }

    Retrier(Duration initialBackoff, Duration maxBackoff, Sleeper sleeper) {
        this.initialBackoff = initialBackoff;
        this.maxBackoff = maxBackoff;
        this.sleeper = sleeper;
    }

    void onStop(@Observes ShutdownEvent event) {
        running = false;
    }

    void stop() {
        running = false;
    }

    /**
     * @throws PermanentFailure when the effect can never succeed
     * @throws Aborted          when the application stops while retrying
     */
    public <T> T untilDone(String what, String messageId, Supplier<T> effect) {
        Duration backoff = initialBackoff;
        for (int attempt = 1; ; attempt++) {
            try {
                return effect.get();
            } catch (PermanentFailure e) {
                throw e;
            } catch (RuntimeException e) {
                if (isDataError(e)) {
                    throw new PermanentFailure(what + " of message " + messageId + " was refused by the database", e);
                }
                if (!running) {
                    throw new Aborted("stopping; " + what + " of message " + messageId + " left unacknowledged", e);
                }
                LOG.warnf("%s of message %s failed (attempt %d), retrying in %d ms: %s", what, messageId, attempt,
                        backoff.toMillis(), e.toString());
                try {
                    sleeper.sleep(backoff);
                } catch (InterruptedException ie) {
                    Thread.currentThread().interrupt();
                    throw new Aborted("interrupted; " + what + " of message " + messageId + " left unacknowledged", e);
                }
                backoff = backoff.multipliedBy(2).compareTo(maxBackoff) > 0 ? maxBackoff : backoff.multipliedBy(2);
            }
        }
    }

    private static boolean isDataError(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (t instanceof DataException) {
                return true;
            }
        }
        return false;
    }
}
