package io.portcullis.edge.delivery;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.context.Context;
import io.opentelemetry.instrumentation.annotations.SpanAttribute;
import io.opentelemetry.instrumentation.annotations.WithSpan;
import io.portcullis.contracts.events.DeliveryEvent;
import io.portcullis.contracts.events.DeliveryEvent.DeliveryStatus;
import io.portcullis.contracts.events.DeliveryRetryScheduled;
import io.portcullis.contracts.events.Envelope;
import io.portcullis.edge.config.EdgeConfig;
import io.portcullis.edge.delivery.DsnBuilder.FailedRecipient;
import io.portcullis.edge.delivery.RecipientResult.Outcome;
import io.quarkus.runtime.Startup;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.io.IOException;
import java.io.InputStream;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;
import org.jboss.logging.Logger;

/**
 * Delivers messages to the next hop: relays on worker threads, publishes a {@link DeliveryEvent} for every outcome
 * (DELIVERED, DEFERRED, FAILED, DSN_SENT, DROPPED) and sends one DSN per message for the failed recipients unless
 * the sender is null.
 *
 * <p>Temporary failures are retried in two phases. The quick phase retries in-process, with exponential backoff
 * ({@link RetryPolicy}), up to {@code max-attempts} attempts for a first delivery and one attempt for a job from
 * the retry queue. Recipients still temporarily failing after it are handed to the durable retry queue: a
 * {@link DeliveryRetryScheduled} on {@code portcullis.delivery.retry.v1} with the next attempt's earliest time
 * ({@link QueueRetryPolicy}), read back by {@link RetryConsumer}. Only when the message has outlived
 * {@code max-queue-lifetime} (from its first attempt) do they become FAILED with a DSN; a permanent refusal (5xx)
 * fails at once. Recipients delivered or failed are never retried.
 *
 * <p>The returned stage completes only when every event and the queued retry, if any, are acknowledged and the
 * DSN, if any, is accepted; it completes exceptionally when that is not possible, so the caller does not
 * acknowledge its input. Created at start-up so that bad retry configuration fails there.
 */
@Startup
@ApplicationScoped
public class DeliveryService {

    /** Most header bytes of the original message quoted in a DSN. */
    static final int DSN_HEADER_LIMIT = 256 * 1024;

    private static final Logger LOG = Logger.getLogger(DeliveryService.class);

    private final MessageRelay relay;
    private final BodyLoader bodies;
    private final DsnSender dsnSender;
    private final DeliveryEventPublisher events;
    private final DeliveryRetryPublisher retries;
    private final Supplier<NextHop> nextHop;
    private final RetryPolicy retry;
    private final QueueRetryPolicy queue;
    private final DsnBuilder dsnBuilder;
    private final Clock clock;
    private final ExecutorService workers;
    private final ExecutorService pool;
    private final Map<String, CompletableFuture<DeliveryReport>> inFlight = new ConcurrentHashMap<>();
    private final Map<DeliveryStatus, Counter> eventCounters = new EnumMap<>(DeliveryStatus.class);
    private final MeterRegistry registry;
    private final Counter retriesScheduled;

    @Inject
    public DeliveryService(MessageRelay relay, BodyLoader bodies, DsnSender dsnSender, DeliveryEventPublisher events,
            DeliveryRetryPublisher retries, DeliveryTarget target, EdgeConfig config, MeterRegistry registry) {
        this(relay, bodies, dsnSender, events, retries, target::current,
                new RetryPolicy(config.delivery().retryInitialDelay(), config.delivery().retryMaxDelay(),
                        config.delivery().maxAttempts()),
                new QueueRetryPolicy(config.delivery().queueRetryInitialDelay(),
                        config.delivery().queueRetryMaxDelay(), config.delivery().maxQueueLifetime()),
                new DsnBuilder(config.delivery().heloName(), config.delivery().dsnFrom()),
                config.delivery().concurrency(), registry, Clock.systemUTC());
    }

