package io.portcullis.edge.events;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.portcullis.contracts.events.EventJson;
import io.portcullis.contracts.events.RecipientRejected;
import io.portcullis.contracts.events.Topics;
import io.portcullis.edge.config.EdgeConfig;
import io.portcullis.edge.ipblock.IpAddresses;
import io.portcullis.edge.smtp.RecipientRefusalListener;
import io.portcullis.edge.smtp.RefusedRecipient;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.util.EnumMap;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.jboss.logging.Logger;

/**
 * Publishes a {@link RecipientRejected} to {@link Topics#SMTP_EVENTS} (keyed by the canonical client IP) for every
 * recipient the listener refuses by relay control (RELAY_DENIED) or recipient validation (UNKNOWN_USER); the IP
 * Profiler counts them per client (directory harvest).
 *
 * <p>These are statistics, not mail: the SMTP reply never waits for them and never depends on them. The listener's
 * event loop only builds the record and queues it (at most {@value #MAX_QUEUED}, beyond that it is dropped and
 * counted); one sender thread hands it to the producer, whose send can block for metadata up to
 * {@link SmtpEventsProducerFactory#MAX_BLOCK_MS} ms. A failed or dropped event is logged (at most once a minute)
 * and counted in {@code portcullis_smtp_events_failed_total{cause}}; during a Kafka outage events are lost.
 *
 * <p>{@code eventId} is {@code <node>:<session id>:<RCPT number>}: the same refusal always has the same id, so the
 * profiler counts it once however often it is delivered. Only the recipient's domain is published.
 */
@ApplicationScoped
public class RecipientRejectedPublisher implements RecipientRefusalListener {

    /** Events waiting for the sender thread before new ones are dropped. */
    public static final int MAX_QUEUED = 10_000;

    private static final Logger LOG = Logger.getLogger(RecipientRejectedPublisher.class);
    private static final long LOG_EVERY_MILLIS = 60_000;

    private final Producer<String, byte[]> producer;
    private final String node;
    private final ThreadPoolExecutor sender;
    private final Map<RecipientRejected.Reason, Counter> published = new EnumMap<>(RecipientRejected.Reason.class);
    private final Counter kafkaFailures;
    private final Counter queueFull;
    private final AtomicLong lastFailureLog = new AtomicLong();

    @Inject
    public RecipientRejectedPublisher(@SmtpEvents Producer<String, byte[]> producer, EdgeConfig config,
            MeterRegistry registry) {
        this(producer, config.spool().node(), registry, MAX_QUEUED);
    }

    public RecipientRejectedPublisher(Producer<String, byte[]> producer, String node, MeterRegistry registry,
            int maxQueued) {
        this.producer = producer;
        this.node = node;
        this.sender = new ThreadPoolExecutor(1, 1, 0, TimeUnit.MILLISECONDS, new ArrayBlockingQueue<>(maxQueued),
                r -> {
                    Thread t = new Thread(r, "portcullis-smtp-events");
                    t.setDaemon(true);
                    return t;
                }, new ThreadPoolExecutor.AbortPolicy());
        for (RecipientRejected.Reason reason : RecipientRejected.Reason.values()) {
            published.put(reason, Counter.builder("portcullis.smtp.events.published")
                    .description("RecipientRejected events acknowledged by Kafka, by reason")
                    .tag("reason", reason.name().toLowerCase(Locale.ROOT)).register(registry));
        }
        this.kafkaFailures = failures(registry, "kafka");
        this.queueFull = failures(registry, "queue-full");
    }

    private static Counter failures(MeterRegistry registry, String cause) {
        return Counter.builder("portcullis.smtp.events.failed")
                .description("RecipientRejected events lost (statistics only), by cause")
                .tag("cause", cause).register(registry);
    }

    /** The event id of a refused RCPT: stable for the same refusal. */
    public static String eventId(String node, String sessionId, int rcptNumber) {
        return node + ":" + sessionId + ":" + rcptNumber;
    }

    /** The event for a refusal, or empty when it is not one the profiler counts (or the client has no IP). */
    public Optional<RecipientRejected> toEvent(RefusedRecipient refusal) {
        RecipientRejected.Reason reason = switch (refusal.verdict()) {
            case RELAY_DENIED -> RecipientRejected.Reason.RELAY_DENIED;
            case UNKNOWN_USER -> RecipientRejected.Reason.UNKNOWN_USER;
            default -> null;
        };
        Optional<String> ip = IpAddresses.canonical(refusal.clientIp());
        if (reason == null || ip.isEmpty()) {
            return Optional.empty();
        }
        return Optional.of(new RecipientRejected(eventId(node, refusal.sessionId(), refusal.rcptNumber()), node,
                refusal.at(), ip.get(), refusal.domain().toLowerCase(Locale.ROOT), reason, refusal.replyCode()));
    }

    /** Called on the event loop: builds the record and queues it; never blocks, never throws. */
    @Override
    public void refused(RefusedRecipient refusal) {
        try {
            Optional<RecipientRejected> event = toEvent(refusal);
            if (event.isEmpty()) {
                return;
            }
            RecipientRejected e = event.get();
            ProducerRecord<String, byte[]> record = new ProducerRecord<>(Topics.SMTP_EVENTS, e.clientIp(),
                    EventJson.write(e));
            sender.execute(() -> send(record, e));
        } catch (RejectedExecutionException ex) {
            queueFull.increment();
            logFailure("event dropped", "more than " + sender.getQueue().size() + " events waiting for Kafka");
        } catch (RuntimeException ex) {
            kafkaFailures.increment();
            logFailure("event not built", ex.toString());
        }
    }

    private void send(ProducerRecord<String, byte[]> record, RecipientRejected event) {
        try {
            producer.send(record, (metadata, error) -> {
                if (error == null) {
                    published.get(event.reason()).increment();
                } else {
                    kafkaFailures.increment();
                    logFailure("Kafka did not take " + event.eventId(), error.toString());
                }
            });
        } catch (RuntimeException e) {
            kafkaFailures.increment();
            logFailure("Kafka did not take " + event.eventId(), e.toString());
        }
    }

    private void logFailure(String what, String error) {
        long now = System.currentTimeMillis();
        long last = lastFailureLog.get();
        if (now - last >= LOG_EVERY_MILLIS && lastFailureLog.compareAndSet(last, now)) {
            LOG.warnf("RecipientRejected not published (statistics only, logged at most once a minute): %s: %s",
                    what, error);
        }
    }

    @PreDestroy
    void stop() {
        sender.shutdown();
        try {
            sender.awaitTermination(2, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
