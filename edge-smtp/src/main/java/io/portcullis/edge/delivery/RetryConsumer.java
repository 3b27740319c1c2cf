package io.portcullis.edge.delivery;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.opentelemetry.context.Context;
import io.portcullis.contracts.events.DeliveryRetryScheduled;
import io.portcullis.contracts.events.EventJson;
import io.portcullis.edge.config.EdgeConfig;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.time.Clock;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.eclipse.microprofile.reactive.messaging.Incoming;
import org.eclipse.microprofile.reactive.messaging.Message;
import org.jboss.logging.Logger;

/**
 * Reads delivery's durable retry queue, {@code portcullis.delivery.retry.v1} (group {@code delivery-retry}): waits
 * until a record's {@code notBefore}, then delivers it through {@link DeliveryService} again (attempt numbers
 * continue, the first attempt time is kept, so the queue lifetime is global) and acknowledges the record once that
 * outcome is durable (delivered, failed with a DSN, or queued again as a new record).
 *
 * <p>The wait blocks neither the Kafka poll loop nor a worker thread: it is a task on a scheduler, and the record
 * stays unacknowledged meanwhile, counted in an {@link InFlightWindow} of {@code max-queued-in-memory}, beyond
 * which the consumer pauses. A restart consumes the unacknowledged records again: nothing is lost, a recipient may
 * get a duplicate. A record that is not a valid retry is nacked (dead-letter topic).
 *
 * <p>Records of a policy deferral ({@code attempt} 0, see {@link DeliveryService#defer}) may be due days later. A
 * record due later than {@code queue-retry-max-delay} (the longest wait of an ordinary retry) is held only that long,
 * then re-published unchanged (same {@code notBefore}) and acknowledged once the copy is durable: the deferral moves
 * forward in hops, memory is never pinned for longer than an ordinary retry, and a restart loses nothing.
 */
@ApplicationScoped
public class RetryConsumer {

    /** Incoming channel bound to {@code portcullis.delivery.retry.v1}. */
    public static final String CHANNEL = "delivery-retries";

    private static final Logger LOG = Logger.getLogger(RetryConsumer.class);

    private final DeliveryService delivery;
    private final InFlightWindow window;
    private final ScheduledExecutorService scheduler;
    private final Clock clock;
    private final Duration maxHold;

    @Inject
    public RetryConsumer(DeliveryService delivery, EdgeConfig config, MeterRegistry registry) {
        this(delivery, config.delivery().maxQueuedInMemory(), config.delivery().queueRetryMaxDelay(), registry,
                Clock.systemUTC());
    }

    RetryConsumer(DeliveryService delivery, int maxHeld, MeterRegistry registry, Clock clock) {
        this(delivery, maxHeld, Duration.ofHours(1), registry, clock);
    }