    public DeliveryService(MessageRelay relay, BodyLoader bodies, DsnSender dsnSender, DeliveryEventPublisher events,
            DeliveryRetryPublisher retries, Supplier<NextHop> nextHop, RetryPolicy retry, QueueRetryPolicy queue,
            DsnBuilder dsnBuilder, int concurrency, MeterRegistry registry, Clock clock) {
        if (concurrency < 1) {
            throw new IllegalArgumentException("portcullis.delivery.concurrency must be at least 1");
        }
        this.relay = relay;
        this.bodies = bodies;
        this.dsnSender = dsnSender;
        this.events = events;
        this.retries = retries;
        this.nextHop = nextHop;
        this.retry = retry;
        this.queue = queue;
        this.dsnBuilder = dsnBuilder;
        this.clock = clock;
        this.registry = registry;
        AtomicInteger threads = new AtomicInteger();
        this.pool = Executors.newFixedThreadPool(concurrency, r -> {
            Thread t = new Thread(r, "portcullis-delivery-" + threads.incrementAndGet());
            t.setDaemon(true);
            return t;
        });
        this.workers = Context.taskWrapping(pool);
        for (DeliveryStatus status : DeliveryStatus.values()) {
            eventCounters.put(status, Counter.builder("portcullis.delivery.events")
                    .description("Delivery events published, by status")
                    .tag("status", status.name().toLowerCase(java.util.Locale.ROOT))
                    .register(registry));
        }
        this.retriesScheduled = Counter.builder("portcullis.delivery.retries.scheduled")
                .description("Messages handed to the durable retry queue")
                .register(registry);
    }

    @PreDestroy
    void stop() {
        pool.shutdownNow();
    }

    /**
     * Delivers a message; never blocks the caller. The same job consumed twice while in flight shares one run.
     *
     * @return completes with the report once every outcome is durable, exceptionally when it could not be made so
     */
    @WithSpan("portcullis.delivery.deliver")
    public CompletableFuture<DeliveryReport> deliver(DeliveryJob job) {
        Span.current().setAttribute("portcullis.message_id", job.messageId());
        CompletableFuture<DeliveryReport> fresh = new CompletableFuture<>();
        CompletableFuture<DeliveryReport> existing = inFlight.putIfAbsent(job.key(), fresh);
        if (existing != null) {
            LOG.infof("message %s: already being delivered (%s), joining that run", job.messageId(), job.source());
            return existing;
        }
        Run run;
        try {
            run = new Run(job, nextHop.get(), clock.instant(), job.queued() ? 1 : retry.maxAttempts());
        } catch (RuntimeException e) {
            inFlight.remove(job.key(), fresh);
            fresh.completeExceptionally(e);
            return fresh;
        }
        LOG.debugf("message %s: delivering to %d recipient(s) via %s", job.messageId(), job.recipients().size(),
                run.hop);
        attempt(run)
                .thenCompose(v -> schedule(run))
                .thenCompose(v -> finish(run))
                .whenComplete((report, error) -> {
                    inFlight.remove(job.key(), fresh);
                    if (error != null) {
                        LOG.errorf("message %s: delivery outcome could not be made durable: %s", job.messageId(),
                                error.getMessage());
                        fresh.completeExceptionally(error);
                    } else {
                        fresh.complete(report);
                    }
                });
        return fresh;
    }

    /** Publishes DROPPED for a message that policy deleted or rejected after acceptance. */
    @WithSpan("portcullis.delivery.drop")
    public CompletableFuture<Void> drop(@SpanAttribute("portcullis.message_id") String messageId, String tenant,
            List<String> recipients, String reason) {
        LOG.infof("message %s: dropped (%s)", messageId, reason);
        return publish(new DeliveryEvent(messageId, tenant, clock.instant(), DeliveryStatus.DROPPED, recipients, 0,
                null, reason));
    }

    /** The mutable state of one job's delivery; touched by one stage at a time. */
    private static final class Run {
        final DeliveryJob job;
        final NextHop hop;
        final Instant firstAttemptAt;
        /** Attempts this run may make before handing what is still pending to the retry queue. */
        final int quickAttempts;
        List<String> pending;
        final List<String> delivered = new ArrayList<>();
        final List<FailedRecipient> failed = new ArrayList<>();
        final List<String> queued = new ArrayList<>();
        String queuedReply;
        /** The last attempt's number, counting earlier runs' attempts. */
        int attempt;
        /** Attempts made by this run. */
        int attemptsThisRun;
        boolean dsnSent;

        Run(DeliveryJob job, NextHop hop, Instant now, int quickAttempts) {
            this.job = job;
            this.hop = hop;
            this.firstAttemptAt = job.firstAttemptAt() != null ? job.firstAttemptAt() : now;
            this.quickAttempts = quickAttempts;
            this.attempt = job.previousAttempts();
            this.pending = List.copyOf(job.recipients());
        }

        DeliveryReport report() {
            return new DeliveryReport(job.messageId(), delivered,
                    failed.stream().map(FailedRecipient::recipient).toList(), queued, attempt, dsnSent);
        }
    }

