package io.portcullis.policy.messaging;

import io.portcullis.policy.config.PolicyConfig;
import io.portcullis.policy.spam.Judgement;
import io.portcullis.policy.spam.LearnFailure;
import io.portcullis.policy.spam.SpamLearner;
import io.quarkus.runtime.ShutdownEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.function.Supplier;
import org.eclipse.microprofile.reactive.messaging.Message;
import org.jboss.logging.Logger;

/**
 * Runs a learner effect until it succeeds, pausing with exponential backoff after transient failures (S3 or
 * PostgreSQL unavailable). The record stays unacknowledged meanwhile, so its offset is not committed and nothing is
 * lost. A {@link LearnFailure} is not retried: it goes back to the consumer for the dead-letter topic.
 */
@ApplicationScoped
public class LearnRetrier {
    private static final Logger LOG = Logger.getLogger(LearnRetrier.class);

    /** The application is stopping; the record must stay unacknowledged. */
    public static class Aborted extends RuntimeException {
        Aborted(String message, Throwable cause) {
            super(message, cause);
        }
    }

    /** Pauses between attempts; replaceable in tests. */
    @FunctionalInterface
    public interface Sleeper {
        void sleep(Duration duration) throws InterruptedException;
    }

    private final Duration initialBackoff;
    private final Duration maxBackoff;
    private final Sleeper sleeper;
    private volatile boolean running = true;

    @Inject
    public LearnRetrier(PolicyConfig config) {
        this(config.spamLearning().retryBackoff(), config.spamLearning().maxBackoff(),
                d -> Thread.sleep(d.toMillis()));
    }

    LearnRetrier(Duration initialBackoff, Duration maxBackoff, Sleeper sleeper) {
        if (initialBackoff.isNegative() || initialBackoff.isZero() || maxBackoff.compareTo(initialBackoff) < 0) {
            throw new IllegalArgumentException("portcullis.policy.spam-learning.retry-backoff must be positive and "
                    + "at most max-backoff");
        }
        this.initialBackoff = initialBackoff;
        this.maxBackoff = maxBackoff;
        this.sleeper = sleeper;
    }

    void onStop(@Observes ShutdownEvent event) {
        running = false;
    }

    /**
     * @throws LearnFailure when the effect can never succeed
     * @throws Aborted      when the application stops while retrying
     */
    public <T> T untilDone(String messageId, Supplier<T> effect) {
        Duration backoff = initialBackoff;
        for (int attempt = 1; ; attempt++) {
            try {
                return effect.get();
            } catch (LearnFailure e) {
                throw e;
            } catch (RuntimeException e) {
                if (!running) {
                    throw new Aborted("stopping; learning of message " + messageId + " left unacknowledged", e);
                }
                LOG.warnf("spam learning of message %s failed (attempt %d), retrying in %d ms: %s", messageId,
                        attempt, backoff.toMillis(), e.toString());
                try {
                    sleeper.sleep(backoff);
                } catch (InterruptedException ie) {
                    Thread.currentThread().interrupt();
                    throw new Aborted("interrupted; learning of message " + messageId + " left unacknowledged", e);
                }
                backoff = backoff.multipliedBy(2).compareTo(maxBackoff) > 0 ? maxBackoff : backoff.multipliedBy(2);
            }
        }
    }

    /**
     * Learns a judgement (transient failures retried by {@link #untilDone}), then acknowledges the record. A message
     * that can never be learned is nacked to the dead-letter topic; a stop while retrying leaves the record
     * unacknowledged (its offset stays uncommitted).
     *
     * @param what how the logs name the judgement, e.g. {@code feedback F on message M}
     */
    public CompletionStage<Void> learnThenAck(Message<?> message, SpamLearner learner, Judgement judgement,
            String what) {
        try {
            untilDone(judgement.messageId(), () -> learner.learn(judgement.messageId(), judgement));
            return message.ack();
        } catch (LearnFailure e) {
            LOG.warnf("%s cannot be learned, sent to the dead-letter topic: %s", what, e.getMessage());
            return message.nack(e);
        } catch (Aborted e) {
            LOG.warnf("%s", e.getMessage());
            return new CompletableFuture<>(); // neither ack nor nack: the offset stays uncommitted
        }
    }
}
