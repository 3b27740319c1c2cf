package io.portcullis.edge.delivery;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import org.eclipse.microprofile.reactive.messaging.Message;
import org.jboss.logging.Logger;

/**
 * Lets a consumer work on many records at once without blocking its channel. SmallRye hands an {@code @Incoming}
 * method returning a {@link CompletionStage} the next record only when the previous stage completes; a delivery can
 * take minutes of retries, so the consumer does not return the delivery's stage. It {@link #track tracks} the
 * delivery here, which acknowledges (or nacks) the record when the outcome completes, and returns a stage that is
 * already complete while fewer than {@code max} records are in flight, or that completes when one finishes
 * (back-pressure, no thread blocked). Offsets are committed in order by the throttled commit strategy.
 */
final class InFlightWindow {
    private static final Logger LOG = Logger.getLogger(InFlightWindow.class);

    private final int max;
    private int inFlight;
    private CompletableFuture<Void> space;

    InFlightWindow(int max) {
        this(max, "portcullis.delivery.max-in-flight");
    }

    /** @param key the configuration key {@code max} comes from, for the start-up error */
    InFlightWindow(int max, String key) {
        if (max < 1) {
            throw new IllegalArgumentException(key + " must be at least 1");
        }
        this.max = max;
    }

    /**
     * @return complete when the consumer may take the next record
     */
    CompletionStage<Void> track(String messageId, Message<?> record, CompletionStage<?> outcome) {
        synchronized (this) {
            inFlight++;
        }
        outcome.whenComplete((ok, error) -> {
            if (error == null) {
                record.ack();
            } else {
                Throwable cause = unwrap(error);
                LOG.warnf("message %s: no durable delivery outcome, nacking its record (dead-letter topic): %s",
                        messageId, cause.toString());
                record.nack(cause);
            }
            release();
        });
        synchronized (this) {
            if (inFlight < max) {
                return CompletableFuture.completedFuture(null);
            }
            if (space == null) {
                space = new CompletableFuture<>();
            }
            return space;
        }
    }

    synchronized int inFlight() {
        return inFlight;
    }

    private void release() {
        CompletableFuture<Void> waiting = null;
        synchronized (this) {
            inFlight--;
            if (space != null && inFlight < max) {
                waiting = space;
                space = null;
            }
        }
        if (waiting != null) {
            waiting.complete(null);
        }
    }

    private static Throwable unwrap(Throwable t) {
        return t instanceof CompletionException && t.getCause() != null ? t.getCause() : t;
    }
}