    private CompletableFuture<Void> attempt(Run run) {
        if (run.pending.isEmpty()) {
            return CompletableFuture.completedFuture(null);
        }
        run.attempt++;
        run.attemptsThisRun++;
        return CompletableFuture.supplyAsync(() -> relayOnce(run), workers)
                .thenCompose(result -> record(run, result))
                .thenCompose(v -> {
                    if (run.pending.isEmpty()) {
                        return CompletableFuture.completedFuture(null);
                    }
                    Duration delay = retry.delayAfter(run.attemptsThisRun);
                    LOG.infof("message %s: %d recipient(s) deferred after attempt %d, retrying in %s",
                            run.job.messageId(), run.pending.size(), run.attempt, delay);
                    return CompletableFuture.runAsync(() -> { },
                                    CompletableFuture.delayedExecutor(delay.toMillis(), TimeUnit.MILLISECONDS, workers))
                            .thenCompose(x -> attempt(run));
                });
    }

    /** One relay attempt for the pending recipients; blocking, on a worker thread. Never throws. */
    private RelayResult relayOnce(Run run) {
        DeliveryJob job = run.job;
        Timer.Sample sample = Timer.start(registry);
        RelayResult result;
        try (InputStream body = bodies.open(job.body())) {
            OutgoingMessage message;
            if (job.modifications().stripAttachments().isEmpty()) {
                message = HeaderRewriter.rewrite(body, job.body().size(), job.modifications(), job.messageId());
            } else {
                byte[] stripped = strip(job, body.readAllBytes());
                message = HeaderRewriter.rewrite(new java.io.ByteArrayInputStream(stripped), stripped.length,
                        job.modifications(), job.messageId());
            }
            result = relay.relay(run.hop, job.mailFrom(), run.pending, message);
        } catch (BodyIntegrityException e) {
            result = all(run, Outcome.PERMANENT, "554 5.3.0 local: message body is unusable: " + e.getMessage());
        } catch (IOException e) {
            result = all(run, Outcome.TEMPORARY, "451 4.3.0 local: message body unavailable: " + e);
        } catch (RuntimeException e) {
            LOG.errorf(e, "message %s: relay attempt %d failed unexpectedly", job.messageId(), run.attempt);
            result = all(run, Outcome.TEMPORARY, "451 4.3.0 local: " + e);
        }
        sample.stop(Timer.builder("portcullis.delivery.attempt")
                .description("Relay attempts to the next hop, by result")
                .tag("result", summary(result))
                .register(registry));
        return result;
    }

    /**
     * Removes the parts the modifications name (the stored body is never changed: this is on the way out). A path
     * that names no part is logged and the rest is delivered.
     */
    private static byte[] strip(DeliveryJob job, byte[] original) {
        AttachmentStripper.Result r = AttachmentStripper.strip(original, job.modifications().stripAttachments(),
                job.modifications().stripNotice());
        if (!r.unmatched().isEmpty()) {
            LOG.warnf("message %s: %d attachment path(s) to strip name no part, delivering the rest: %s",
                    job.messageId(), r.unmatched().size(), r.unmatched());
        }
        if (!r.removed().isEmpty()) {
            LOG.infof("message %s: stripped %d part(s) on the way out", job.messageId(), r.removed().size());
        }
        return r.message();
    }

    private static RelayResult all(Run run, Outcome outcome, String reply) {
        return new RelayResult(run.hop,
                run.pending.stream().map(r -> new RecipientResult(r, outcome, reply)).toList(), false);
    }

    private static String summary(RelayResult result) {
        boolean accepted = !result.with(Outcome.ACCEPTED).isEmpty();
        boolean refused = result.recipients().size() > result.with(Outcome.ACCEPTED).size();
        if (accepted) {
            return refused ? "partial" : "delivered";
        }
        return result.with(Outcome.TEMPORARY).isEmpty() ? "failed" : "deferred";
    }

