package io.portcullis.policy.messaging;

import io.portcullis.policy.config.PolicyConfig;
import io.smallrye.reactive.messaging.kafka.api.OutgoingKafkaRecordMetadata;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import org.eclipse.microprofile.reactive.messaging.Channel;
import org.eclipse.microprofile.reactive.messaging.Emitter;
import org.eclipse.microprofile.reactive.messaging.Message;
import org.eclipse.microprofile.reactive.messaging.Metadata;
import org.jboss.logging.Logger;

/**
 * Publishes outbox rows to Kafka in id order, one at a time: send, wait for the broker's acknowledgement, then
 * delete the row. A nack or a timeout stops the run and leaves the row (and every later one) in place for the
 * next run, so nothing is lost and order is kept. Delivery is at least once: a row whose ack was lost is sent
 * again; readers only refetch the snapshot, so a duplicate is harmless.
 *
 * <p>Only one pass runs at a time in this process. A request for a pass while one runs makes the running pass
 * look again before it ends, so no trigger is lost and rows are never published out of order by two passes.
 */
@ApplicationScoped
public class OutboxRelay {
    /** Channel name in application.properties (topic portcullis.policy.changed.v1). */
    public static final String CHANNEL = "policy-changed";
    private static final Logger LOG = Logger.getLogger(OutboxRelay.class);

    private final Emitter<byte[]> emitter;
    private final OutboxStore store;
    private final int batchSize;
    private final Duration ackTimeout;
    private final AtomicBoolean running = new AtomicBoolean();
    private final AtomicBoolean requested = new AtomicBoolean();

    public OutboxRelay(@Channel(CHANNEL) Emitter<byte[]> emitter, OutboxStore store, PolicyConfig config) {
        this.emitter = emitter;
        this.store = store;
        this.batchSize = config.outbox().batchSize();
        this.ackTimeout = config.outbox().ackTimeout();
        if (batchSize < 1 || batchSize > 10_000) {
            throw new IllegalArgumentException("portcullis.policy.outbox.batch-size must be 1..10000, is " + batchSize);
        }
        if (ackTimeout.isNegative() || ackTimeout.isZero()) {
            throw new IllegalArgumentException("portcullis.policy.outbox.ack-timeout must be positive");
        }
        if (config.tenant() == null || config.tenant().isBlank()) {
            throw new IllegalArgumentException("portcullis.policy.tenant must not be blank");
        }
        if (config.outbox().interval().isNegative() || config.outbox().interval().isZero()) {
            throw new IllegalArgumentException("portcullis.policy.outbox.interval must be positive");
        }
    }

    /** Rows read per round trip (also forces creation, and so the configuration check, of this bean). */
    public int batchSize() {
        return batchSize;
    }

    /**
     * Publishes pending rows until the outbox is empty or a publication fails. Returns at once (with 0) when
     * another pass is running; that pass then looks again before it ends.
     *
     * @return how many rows this call published and deleted
     */
    public int relayPending() {
        requested.set(true);
        int[] published = {0};
        while (requested.get() && running.compareAndSet(false, true)) {
            try {
                while (requested.getAndSet(false)) {
                    if (!drain(published)) {
                        return published[0]; // Kafka refused; the next scheduled pass retries
                    }
                }
            } finally {
                running.set(false);
            }
        }
        return published[0];
    }

    /** One pass over the outbox, counting into {@code published}; false when a publication failed. */
    private boolean drain(int[] published) {
        while (true) {
            List<OutboxStore.Pending> batch = store.oldest(batchSize);
            for (OutboxStore.Pending row : batch) {
                if (!publish(row)) {
                    return false;
                }
                store.delete(row.id());
                published[0]++;
            }
            if (batch.size() < batchSize) {
                return true;
            }
        }
    }

    private boolean publish(OutboxStore.Pending row) {
        CompletableFuture<Void> acked = new CompletableFuture<>();
        Message<byte[]> message = Message.of(row.payload(),
                Metadata.of(OutgoingKafkaRecordMetadata.<String>builder()
                        .withTopic(row.topic()).withKey(row.key()).build()),
                () -> {
                    acked.complete(null);
                    return CompletableFuture.completedFuture(null);
                },
                failure -> {
                    acked.completeExceptionally(failure);
                    return CompletableFuture.completedFuture(null);
                });
        try {
            emitter.send(message);
            acked.get(ackTimeout.toMillis(), TimeUnit.MILLISECONDS);
            LOG.debugf("outbox row %d published", row.id());
            return true;
        } catch (ExecutionException e) {
            LOG.warnf("outbox row %d not acknowledged by Kafka, will retry: %s", row.id(), e.getCause().toString());
        } catch (TimeoutException e) {
            LOG.warnf("outbox row %d not acknowledged within %s, will retry", row.id(), ackTimeout);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (RuntimeException e) {
            LOG.warnf("outbox row %d could not be handed to Kafka, will retry: %s", row.id(), e.toString());
        }
        return false;
    }
}
