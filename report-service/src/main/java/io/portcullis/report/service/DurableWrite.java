package io.portcullis.report.service;

import io.portcullis.report.config.ReportConfig;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.time.Duration;
import org.jboss.logging.Logger;

/**
 * Runs a write until it succeeds or fails for good. Transient failures (see {@link FailureClassifier}) are
 * retried with exponential back-off up to {@code portcullis.report.consumer.max-backoff}, holding the record
 * (and its partition) until the database is back; permanent failures are thrown at once so the consumer nacks
 * the record to the dead-letter topic.
 */
@ApplicationScoped
public class DurableWrite {
    private static final Logger LOG = Logger.getLogger(DurableWrite.class);

    /** How the wait between attempts is spent; replaced in tests. */
    @FunctionalInterface
    public interface Sleeper {
        void sleep(Duration duration) throws InterruptedException;
    }

    private final Duration initialBackoff;
    private final Duration maxBackoff;
    private final Sleeper sleeper;

    @Inject
    public DurableWrite(ReportConfig config) {
        this(config.consumer().initialBackoff(), config.consumer().maxBackoff(), d -> Thread.sleep(d.toMillis()));
    }

    public DurableWrite(Duration initialBackoff, Duration maxBackoff, Sleeper sleeper) {
        this.initialBackoff = initialBackoff;
        this.maxBackoff = maxBackoff;
        this.sleeper = sleeper;
    }

    /**
     * @throws RuntimeException the write's permanent failure, or its last failure when the thread is interrupted
     *                          (shutdown); either way the record is nacked, never acked unwritten
     */
    public void run(String messageId, Runnable write) {
        Duration wait = initialBackoff;
        for (int attempt = 1; ; attempt++) {
            try {
                write.run();
                if (attempt > 1) {
                    LOG.infof("message %s written after %d attempts", messageId, attempt);
                }
                return;
            } catch (RuntimeException e) {
                if (FailureClassifier.isPermanent(e)) {
                    throw e;
                }
                LOG.warnf("message %s: write failed (attempt %d), retrying in %s: %s", messageId, attempt, wait,
                        e.getClass().getSimpleName());
                try {
                    sleeper.sleep(wait);
                } catch (InterruptedException interrupted) {
                    Thread.currentThread().interrupt();
                    throw e;
                }
                wait = wait.multipliedBy(2).compareTo(maxBackoff) > 0 ? maxBackoff : wait.multipliedBy(2);
            }
        }
    }
}