    /** Turns one attempt's results into events and the next pending set; completes when the events are acked. */
    private CompletableFuture<Void> record(Run run, RelayResult result) {
        Map<String, List<String>> delivered = new LinkedHashMap<>();
        Map<String, List<String>> failed = new LinkedHashMap<>();
        Map<String, List<String>> deferred = new LinkedHashMap<>();
        List<String> stillPending = new ArrayList<>();
        boolean quickRetry = run.attemptsThisRun < run.quickAttempts;
        boolean expired = queue.expired(run.firstAttemptAt, clock.instant());
        for (RecipientResult r : result.recipients()) {
            switch (r.outcome()) {
                case ACCEPTED -> {
                    delivered.computeIfAbsent(r.reply(), k -> new ArrayList<>()).add(r.recipient());
                    run.delivered.add(r.recipient());
                }
                case PERMANENT -> {
                    failed.computeIfAbsent(r.reply(), k -> new ArrayList<>()).add(r.recipient());
                    run.failed.add(new FailedRecipient(r.recipient(), r.reply(), false, remote(run, r)));
                }
                case TEMPORARY -> {
                    if (quickRetry) {
                        deferred.computeIfAbsent(r.reply(), k -> new ArrayList<>()).add(r.recipient());
                        stillPending.add(r.recipient());
                    } else if (!expired) {
                        deferred.computeIfAbsent(r.reply(), k -> new ArrayList<>()).add(r.recipient());
                        run.queued.add(r.recipient());
                        run.queuedReply = r.reply();
                    } else {
                        String reply = "attempts exhausted after " + run.attempt + " (queue lifetime "
                                + queue.maxLifetime() + " reached): " + r.reply();
                        failed.computeIfAbsent(reply, k -> new ArrayList<>()).add(r.recipient());
                        run.failed.add(new FailedRecipient(r.recipient(), r.reply(), true, remote(run, r)));
                    }
                }
            }
        }
        run.pending = List.copyOf(stillPending);
        List<CompletableFuture<Void>> acks = new ArrayList<>();
        delivered.forEach((reply, rcpts) -> acks.add(publish(event(run, DeliveryStatus.DELIVERED, rcpts, reply))));
        failed.forEach((reply, rcpts) -> acks.add(publish(event(run, DeliveryStatus.FAILED, rcpts, reply))));
        deferred.forEach((reply, rcpts) -> acks.add(publish(event(run, DeliveryStatus.DEFERRED, rcpts, reply))));
        LOG.infof("message %s: attempt %d via %s: %d delivered, %d failed, %d deferred", run.job.messageId(),
                run.attempt, run.hop, count(delivered), count(failed), count(deferred));
        return CompletableFuture.allOf(acks.toArray(CompletableFuture[]::new));
    }

    /**
     * Hands the recipients still temporarily failing after the quick phase to the durable retry queue; completes
     * when Kafka acknowledged the record.
     */
    private CompletableFuture<Void> schedule(Run run) {
        if (run.queued.isEmpty()) {
            return CompletableFuture.completedFuture(null);
        }
        DeliveryJob job = run.job;
        int round = Math.max(1, run.attempt - retry.maxAttempts() + 1);
        Instant notBefore = queue.notBefore(round, run.firstAttemptAt, clock.instant());
        DeliveryRetryScheduled record = new DeliveryRetryScheduled(job.messageId(), job.tenant(), run.firstAttemptAt,
                notBefore, run.attempt, new Envelope(job.mailFrom(), run.queued, null, null, false), job.body(),
                job.modifications(), run.queuedReply, job.kind());
        CompletableFuture<Void> acked;
        try {
            acked = retries.publish(record).toCompletableFuture();
        } catch (RuntimeException e) {
            acked = CompletableFuture.failedFuture(e);
        }
        return acked.thenRun(() -> {
            retriesScheduled.increment();
            LOG.infof("message %s: retry scheduled after attempt %d, not before %s, %d recipient(s)",
                    job.messageId(), run.attempt, notBefore, run.queued.size());
        });
    }

    private static String remote(Run run, RecipientResult r) {
        return r.reply() != null && r.reply().contains("local:") ? null : run.hop.host();
    }

    private static int count(Map<String, List<String>> byReply) {
        return byReply.values().stream().mapToInt(List::size).sum();
    }

    /** After the last attempt: the DSN for the failed recipients (never for the null sender), then the report. */
    private CompletableFuture<DeliveryReport> finish(Run run) {
        if (run.failed.isEmpty()) {
            return CompletableFuture.completedFuture(run.report());
        }
        if (run.job.mailFrom().isEmpty()) {
            LOG.infof("message %s: %d recipient(s) failed; null sender, no DSN", run.job.messageId(),
                    run.failed.size());
            return CompletableFuture.completedFuture(run.report());
        }
        return CompletableFuture.supplyAsync(() -> buildDsn(run), workers)
                .thenCompose(dsn -> sendDsn(run, dsn, 1))
                .thenCompose(reply -> {
                    run.dsnSent = true;
                    LOG.infof("message %s: DSN sent for %d recipient(s)", run.job.messageId(), run.failed.size());
                    return publish(event(run, DeliveryStatus.DSN_SENT,
                            run.failed.stream().map(FailedRecipient::recipient).toList(), reply));
                })
                .thenApply(v -> run.report());
    }

