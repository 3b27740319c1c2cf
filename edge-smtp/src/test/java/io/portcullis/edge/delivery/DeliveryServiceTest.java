package io.portcullis.edge.delivery;

import io.portcullis.edge.storage.InMemoryObjectStore;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.portcullis.contracts.events.BodyRef;
import io.portcullis.contracts.events.DeliveryEvent;
import io.portcullis.contracts.events.DeliveryEvent.DeliveryStatus;
import io.portcullis.contracts.events.DeliveryRetryScheduled;
import io.portcullis.contracts.events.HeaderField;
import io.portcullis.contracts.events.Modifications;
import io.portcullis.edge.delivery.RecipientResult.Outcome;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class DeliveryServiceTest {

    private static final NextHop HOP = new NextHop("mx.test", 25);
    private static final String MESSAGE = "Message-ID: <orig-1@example.org>\r\nFrom: a@example.org\r\n"
            + "Subject: quarterly report\r\n\r\nHello.\r\n";

    /** Answers each attempt with the next scripted function of the pending recipients; records what it saw. */
    static final class ScriptedRelay implements MessageRelay {
        final List<Function<List<String>, List<RecipientResult>>> script = new ArrayList<>();
        final List<List<String>> pendingPerAttempt = new CopyOnWriteArrayList<>();
        final List<String> messages = new CopyOnWriteArrayList<>();
        final List<String> senders = new CopyOnWriteArrayList<>();
        volatile CountDownLatch hold;

        ScriptedRelay then(Function<List<String>, List<RecipientResult>> step) {
            script.add(step);
            return this;
        }

        @Override
        public RelayResult relay(NextHop hop, String mailFrom, List<String> recipients, OutgoingMessage message) {
            try {
                if (hold != null) {
                    hold.await(5, TimeUnit.SECONDS);
                }
                messages.add(new String(message.stream().readAllBytes(), StandardCharsets.UTF_8));
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            senders.add(mailFrom);
            int attempt = pendingPerAttempt.size();
            pendingPerAttempt.add(List.copyOf(recipients));
            var step = script.get(Math.min(attempt, script.size() - 1));
            return new RelayResult(hop, step.apply(recipients), false);
        }
    }

    static Function<List<String>, List<RecipientResult>> all(Outcome outcome, String reply) {
        return rcpts -> rcpts.stream().map(r -> new RecipientResult(r, outcome, reply)).toList();
    }

    static final class RecordingPublisher implements DeliveryEventPublisher {
        final List<DeliveryEvent> events = Collections.synchronizedList(new ArrayList<>());
        volatile boolean fail;

        @Override
        public CompletionStage<Void> publish(DeliveryEvent event) {
            if (fail) {
                return CompletableFuture.failedFuture(new IllegalStateException("broker down"));
            }
            events.add(event);
            return CompletableFuture.completedFuture(null);
        }

        List<DeliveryStatus> statuses() {
            synchronized (events) {
                return events.stream().map(DeliveryEvent::status).toList();
            }
        }
    }

    static final class RecordingRetryPublisher implements DeliveryRetryPublisher {
        final List<DeliveryRetryScheduled> scheduled = new CopyOnWriteArrayList<>();
        volatile boolean fail;

        @Override
        public CompletionStage<Void> publish(DeliveryRetryScheduled retry) {
            if (fail) {
                return CompletableFuture.failedFuture(new IllegalStateException("broker down"));
            }
            scheduled.add(retry);
            return CompletableFuture.completedFuture(null);
        }
    }

    static final class RecordingDsnSender implements DsnSender {
        final List<DeliveryStatusNotification> sent = new CopyOnWriteArrayList<>();
        final List<NextHop> hops = new CopyOnWriteArrayList<>();
        final AtomicInteger failuresLeft = new AtomicInteger();

        @Override
        public CompletionStage<String> send(NextHop hop, DeliveryStatusNotification dsn) {
            if (failuresLeft.getAndDecrement() > 0) {
                return CompletableFuture.failedFuture(new IOException("421 4.3.2 try later"));
            }
            sent.add(dsn);
            hops.add(hop);
            return CompletableFuture.completedFuture("250 2.0.0 Ok");
        }
    }

    private final InMemoryObjectStore storage = new InMemoryObjectStore();
    private final RecordingPublisher publisher = new RecordingPublisher();
    private final RecordingDsnSender dsnSender = new RecordingDsnSender();
    private final RecordingRetryPublisher retries = new RecordingRetryPublisher();
    private final SimpleMeterRegistry registry = new SimpleMeterRegistry();
    private final List<DeliveryService> services = new ArrayList<>();

    @AfterEach
    void stop() {
        services.forEach(DeliveryService::stop);
    }

    private DeliveryService service(MessageRelay relay, int maxAttempts) {
        return service(relay, maxAttempts, Duration.ofDays(5));
    }

    private DeliveryService service(MessageRelay relay, int maxAttempts, Duration lifetime) {
        DeliveryService s = new DeliveryService(relay, new BodyLoader(storage), dsnSender, publisher, retries,
                () -> HOP, new RetryPolicy(Duration.ofMillis(5), Duration.ofMillis(20), maxAttempts),
                new QueueRetryPolicy(Duration.ofMinutes(5), Duration.ofHours(1), lifetime),
                new DsnBuilder("edge.test", "MAILER-DAEMON@edge.test"), 4, registry, Clock.systemUTC());
        services.add(s);
        return s;
    }

    private static String sha256(byte[] b) throws Exception {
        return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(b));
    }

    private static DeliveryJob job(String sender, List<String> rcpts, Modifications mods) throws Exception {
        byte[] bytes = MESSAGE.getBytes(StandardCharsets.UTF_8);
        return new DeliveryJob("verdict", "Q1", "default", Instant.parse("2026-01-02T03:04:05Z"), sender, rcpts,
                BodyRef.inline(bytes, sha256(bytes)), mods);
    }

    private static DeliveryReport await(CompletableFuture<DeliveryReport> f) throws Exception {
        return f.get(10, TimeUnit.SECONDS);
    }

    @Test
    void temporaryFailureThenSuccessIsDeferredThenDelivered() throws Exception {
        ScriptedRelay relay = new ScriptedRelay()
                .then(all(Outcome.TEMPORARY, "451 4.3.0 try again"))
                .then(all(Outcome.ACCEPTED, "250 2.0.0 queued"));

        DeliveryReport report = await(service(relay, 3).deliver(job("a@example.org", List.of("b@example.com"),
                Modifications.NONE)));

        assertEquals(List.of(DeliveryStatus.DEFERRED, DeliveryStatus.DELIVERED), publisher.statuses());
        DeliveryEvent deferred = publisher.events.get(0);
        assertEquals(1, deferred.attempt());
        assertEquals("451 4.3.0 try again", deferred.reply());
        DeliveryEvent delivered = publisher.events.get(1);
        assertEquals(2, delivered.attempt());
        assertEquals(List.of("b@example.com"), delivered.recipients());
        assertEquals("mx.test:25", delivered.nextHop());
        assertEquals("250 2.0.0 queued", delivered.reply());
        assertEquals("Q1", delivered.messageId());
        assertEquals(List.of("b@example.com"), report.delivered());
        assertFalse(report.dsnSent());
        assertTrue(dsnSender.sent.isEmpty());
        assertEquals(1.0, registry.counter("portcullis.delivery.events", "status", "delivered").count());
        assertEquals(1.0, registry.counter("portcullis.delivery.events", "status", "deferred").count());
    }

    @Test
    void alwaysTemporaryBeyondTheQueueLifetimeFailsAfterTheQuickAttemptsAndSendsADsn() throws Exception {
        ScriptedRelay relay = new ScriptedRelay().then(all(Outcome.TEMPORARY, "421 4.4.2 timeout"));

        DeliveryReport report = await(service(relay, 3, Duration.ofMillis(1)).deliver(job("a@example.org",
                List.of("b@example.com"), Modifications.NONE)));

        assertEquals(List.of(DeliveryStatus.DEFERRED, DeliveryStatus.DEFERRED, DeliveryStatus.FAILED,
                DeliveryStatus.DSN_SENT), publisher.statuses());
        assertEquals(3, relay.pendingPerAttempt.size());
        assertTrue(retries.scheduled.isEmpty(), "nothing queued once the lifetime is over");
        DeliveryEvent failed = publisher.events.get(2);
        assertEquals(3, failed.attempt());
        assertTrue(failed.reply().contains("attempts exhausted") && failed.reply().contains("421 4.4.2"));
        assertEquals(1, dsnSender.sent.size());
        assertEquals(HOP, dsnSender.hops.get(0), "the DSN goes through the same next hop");
        DeliveryStatusNotification dsn = dsnSender.sent.get(0);
        assertEquals("a@example.org", dsn.envelopeRecipient());
        assertTrue(dsn.body().contains("Status: 5.4.7"));
        assertEquals(List.of("b@example.com"), publisher.events.get(3).recipients());
        assertTrue(report.dsnSent());
        assertEquals(List.of("b@example.com"), report.failed());
    }

    @Test
    void permanentFailureFailsAtOnceWithADsn() throws Exception {
        ScriptedRelay relay = new ScriptedRelay().then(all(Outcome.PERMANENT, "550 5.1.1 User unknown"));

        DeliveryReport report = await(service(relay, 5).deliver(job("a@example.org", List.of("nobody@example.com"),
                Modifications.NONE)));

        assertEquals(1, relay.pendingPerAttempt.size(), "no retry after a permanent failure");
        assertTrue(retries.scheduled.isEmpty(), "a permanent refusal is never queued");
        assertEquals(List.of(DeliveryStatus.FAILED, DeliveryStatus.DSN_SENT), publisher.statuses());
        assertEquals("550 5.1.1 User unknown", publisher.events.get(0).reply());
        DeliveryStatusNotification dsn = dsnSender.sent.get(0);
        assertTrue(dsn.body().contains("Final-Recipient: rfc822; nobody@example.com"));
        assertTrue(dsn.body().contains("Status: 5.1.1"));
        assertTrue(dsn.body().contains("Message-ID: <orig-1@example.org>"), "original headers are quoted");
        assertTrue(report.dsnSent());
    }

    @Test
    void nullSenderFailsWithoutADsn() throws Exception {
        ScriptedRelay relay = new ScriptedRelay().then(all(Outcome.PERMANENT, "550 5.1.1 User unknown"));

        DeliveryReport report = await(service(relay, 3).deliver(job("", List.of("nobody@example.com"),
                Modifications.NONE)));

        assertEquals(List.of(DeliveryStatus.FAILED), publisher.statuses());
        assertTrue(dsnSender.sent.isEmpty(), "never bounce a bounce");
        assertFalse(report.dsnSent());
        assertEquals("", relay.senders.get(0));
    }

    @Test
    void retriesOnlyTheRecipientsStillPending() throws Exception {
        ScriptedRelay relay = new ScriptedRelay()
                .then(rcpts -> List.of(new RecipientResult("ok@example.com", Outcome.ACCEPTED, "250 ok"),
                        new RecipientResult("busy@example.com", Outcome.TEMPORARY, "450 busy"),
                        new RecipientResult("gone@example.com", Outcome.PERMANENT, "550 5.1.1 gone")))
                .then(all(Outcome.ACCEPTED, "250 ok later"));

        DeliveryReport report = await(service(relay, 3).deliver(job("a@example.org",
                List.of("ok@example.com", "busy@example.com", "gone@example.com"), Modifications.NONE)));

        assertEquals(List.of("busy@example.com"), relay.pendingPerAttempt.get(1));
        assertEquals(List.of("ok@example.com", "busy@example.com"), report.delivered());
        assertEquals(List.of("gone@example.com"), report.failed());
        assertEquals(List.of(DeliveryStatus.DELIVERED, DeliveryStatus.FAILED, DeliveryStatus.DEFERRED,
                DeliveryStatus.DELIVERED, DeliveryStatus.DSN_SENT), publisher.statuses());
        assertTrue(dsnSender.sent.get(0).body().contains("gone@example.com"));
        assertFalse(dsnSender.sent.get(0).body().contains("Final-Recipient: rfc822; ok@example.com"));
    }

    @Test
    void appliesModificationsAndLoadsStoredBodies() throws Exception {
        byte[] bytes = MESSAGE.getBytes(StandardCharsets.UTF_8);
        storage.put("portcullis-spool", "2026/01/02/Q2.eml", bytes);
        ScriptedRelay relay = new ScriptedRelay().then(all(Outcome.ACCEPTED, "250 ok"));
        DeliveryJob job = new DeliveryJob("verdict", "Q2", "default", null, "a@example.org", List.of("b@example.com"),
                BodyRef.stored("portcullis-spool", "2026/01/02/Q2.eml", bytes.length, sha256(bytes)),
                new Modifications("[SPAM]", List.of(new HeaderField("X-Spam-Flag", "YES"))));

        await(service(relay, 3).deliver(job));

        assertEquals("X-Portcullis-Queue-Id: Q2\r\nX-Spam-Flag: YES\r\n"
                + MESSAGE.replace("Subject: quarterly", "Subject: [SPAM] quarterly"), relay.messages.get(0));
    }

    @Test
    void missingStoredBodyIsRetriedThenFailsWithADsnWithoutHeaders() throws Exception {
        ScriptedRelay relay = new ScriptedRelay().then(all(Outcome.ACCEPTED, "250 ok"));
        DeliveryJob job = new DeliveryJob("verdict", "Q3", "default", null, "a@example.org", List.of("b@example.com"),
                BodyRef.stored("portcullis-spool", "missing.eml", 10, null), Modifications.NONE);

        DeliveryReport report = await(service(relay, 2, Duration.ofMillis(1)).deliver(job));

        assertTrue(relay.pendingPerAttempt.isEmpty(), "nothing was relayed");
        assertEquals(List.of(DeliveryStatus.DEFERRED, DeliveryStatus.FAILED, DeliveryStatus.DSN_SENT),
                publisher.statuses());
        assertTrue(publisher.events.get(0).reply().contains("body unavailable"));
        assertEquals(List.of("b@example.com"), report.failed());
    }

    @Test
    void corruptBodyFailsPermanently() throws Exception {
        byte[] bytes = MESSAGE.getBytes(StandardCharsets.UTF_8);
        MessageRelay relay = new MessageRelay() {
            @Override
            public RelayResult relay(NextHop hop, String mailFrom, List<String> recipients, OutgoingMessage message) {
                try {
                    message.stream().readAllBytes();
                } catch (BodyIntegrityException e) {
                    return new RelayResult(hop, all(Outcome.PERMANENT, "554 5.3.0 local: " + e.getMessage())
                            .apply(recipients), false);
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
                return new RelayResult(hop, all(Outcome.ACCEPTED, "250").apply(recipients), false);
            }
        };
        DeliveryJob job = new DeliveryJob("verdict", "Q4", "default", null, "a@example.org", List.of("b@example.com"),
                BodyRef.inline(bytes, "00".repeat(32)), Modifications.NONE);

        DeliveryReport report = await(service(relay, 3).deliver(job));

        assertEquals(List.of("b@example.com"), report.failed());
        assertEquals(DeliveryStatus.FAILED, publisher.events.get(0).status());
        assertTrue(publisher.events.get(0).reply().contains("SHA-256"));
    }

    @Test
    void dsnThatCannotBeSentLeavesTheOutcomeNotDurable() throws Exception {
        dsnSender.failuresLeft.set(100);
        ScriptedRelay relay = new ScriptedRelay().then(all(Outcome.PERMANENT, "550 5.1.1 unknown"));

        CompletableFuture<DeliveryReport> f = service(relay, 2).deliver(job("a@example.org", List.of("b@example.com"),
                Modifications.NONE));

        ExecutionException e = assertThrows(ExecutionException.class, () -> f.get(10, TimeUnit.SECONDS));
        assertTrue(e.getCause().getMessage().contains("DSN"), e.getCause().getMessage());
        assertFalse(publisher.statuses().contains(DeliveryStatus.DSN_SENT));
    }

    @Test
    void dsnIsRetriedAfterATemporaryRefusal() throws Exception {
        dsnSender.failuresLeft.set(1);
        ScriptedRelay relay = new ScriptedRelay().then(all(Outcome.PERMANENT, "550 5.1.1 unknown"));

        DeliveryReport report = await(service(relay, 3).deliver(job("a@example.org", List.of("b@example.com"),
                Modifications.NONE)));

        assertTrue(report.dsnSent());
        assertEquals(1, dsnSender.sent.size());
    }

    @Test
    void unacknowledgedEventLeavesTheOutcomeNotDurable() throws Exception {
        publisher.fail = true;
        ScriptedRelay relay = new ScriptedRelay().then(all(Outcome.ACCEPTED, "250 ok"));

        CompletableFuture<DeliveryReport> f = service(relay, 3).deliver(job("a@example.org", List.of("b@example.com"),
                Modifications.NONE));

        assertThrows(ExecutionException.class, () -> f.get(10, TimeUnit.SECONDS));
    }

    @Test
    void theSameJobInFlightTwiceRunsOnce() throws Exception {
        ScriptedRelay relay = new ScriptedRelay().then(all(Outcome.ACCEPTED, "250 ok"));
        relay.hold = new CountDownLatch(1);
        DeliveryService service = service(relay, 3);
        DeliveryJob job = job("a@example.org", List.of("b@example.com"), Modifications.NONE);

        CompletableFuture<DeliveryReport> first = service.deliver(job);
        CompletableFuture<DeliveryReport> second = service.deliver(job);
        relay.hold.countDown();

        assertEquals(await(first), await(second));
        assertEquals(1, relay.pendingPerAttempt.size());
    }

    private static DeliveryJob queuedJob(List<String> rcpts, Instant firstAttemptAt, int previousAttempts)
            throws Exception {
        byte[] bytes = MESSAGE.getBytes(StandardCharsets.UTF_8);
        return new DeliveryJob("retry", "Q1", "default", null, "a@example.org", rcpts,
                BodyRef.inline(bytes, sha256(bytes)), new Modifications("[SPAM]", List.of()), firstAttemptAt,
                previousAttempts);
    }

    @Test
    void quickAttemptsExhaustedScheduleADurableRetryInsteadOfFailing() throws Exception {
        ScriptedRelay relay = new ScriptedRelay().then(all(Outcome.TEMPORARY, "421 4.3.2 busy"));
        Instant before = Instant.now();

        DeliveryReport report = await(service(relay, 3).deliver(job("a@example.org",
                List.of("b@example.com", "c@example.com"), new Modifications("[SPAM]", List.of()))));

        Instant after = Instant.now();
        assertEquals(3, relay.pendingPerAttempt.size(), "the quick phase made max-attempts attempts");
        assertEquals(List.of(DeliveryStatus.DEFERRED, DeliveryStatus.DEFERRED, DeliveryStatus.DEFERRED),
                publisher.statuses(), "deferred, never FAILED while the lifetime lasts");
        assertTrue(dsnSender.sent.isEmpty(), "no DSN for a queued message");
        assertEquals(1, retries.scheduled.size());
        DeliveryRetryScheduled r = retries.scheduled.get(0);
        assertEquals("Q1", r.messageId());
        assertEquals("default", r.tenant());
        assertEquals(3, r.attempt());
        assertEquals(List.of("b@example.com", "c@example.com"), r.envelope().recipients());
        assertEquals("a@example.org", r.envelope().mailFrom());
        assertEquals("421 4.3.2 busy", r.lastReply());
        assertEquals("[SPAM]", r.modifications().subjectPrefix());
        assertTrue(!r.firstAttemptAt().isBefore(before) && !r.firstAttemptAt().isAfter(after));
        assertTrue(!r.notBefore().isBefore(before.plus(Duration.ofMinutes(5)))
                && !r.notBefore().isAfter(after.plus(Duration.ofMinutes(5))), r.notBefore().toString());
        assertEquals(List.of("b@example.com", "c@example.com"), report.queued());
        assertTrue(report.failed().isEmpty());
        assertEquals(1.0, registry.counter("portcullis.delivery.retries.scheduled").count());
    }

    @Test
    void partialDeliveryQueuesOnlyTheDeferredRecipients() throws Exception {
        ScriptedRelay relay = new ScriptedRelay()
                .then(rcpts -> List.of(new RecipientResult("ok@example.com", Outcome.ACCEPTED, "250 ok"),
                        new RecipientResult("busy@example.com", Outcome.TEMPORARY, "450 4.2.1 busy"),
                        new RecipientResult("gone@example.com", Outcome.PERMANENT, "550 5.1.1 gone")))
                .then(all(Outcome.TEMPORARY, "450 4.2.1 still busy"));

        DeliveryReport report = await(service(relay, 2).deliver(job("a@example.org",
                List.of("ok@example.com", "busy@example.com", "gone@example.com"), Modifications.NONE)));

        assertEquals(List.of("busy@example.com"), relay.pendingPerAttempt.get(1), "delivered ones are not retried");
        assertEquals(1, retries.scheduled.size());
        DeliveryRetryScheduled r = retries.scheduled.get(0);
        assertEquals(List.of("busy@example.com"), r.envelope().recipients());
        assertEquals(2, r.attempt());
        assertEquals("450 4.2.1 still busy", r.lastReply());
        assertEquals(List.of("ok@example.com"), report.delivered());
        assertEquals(List.of("gone@example.com"), report.failed());
        assertEquals(List.of("busy@example.com"), report.queued());
        assertEquals(List.of(DeliveryStatus.DELIVERED, DeliveryStatus.FAILED, DeliveryStatus.DEFERRED,
                DeliveryStatus.DEFERRED, DeliveryStatus.DSN_SENT), publisher.statuses());
        String dsn = dsnSender.sent.get(0).body();
        assertTrue(dsn.contains("Final-Recipient: rfc822; gone@example.com"), "the permanent refusal bounces now");
        assertFalse(dsn.contains("busy@example.com"), "the queued recipient is not bounced");
    }

    @Test
    void queuedRetryMakesOneAttemptContinuesNumberingAndKeepsTheFirstAttemptTime() throws Exception {
        ScriptedRelay relay = new ScriptedRelay().then(all(Outcome.TEMPORARY, "421 4.3.2 busy"));
        Instant first = Instant.now().minus(Duration.ofHours(2));
        Instant before = Instant.now();

        DeliveryReport report = await(service(relay, 3).deliver(queuedJob(List.of("b@example.com"), first, 3)));

        assertEquals(1, relay.pendingPerAttempt.size(), "a queued retry makes one attempt");
        assertEquals(List.of(DeliveryStatus.DEFERRED), publisher.statuses());
        assertEquals(4, publisher.events.get(0).attempt(), "numbering continues from the record");
        DeliveryRetryScheduled r = retries.scheduled.get(0);
        assertEquals(4, r.attempt());
        assertEquals(first, r.firstAttemptAt(), "the lifetime is measured from the very first attempt");
        assertTrue(!r.notBefore().isBefore(before.plus(Duration.ofMinutes(10))), "second queued retry: doubled");
        assertTrue(r.notBefore().isBefore(Instant.now().plus(Duration.ofMinutes(10)).plusSeconds(1)));
        assertEquals(4, report.attempts());
    }

    @Test
    void queuedRetryThatIsDeliveredEmitsDeliveredAndIsNotQueuedAgain() throws Exception {
        ScriptedRelay relay = new ScriptedRelay().then(all(Outcome.ACCEPTED, "250 2.0.0 ok"));

        DeliveryReport report = await(service(relay, 3).deliver(queuedJob(List.of("b@example.com"),
                Instant.now().minus(Duration.ofMinutes(5)), 3)));

        assertEquals(List.of(DeliveryStatus.DELIVERED), publisher.statuses());
        assertEquals(4, publisher.events.get(0).attempt());
        assertTrue(retries.scheduled.isEmpty());
        assertEquals(List.of("b@example.com"), report.delivered());
        assertTrue(relay.messages.get(0).contains("Subject: [SPAM] quarterly"), "modifications still applied");
    }

    @Test
    void queuedRetryPastTheLifetimeFailsWithADsn() throws Exception {
        ScriptedRelay relay = new ScriptedRelay().then(all(Outcome.TEMPORARY, "421 4.3.2 busy"));

        DeliveryReport report = await(service(relay, 3).deliver(queuedJob(List.of("b@example.com"),
                Instant.now().minus(Duration.ofDays(5)).minusSeconds(1), 40)));

        assertEquals(List.of(DeliveryStatus.FAILED, DeliveryStatus.DSN_SENT), publisher.statuses());
        assertTrue(retries.scheduled.isEmpty(), "not queued again");
        DeliveryEvent failed = publisher.events.get(0);
        assertEquals(41, failed.attempt());
        assertTrue(failed.reply().contains("queue lifetime") && failed.reply().contains("421 4.3.2"),
                failed.reply());
        assertTrue(dsnSender.sent.get(0).body().contains("Status: 5.4.7"), "expired queue: 5.4.7 as before");
        assertEquals(List.of("b@example.com"), report.failed());
        assertTrue(report.dsnSent());
    }

    @Test
    void queuedRetryRefusedPermanentlyFailsAtOnce() throws Exception {
        ScriptedRelay relay = new ScriptedRelay().then(all(Outcome.PERMANENT, "550 5.1.1 unknown"));

        await(service(relay, 3).deliver(queuedJob(List.of("b@example.com"), Instant.now(), 3)));

        assertEquals(List.of(DeliveryStatus.FAILED, DeliveryStatus.DSN_SENT), publisher.statuses());
        assertTrue(retries.scheduled.isEmpty());
    }

    @Test
    void unacknowledgedRetryRecordLeavesTheOutcomeNotDurable() throws Exception {
        retries.fail = true;
        ScriptedRelay relay = new ScriptedRelay().then(all(Outcome.TEMPORARY, "421 4.3.2 busy"));

        CompletableFuture<DeliveryReport> f = service(relay, 1).deliver(job("a@example.org",
                List.of("b@example.com"), Modifications.NONE));

        ExecutionException e = assertThrows(ExecutionException.class, () -> f.get(10, TimeUnit.SECONDS));
        assertTrue(e.getCause().getMessage().contains("broker down"), e.getCause().getMessage());
        assertEquals(0.0, registry.counter("portcullis.delivery.retries.scheduled").count());
    }

    @Test
    void dropPublishesDropped() throws Exception {
        service(new ScriptedRelay(), 3).drop("Q9", "default", List.of("b@example.com"), "action DELETE")
                .get(5, TimeUnit.SECONDS);

        assertEquals(List.of(DeliveryStatus.DROPPED), publisher.statuses());
        assertEquals("action DELETE", publisher.events.get(0).reply());
    }
}
