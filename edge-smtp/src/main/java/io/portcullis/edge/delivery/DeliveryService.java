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
    private final DeliveryRouter router;
    private final DestinationQueues queues;
    private final DkimSigning signer;
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
            DeliveryRetryPublisher retries, DeliveryTarget target, DestinationQueues queues, DkimSigning signer,
            EdgeConfig config, MeterRegistry registry) {
        // through the bean (proxy): the default hop follows DeliveryTarget, also when a test replaces it
        this(relay, bodies, dsnSender, events, retries, DeliveryTarget.router(config, target::current), queues, signer,
                new RetryPolicy(config.delivery().retryInitialDelay(), config.delivery().retryMaxDelay(),
                        config.delivery().maxAttempts()),
                new QueueRetryPolicy(config.delivery().queueRetryInitialDelay(),
                        config.delivery().queueRetryMaxDelay(), config.delivery().maxQueueLifetime()),
                new DsnBuilder(config.delivery().heloName(), config.delivery().dsnFrom()),
                config.delivery().concurrency(), registry, Clock.systemUTC());
    }

    /** One next hop for every recipient, no per-destination limit or down marking, no DKIM (tests). */
    public DeliveryService(MessageRelay relay, BodyLoader bodies, DsnSender dsnSender, DeliveryEventPublisher events,
            DeliveryRetryPublisher retries, Supplier<NextHop> nextHop, RetryPolicy retry, QueueRetryPolicy queue,
            DsnBuilder dsnBuilder, int concurrency, MeterRegistry registry, Clock clock) {
        this(relay, bodies, dsnSender, events, retries, new DeliveryRouter(List.of(), List.of(), nextHop, null),
                new DestinationQueues(Integer.MAX_VALUE, Duration.ZERO, clock), new DkimSigning(List.of(), clock),
                retry, queue, dsnBuilder, concurrency, registry, clock);
    }

    public DeliveryService(MessageRelay relay, BodyLoader bodies, DsnSender dsnSender, DeliveryEventPublisher events,
            DeliveryRetryPublisher retries, DeliveryRouter router, DestinationQueues queues, DkimSigning signer,
            RetryPolicy retry, QueueRetryPolicy queue, DsnBuilder dsnBuilder, int concurrency, MeterRegistry registry,
            Clock clock) {
        if (concurrency < 1) {
            throw new IllegalArgumentException("portcullis.delivery.concurrency must be at least 1");
        }
        this.relay = relay;
        this.bodies = bodies;
        this.dsnSender = dsnSender;
        this.events = events;
        this.retries = retries;
        this.router = router;
        this.queues = queues;
        this.signer = signer;
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
        List<Run> runs = new ArrayList<>();
        try {
            Instant now = clock.instant();
            for (Map.Entry<Destination, List<String>> group : byDestination(job.recipients()).entrySet()) {
                runs.add(new Run(job, group.getKey(), group.getValue(), now, job.queued() ? 1 : retry.maxAttempts()));
            }
        } catch (RuntimeException e) {
            inFlight.remove(job.key(), fresh);
            fresh.completeExceptionally(e);
            return fresh;
        }
        LOG.debugf("message %s: delivering to %d recipient(s) at %d destination(s)", job.messageId(),
                job.recipients().size(), runs.size());
        // every destination on its own: one slow or dead destination never delays or re-sends the others
        List<CompletableFuture<Void>> perDestination = new ArrayList<>();
        for (Run run : runs) {
            run.ticket = queues.pending(run.destination.key(), run.pending.size(), null);
            perDestination.add(attempt(run)
                    .thenCompose(v -> schedule(run))
                    .whenComplete((v, e) -> run.ticket.close()));
        }
        CompletableFuture.allOf(perDestination.toArray(CompletableFuture[]::new))
                .thenCompose(v -> finish(job, runs))
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

    /** The recipients grouped by destination, in the order they first appear. */
    private Map<Destination, List<String>> byDestination(List<String> recipients) {
        Map<Destination, List<String>> groups = new LinkedHashMap<>();
        for (String r : recipients) {
            groups.computeIfAbsent(router.destinationFor(r), d -> new ArrayList<>()).add(r);
        }
        return groups;
    }

    /**
     * Counts a queued retry's recipients as pending at their destination(s), with their next attempt time, while
     * {@link RetryConsumer} holds the record; close it when the record's time has come.
     */
    AutoCloseable held(List<String> recipients, Instant notBefore) {
        List<DestinationQueues.Ticket> tickets = new ArrayList<>();
        for (Map.Entry<Destination, List<String>> group : byDestination(recipients).entrySet()) {
            tickets.add(queues.pending(group.getKey().key(), group.getValue().size(), notBefore));
        }
        return () -> tickets.forEach(DestinationQueues.Ticket::close);
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
        final Destination destination;
        /** The host of the last attempt, or null before one reached a host. */
        NextHop hop;
        DestinationQueues.Ticket ticket;
        /** Set when the destination was down: no quick retries, straight to the durable queue. */
        boolean skipQuick;
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

        Run(DeliveryJob job, Destination destination, List<String> recipients, Instant now, int quickAttempts) {
            this.job = job;
            this.destination = destination;
            this.hop = destination.mx() ? null : destination.hops().get(0);
            this.firstAttemptAt = job.firstAttemptAt() != null ? job.firstAttemptAt() : now;
            this.quickAttempts = quickAttempts;
            this.attempt = job.previousAttempts();
            this.pending = List.copyOf(recipients);
        }

        /** Where events say the attempt went: the host, or the destination before a host was reached. */
        String where() {
            return hop != null ? hop.toString() : destination.key();
        }
    }

    private static DeliveryReport report(DeliveryJob job, List<Run> runs, boolean dsnSent) {
        List<String> delivered = new ArrayList<>();
        List<String> failed = new ArrayList<>();
        List<String> queued = new ArrayList<>();
        int attempt = job.previousAttempts();
        for (Run run : runs) {
            delivered.addAll(run.delivered);
            run.failed.forEach(f -> failed.add(f.recipient()));
            queued.addAll(run.queued);
            attempt = Math.max(attempt, run.attempt);
        }
        return new DeliveryReport(job.messageId(), delivered, failed, queued, attempt, dsnSent);
    }

    private CompletableFuture<Void> attempt(Run run) {
        if (run.pending.isEmpty()) {
            return CompletableFuture.completedFuture(null);
        }
        run.attempt++;
        run.attemptsThisRun++;
        return queues.submit(run.destination.key(), () -> relayOnce(run), workers)
                .thenCompose(result -> record(run, result))
                .thenCompose(v -> {
                    if (run.pending.isEmpty()) {
                        return CompletableFuture.completedFuture(null);
                    }
                    Duration delay = retry.delayAfter(run.attemptsThisRun);
                    run.ticket.nextAttempt(clock.instant().plus(delay));
                    LOG.infof("message %s: %d recipient(s) for %s deferred after attempt %d, retrying in %s",
                            run.job.messageId(), run.pending.size(), run.destination, run.attempt, delay);
                    return CompletableFuture.runAsync(() -> { },
                                    CompletableFuture.delayedExecutor(delay.toMillis(), TimeUnit.MILLISECONDS, workers))
                            .thenCompose(x -> attempt(run));
                });
    }

    /**
     * One relay attempt for the pending recipients of one destination; blocking, on a worker thread. Never throws.
     * A destination marked down is not tried; otherwise its hosts are tried in order (MX preference) until one
     * holds a session, and the destination is marked down when none could be reached.
     */
    private RelayResult relayOnce(Run run) {
        DeliveryJob job = run.job;
        Timer.Sample sample = Timer.start(registry);
        RelayResult result;
        String down = queues.down(run.destination.key());
        if (down != null) {
            run.skipQuick = true;
            return all(run, Outcome.TEMPORARY, "451 4.4.1 local: " + down);
        }
        try {
            List<NextHop> hops;
            try {
                hops = router.hops(run.destination);
            } catch (RouteException e) {
                LOG.infof("message %s: no route to %s: %s", job.messageId(), run.destination, e.reply());
                queues.failed(run.destination.key(), e.reply(), false);
                return all(run, e.permanent() ? Outcome.PERMANENT : Outcome.TEMPORARY, e.reply());
            }
            byte[] stripped = job.modifications().stripAttachments().isEmpty() ? null : stripOnce(job);
            result = null;
            for (NextHop hop : hops) {
                try (CloseableMessage message = outgoing(job, stripped)) {
                    result = relay.relay(hop, job.mailFrom(), run.pending, message.message, run.destination.tls());
                }
                run.hop = result.nextHop();
                if (result.reached()) {
                    break;
                }
                LOG.infof("message %s: %s not reached (%s)%s", job.messageId(), hop, firstReply(result),
                        hop == hops.get(hops.size() - 1) ? "" : ", trying the next host");
            }
            if (result == null) {
                result = all(run, Outcome.TEMPORARY, "451 4.4.3 local: no host for " + run.destination);
            }
            if (!result.reached()) {
                queues.failed(run.destination.key(), firstReply(result), true);
            } else if (!result.with(Outcome.ACCEPTED).isEmpty()) {
                queues.reached(run.destination.key());
            } else {
                queues.failed(run.destination.key(), firstReply(result), false);
            }
            if (result.reached()) {
                LOG.infof("message %s: session with %s %s", job.messageId(), result.nextHop(),
                        result.tls() ? "under TLS" : "WITHOUT TLS");
            }
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

    private static String firstReply(RelayResult result) {
        return result.recipients().isEmpty() ? "" : result.recipients().get(0).reply();
    }

    /** The stored body with the parts to strip removed, read once per attempt. */
    private byte[] stripOnce(DeliveryJob job) throws IOException {
        try (InputStream body = bodies.open(job.body())) {
            return strip(job, body.readAllBytes());
        }
    }

    /** An outgoing message and the stream(s) to close after it was sent. */
    private record CloseableMessage(OutgoingMessage message, List<InputStream> opened) implements AutoCloseable {
        @Override
        public void close() throws IOException {
            for (InputStream in : opened) {
                in.close();
            }
        }
    }

    /**
     * The bytes to send: the stored body (or its stripped copy) with the header modifications, DKIM-signed when a
     * key matches; the signer may open it twice, both openings are closed after the send.
     */
    private CloseableMessage outgoing(DeliveryJob job, byte[] stripped) throws IOException {
        List<InputStream> opened = new ArrayList<>();
        DkimSigning.MessageSource source = () -> {
            InputStream in = stripped != null ? new java.io.ByteArrayInputStream(stripped) : bodies.open(job.body());
            opened.add(in);
            long size = stripped != null ? stripped.length : job.body().size();
            return HeaderRewriter.rewrite(in, size, job.modifications(), job.messageId());
        };
        try {
            OutgoingMessage message = signer.enabled() ? signer.sign(source, job.messageId()) : source.open();
            return new CloseableMessage(message, opened);
        } catch (IOException | RuntimeException e) {
            for (InputStream in : opened) {
                in.close();
            }
            throw e;
        }
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
                run.pending.stream().map(r -> new RecipientResult(r, outcome, reply)).toList(), false, false);
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
        boolean quickRetry = run.attemptsThisRun < run.quickAttempts && !run.skipQuick;
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
        LOG.infof("message %s: attempt %d for %s via %s: %d delivered, %d failed, %d deferred",
                run.job.messageId(), run.attempt, run.destination, run.where(), count(delivered), count(failed),
                count(deferred));
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
            LOG.infof("message %s: retry for %s scheduled after attempt %d, not before %s, %d recipient(s)",
                    job.messageId(), run.destination, run.attempt, notBefore, run.queued.size());
        });
    }

    private static String remote(Run run, RecipientResult r) {
        return r.reply() != null && r.reply().contains("local:") || run.hop == null ? null : run.hop.name();
    }

    private static int count(Map<String, List<String>> byReply) {
        return byReply.values().stream().mapToInt(List::size).sum();
    }

    /**
     * After every destination's last attempt: one DSN for the failed recipients of all destinations (never for
     * the null sender), then the report.
     */
    private CompletableFuture<DeliveryReport> finish(DeliveryJob job, List<Run> runs) {
        List<FailedRecipient> failed = new ArrayList<>();
        int attempt = job.previousAttempts();
        for (Run run : runs) {
            failed.addAll(run.failed);
            attempt = Math.max(attempt, run.attempt);
        }
        if (failed.isEmpty()) {
            return CompletableFuture.completedFuture(report(job, runs, false));
        }
        if (job.mailFrom().isEmpty()) {
            LOG.infof("message %s: %d recipient(s) failed; null sender, no DSN", job.messageId(), failed.size());
            return CompletableFuture.completedFuture(report(job, runs, false));
        }
        int lastAttempt = attempt;
        return CompletableFuture.supplyAsync(() -> buildDsn(job, failed), workers)
                .thenCompose(dsn -> sendDsn(job, dsn, 1))
                .thenCompose(sent -> {
                    LOG.infof("message %s: DSN sent for %d recipient(s)", job.messageId(), failed.size());
                    String reply = sent.reply();
                    return publish(new DeliveryEvent(job.messageId(), job.tenant(), clock.instant(),
                            DeliveryStatus.DSN_SENT, failed.stream().map(FailedRecipient::recipient).toList(),
                            lastAttempt, sent.hop().toString(),
                            job.bcc() ? DeliveryJob.BCC_REPLY_PREFIX + reply : reply));
                })
                .thenApply(v -> report(job, runs, true));
    }

    private DeliveryStatusNotification buildDsn(DeliveryJob job, List<FailedRecipient> failed) {
        byte[] header = new byte[0];
        try (InputStream in = bodies.open(job.body())) {
            header = HeaderBlock.read(in, DSN_HEADER_LIMIT).header();
        } catch (IOException e) {
            LOG.warnf("message %s: original header unavailable for the DSN: %s", job.messageId(), e.getMessage());
        }
        return dsnBuilder.build(job.mailFrom(), job.messageId(), job.receivedAt(), failed, header, clock.instant());
    }

    /** Where a DSN went and what the next hop answered. */
    private record SentDsn(NextHop hop, String reply) {
    }

    /**
     * Sends the DSN to the next hop of the original sender's destination (its MX when routing by MX), trying its
     * hosts in turn over the quick-phase attempts.
     */
    private CompletableFuture<SentDsn> sendDsn(DeliveryJob job, DeliveryStatusNotification dsn, int attempt) {
        CompletableFuture<SentDsn> sent;
        try {
            sent = CompletableFuture.supplyAsync(() -> dsnHop(dsn, attempt), workers)
                    .thenCompose(to -> dsnSender.send(to.hop(), dsn, to.tls()).toCompletableFuture()
                            .thenApply(reply -> new SentDsn(to.hop(), reply)));
        } catch (RuntimeException e) {
            sent = CompletableFuture.failedFuture(e);
        }
        return sent.handle((done, error) -> {
            if (error == null) {
                return CompletableFuture.completedFuture(done);
            }
            if (!retry.mayRetryAfter(attempt)) {
                return CompletableFuture.<SentDsn>failedFuture(new IOException("DSN for message "
                        + job.messageId() + " not accepted after " + attempt + " attempts: " + error.getMessage(),
                        error));
            }
            Duration delay = retry.delayAfter(attempt);
            LOG.warnf("message %s: DSN attempt %d failed (%s), retrying in %s", job.messageId(), attempt,
                    error.getMessage(), delay);
            return CompletableFuture.runAsync(() -> { },
                            CompletableFuture.delayedExecutor(delay.toMillis(), TimeUnit.MILLISECONDS, workers))
                    .thenCompose(v -> sendDsn(job, dsn, attempt + 1));
        }).thenCompose(f -> f);
    }

    /** Where one attempt at a DSN goes, and under which TLS policy. */
    private record DsnHop(NextHop hop, TlsPolicy tls) {
    }

    /**
     * The host for the n-th attempt at a DSN (the hosts of the sender's destination in turn) with that
     * destination's TLS policy; blocking (DNS), on a worker thread.
     */
    private DsnHop dsnHop(DeliveryStatusNotification dsn, int attempt) {
        try {
            Destination destination = router.destinationFor(dsn.envelopeRecipient());
            List<NextHop> hops = router.hops(destination);
            return new DsnHop(hops.get((attempt - 1) % hops.size()), destination.tls());
        } catch (RouteException e) {
            throw new java.util.concurrent.CompletionException(new IOException("no route for the DSN: " + e.reply()));
        }
    }

    private DeliveryEvent event(Run run, DeliveryStatus status, List<String> recipients, String reply) {
        return new DeliveryEvent(run.job.messageId(), run.job.tenant(), clock.instant(), status, recipients,
                run.attempt, run.where(), run.job.markReply(reply), run.job.kind());
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