    private DeliveryStatusNotification buildDsn(Run run) {
        byte[] header = new byte[0];
        try (InputStream in = bodies.open(run.job.body())) {
            header = HeaderBlock.read(in, DSN_HEADER_LIMIT).header();
        } catch (IOException e) {
            LOG.warnf("message %s: original header unavailable for the DSN: %s", run.job.messageId(), e.getMessage());
        }
        return dsnBuilder.build(run.job.mailFrom(), run.job.messageId(), run.job.receivedAt(), run.failed, header,
                clock.instant());
    }

    private CompletableFuture<String> sendDsn(Run run, DeliveryStatusNotification dsn, int attempt) {
        CompletableFuture<String> sent;
        try {
            sent = dsnSender.send(run.hop, dsn).toCompletableFuture();
        } catch (RuntimeException e) {
            sent = CompletableFuture.failedFuture(e);
        }
        return sent.handle((reply, error) -> {
            if (error == null) {
                return CompletableFuture.completedFuture(reply);
            }
            if (!retry.mayRetryAfter(attempt)) {
                return CompletableFuture.<String>failedFuture(new IOException("DSN for message "
                        + run.job.messageId() + " not accepted after " + attempt + " attempts: " + error.getMessage(),
                        error));
            }
            Duration delay = retry.delayAfter(attempt);
            LOG.warnf("message %s: DSN attempt %d failed (%s), retrying in %s", run.job.messageId(), attempt,
                    error.getMessage(), delay);
            return CompletableFuture.runAsync(() -> { },
                            CompletableFuture.delayedExecutor(delay.toMillis(), TimeUnit.MILLISECONDS, workers))
                    .thenCompose(v -> sendDsn(run, dsn, attempt + 1));
        }).thenCompose(f -> f);
    }

    private DeliveryEvent event(Run run, DeliveryStatus status, List<String> recipients, String reply) {
        return new DeliveryEvent(run.job.messageId(), run.job.tenant(), clock.instant(), status, recipients,
                run.attempt, run.hop.toString(), run.job.markReply(reply), run.job.kind());
    }

    /**
     * Holds a delivery back until {@code notBefore} (policy's defer action): hands the job to the durable retry queue
     * as a {@link DeliveryRetryScheduled} with attempt 0 (none made yet) and the first attempt time
     * {@code notBefore} (the queue lifetime runs from the window's opening), then publishes DEFERRED with the reason
     * {@code policy defer until <instant>}. Completes when both are acknowledged; {@link RetryConsumer} delivers it
     * when the time comes (re-scheduling in hops when that is later than it holds records).
     */
    @WithSpan("portcullis.delivery.defer")
    public CompletableFuture<Void> defer(DeliveryJob job, Instant notBefore) {
        Span.current().setAttribute("portcullis.message_id", job.messageId());
        String reason = "policy defer until " + notBefore;
        DeliveryRetryScheduled record = new DeliveryRetryScheduled(job.messageId(), job.tenant(), notBefore,
                notBefore, 0, new Envelope(job.mailFrom(), job.recipients(), null, null, false), job.body(),
                job.modifications(), reason, job.kind());
        CompletableFuture<Void> acked;
        try {
            acked = retries.publish(record).toCompletableFuture();
        } catch (RuntimeException e) {
            acked = CompletableFuture.failedFuture(e);
        }
        return acked.thenCompose(v -> {
            retriesScheduled.increment();
            LOG.infof("message %s: %d recipient(s) deferred by policy until %s", job.messageId(),
                    job.recipients().size(), notBefore);
            return publish(new DeliveryEvent(job.messageId(), job.tenant(), clock.instant(), DeliveryStatus.DEFERRED,
                    job.recipients(), 0, null, job.markReply(reason), job.kind()));
        });
    }

    /** Re-publishes a queued retry unchanged (a hop of a long policy deferral); completes when it is acknowledged. */
    CompletableFuture<Void> requeue(DeliveryRetryScheduled record) {
        try {
            return retries.publish(record).toCompletableFuture();
        } catch (RuntimeException e) {
            return CompletableFuture.failedFuture(e);
        }
    }

    private CompletableFuture<Void> publish(DeliveryEvent event) {
        CompletableFuture<Void> acked;
        try {
            acked = events.publish(event).toCompletableFuture();
        } catch (RuntimeException e) {
            acked = CompletableFuture.failedFuture(e);
        }
        return acked.thenRun(() -> eventCounters.get(event.status()).increment());
    }
}