    /**
     * @param maxHold the longest a record is held in memory: one due later is re-published unchanged after this
     *                long (a hop) and acknowledged, so a policy deferral of days never pins a record for days
     */
    RetryConsumer(DeliveryService delivery, int maxHeld, Duration maxHold, MeterRegistry registry, Clock clock) {
        if (maxHold.isNegative() || maxHold.isZero()) {
            throw new IllegalArgumentException("portcullis.delivery.queue-retry-max-delay must be positive");
        }
        this.maxHold = maxHold;
        this.delivery = delivery;
        this.window = new InFlightWindow(maxHeld, "portcullis.delivery.max-queued-in-memory");
        this.clock = clock;
        this.scheduler = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "portcullis-delivery-retry-timer");
            t.setDaemon(true);
            return t;
        });
        Gauge.builder("portcullis.delivery.retries.held", window, InFlightWindow::inFlight)
                .description("Queued retries held in memory, waiting for their time or being attempted")
                .register(registry);
    }

    @PreDestroy
    void stop() {
        scheduler.shutdownNow();
    }

    @Incoming(CHANNEL)
    public CompletionStage<Void> consume(Message<byte[]> record) {
        DeliveryRetryScheduled retry;
        try {
            retry = parse(record.getPayload());
        } catch (IllegalArgumentException e) {
            LOG.warnf("poison record on %s, sending it to the dead-letter topic: %s", CHANNEL, e.getMessage());
            return record.nack(e);
        }
        Duration wait = Duration.between(clock.instant(), retry.notBefore());
        boolean hop = wait.compareTo(maxHold) > 0;
        if (hop) {
            wait = maxHold;
            LOG.debugf("message %s: queued delivery due at %s, beyond the longest hold: re-scheduling in %s",
                    retry.messageId(), retry.notBefore(), maxHold);
        } else {
            LOG.debugf("message %s: queued retry (attempt %d) held until %s", retry.messageId(), retry.attempt() + 1,
                    retry.notBefore());
        }
        CompletableFuture<Object> outcome = new CompletableFuture<>();
        // counted as pending at its destination (GET /api/v1/delivery/queue) while held here
        AutoCloseable held = delivery.held(retry.envelope().recipients(), retry.notBefore());
        Runnable due = Context.current().wrap(() -> {
            closeQuietly(held);
            try {
                CompletableFuture<?> next = hop ? delivery.requeue(retry) : delivery.deliver(job(retry));
                next.whenComplete((report, error) -> {
                    if (error != null) {
                        outcome.completeExceptionally(error);
                    } else {
                        outcome.complete(report);
                    }
                });
            } catch (RuntimeException e) {
                outcome.completeExceptionally(e);
            }
        });
        try {
            // rounded up: never before notBefore
            scheduler.schedule(due, Math.max(0, wait.plusNanos(999_999).toMillis()), TimeUnit.MILLISECONDS);
        } catch (RejectedExecutionException e) {
            // shutting down: leave the record unacknowledged, it is consumed again after the restart
            closeQuietly(held);
            return CompletableFuture.completedFuture(null);
        }
        return window.track(retry.messageId(), record, outcome);
    }

    private static void closeQuietly(AutoCloseable held) {
        try {
            held.close();
        } catch (Exception e) {
            LOG.debugf("releasing a held retry's count: %s", e.getMessage());
        }
    }

    /** Records held in memory now (waiting or being attempted). */
    int held() {
        return window.inFlight();
    }

    /** @throws IllegalArgumentException when the bytes are not a retry delivery can act on */
    static DeliveryRetryScheduled parse(byte[] payload) {
        if (payload == null) {
            throw new IllegalArgumentException("empty record");
        }
        DeliveryRetryScheduled r = EventJson.read(payload, DeliveryRetryScheduled.class);
        if (r.messageId() == null || r.messageId().isBlank()) {
            throw new IllegalArgumentException("retry without messageId");
        }
        if (r.envelope() == null || r.envelope().recipients().isEmpty()) {
            throw new IllegalArgumentException("retry " + r.messageId() + " without pending recipients");
        }
        if (r.body() == null) {
            throw new IllegalArgumentException("retry " + r.messageId() + " without body reference");
        }
        // attempt 0: a policy deferral, no attempt made yet
        if (r.firstAttemptAt() == null || r.notBefore() == null || r.attempt() < 0) {
            throw new IllegalArgumentException("retry " + r.messageId() + " without firstAttemptAt, notBefore or attempt");
        }
        return r;
    }

    /**
     * The job of a due record; attempt 0 (a policy deferral) is a first delivery with its quick retries. It keeps
     * the record's kind, so a BCC copy's or a release's later attempts stay marked.
     */
    static DeliveryJob job(DeliveryRetryScheduled r) {
        return new DeliveryJob("retry", r.messageId(), r.tenant(), null, r.envelope().mailFrom(),
                r.envelope().recipients(), r.body(), r.modifications(), r.firstAttemptAt(), r.attempt(), r.kind());
    }
}
