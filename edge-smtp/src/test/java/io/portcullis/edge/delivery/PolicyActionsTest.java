package io.portcullis.edge.delivery;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.portcullis.contracts.events.Action;
import io.portcullis.contracts.events.BodyRef;
import io.portcullis.contracts.events.DeliveryEvent;
import io.portcullis.contracts.events.DeliveryEvent.DeliveryStatus;
import io.portcullis.contracts.events.DeliveryRetryScheduled;
import io.portcullis.contracts.events.Envelope;
import io.portcullis.contracts.events.EventJson;
import io.portcullis.contracts.events.HeaderField;
import io.portcullis.contracts.events.Modifications;
import io.portcullis.contracts.events.Notification;
import io.portcullis.contracts.events.RecipientDecision;
import io.portcullis.contracts.events.VerdictIssued;
import io.portcullis.edge.delivery.DeliveryServiceTest.RecordingDsnSender;
import io.portcullis.edge.delivery.DeliveryServiceTest.RecordingPublisher;
import io.portcullis.edge.delivery.DeliveryServiceTest.RecordingRetryPublisher;
import io.portcullis.edge.delivery.DeliveryServiceTest.ScriptedRelay;
import io.portcullis.edge.delivery.RecipientResult.Outcome;
import io.portcullis.edge.storage.InMemoryObjectStore;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.james.mime4j.dom.Message;
import org.apache.james.mime4j.dom.Multipart;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Policy decisions per recipient group, carried out by the verdict consumer against a scripted next hop. */
class PolicyActionsTest {

    private final ScriptedRelay relay = new ScriptedRelay().then(DeliveryServiceTest.all(Outcome.ACCEPTED, "250 ok"));
    private final RecordingPublisher publisher = new RecordingPublisher();
    private final RecordingRetryPublisher retries = new RecordingRetryPublisher();
    private final RecordingDsnSender notices = new RecordingDsnSender();
    private final BodyLoader bodies = new BodyLoader(new InMemoryObjectStore());
    private final RetryPolicy quick = new RetryPolicy(Duration.ofMillis(5), Duration.ofMillis(10), 2);
    private final DeliveryService service = new DeliveryService(relay, bodies, notices, publisher, retries,
            () -> new NextHop("mx.test", 25), quick,
            new QueueRetryPolicy(Duration.ofMinutes(5), Duration.ofHours(1), Duration.ofDays(5)),
            new DsnBuilder("edge.test", "MAILER-DAEMON@edge.test"), 2, new SimpleMeterRegistry(), Clock.systemUTC());
    private PolicyNotifier notifier = notifier(Optional.of("admin@edge.test"));
    private VerdictConsumer consumer = new VerdictConsumer(new PolicyActions(service, notifier), 16);

    private PolicyNotifier notifier(Optional<String> admin) {
        return new PolicyNotifier(notices, () -> new NextHop("mx.test", 25), new BuiltInNotificationTemplates(),
                new NotificationBuilder("postmaster@edge.test", "edge.test"), admin, bodies, quick,
                new SimpleMeterRegistry(), Clock.systemUTC());
    }

    @AfterEach
    void stop() {
        service.stop();
        notifier.stop();
    }

    static final byte[] PLAIN = ("From: a@example.org\r\nTo: b@example.com, c@example.com\r\nSubject: report\r\n"
            + "\r\nHello\r\n").getBytes(StandardCharsets.US_ASCII);

    static RecipientDecision group(List<String> recipients, Action action) {
        return new RecipientDecision(recipients, action, "r1", Modifications.NONE, null, List.of(), null, List.of(),
                List.of(), List.of("r1"));
    }

    static RecipientDecision group(List<String> recipients, Action action, Modifications mods, List<String> redirect,
            Instant deferUntil, List<String> bcc, List<Notification> notifications) {
        return new RecipientDecision(recipients, action, "r1", mods, null, redirect, deferUntil, bcc, notifications,
                List.of("r1"));
    }

    static VerdictIssued verdict(String id, String sender, String subject, byte[] body, RecipientDecision... groups) {
        List<String> all = java.util.Arrays.stream(groups).flatMap(g -> g.recipients().stream()).toList();
        return new VerdictIssued(id, "default", Instant.now(), Instant.now(),
                new Envelope(sender, all, "client.test", "192.0.2.1", false), BodyRef.inline(body, null), null,
                subject, groups[0].action(), groups[0].ruleId(), false, false, 0, List.of(),
                groups[0].modifications(), 7, java.util.Map.of(), body.length, List.of(), List.of(),
                List.of(groups));
    }

    private String consume(VerdictIssued v) {
        AtomicReference<String> settled = new AtomicReference<>();
        consumer.consume(org.eclipse.microprofile.reactive.messaging.Message.of(EventJson.write(v)).withAck(() -> {
            settled.set("ack");
            return CompletableFuture.completedFuture(null);
        }).withNack(e -> {
            settled.set("nack: " + e);
            return CompletableFuture.completedFuture(null);
        }));
        await().atMost(Duration.ofSeconds(10)).until(() -> settled.get() != null);
        return settled.get();
    }

    private List<DeliveryEvent> events(DeliveryStatus status) {
        synchronized (publisher.events) {
            return publisher.events.stream().filter(e -> e.status() == status).toList();
        }
    }

    @Test
    void deliverGroupIsRelayedToItsRecipientsOnlyAndTheQuarantinedGroupIsNot() {
        String result = consume(verdict("P1", "a@example.org", "report", PLAIN,
                group(List.of("b@example.com"), Action.DELIVER), group(List.of("c@example.com"), Action.QUARANTINE)));

        assertEquals("ack", result);
        assertEquals(List.of(List.of("b@example.com")), relay.pendingPerAttempt);
        assertEquals(List.of(DeliveryStatus.DELIVERED), publisher.statuses());
        assertEquals(List.of("b@example.com"), publisher.events.get(0).recipients());
    }

    @Test
    void deleteAndDeliverGroupsOfOneMessage() {
        consume(verdict("P2", "a@example.org", "report", PLAIN,
                group(List.of("b@example.com"), Action.DELIVER), group(List.of("c@example.com"), Action.DELETE)));

        assertEquals(List.of(List.of("b@example.com")), relay.pendingPerAttempt);
        assertEquals(List.of("c@example.com"), events(DeliveryStatus.DROPPED).get(0).recipients());
        assertTrue(events(DeliveryStatus.DROPPED).get(0).reply().contains("DELETE by rule r1"));
    }

    @Test
    void twoDeliverGroupsWithDifferentModificationsAreTwoRelays() {
        consume(verdict("P3", "a@example.org", "report", PLAIN,
                group(List.of("b@example.com"), Action.DELIVER, new Modifications("[X]", List.of()), List.of(), null,
                        List.of(), List.of()),
                group(List.of("c@example.com"), Action.DELIVER)));

        assertEquals(Set.of(List.of("b@example.com"), List.of("c@example.com")),
                new HashSet<>(relay.pendingPerAttempt));
        assertEquals(1, relay.messages.stream().filter(m -> m.contains("Subject: [X] report")).count());
    }

    @Test
    void redirectDeliversToTheNewAddressOnly() {
        consume(verdict("P4", "a@example.org", "report", PLAIN, group(List.of("b@example.com", "c@example.com"),
                Action.DELIVER, Modifications.NONE, List.of("review@example.com"), null, List.of(), List.of())));

        assertEquals(List.of(List.of("review@example.com")), relay.pendingPerAttempt);
        assertEquals(List.of("review@example.com"), events(DeliveryStatus.DELIVERED).get(0).recipients());
    }

    @Test
    void strippedAttachmentIsGoneOnTheWayOutWithTheNoticeInItsPlace() throws Exception {
        byte[] body = AttachmentStripperTest.threeParts();
        consume(verdict("P5", "a@example.org", "files", body, group(List.of("b@example.com"), Action.DELIVER,
                new Modifications("[STRIPPED]", List.of(new HeaderField("X-Policy", "strip")), List.of("part/2"),
                        "The attachment was removed."), List.of(), null, List.of(), List.of())));

        assertEquals(1, relay.messages.size());
        byte[] out = relay.messages.get(0).getBytes(StandardCharsets.ISO_8859_1);
        Message m = AttachmentStripperTest.parse(out);
        assertEquals("[STRIPPED] files", m.getSubject());
        assertEquals("strip", m.getHeader().getField("X-Policy").getBody());
        Multipart mp = (Multipart) m.getBody();
        assertEquals(3, mp.getBodyParts().size());
        assertEquals("The attachment was removed.", AttachmentStripperTest.text(mp.getBodyParts().get(1)));
        assertTrue(relay.messages.get(0).contains(AttachmentStripperTest.TEXT_PART));
        assertTrue(relay.messages.get(0).contains(AttachmentStripperTest.PDF_PART));
        assertFalse(relay.messages.get(0).contains("TVqQ"));
    }

    @Test
    void aStalePathIsLoggedAndTheRestIsDeliveredUnchanged() {
        byte[] body = AttachmentStripperTest.threeParts();
        String result = consume(verdict("P6", "a@example.org", "files", body, group(List.of("b@example.com"),
                Action.DELIVER, new Modifications(null, List.of(), List.of("part/9"), null), List.of(), null,
                List.of(), List.of())));

        assertEquals("ack", result, "a path naming no part never fails the message");
        assertEquals("X-Portcullis-Queue-Id: P6\r\n" + new String(body, StandardCharsets.ISO_8859_1),
                relay.messages.get(0));
        assertEquals(List.of(DeliveryStatus.DELIVERED), publisher.statuses());
    }

    @Test
    void bccCopyArrivesWithTheModificationsAsItsOwnJob() {
        consume(verdict("P7", "a@example.org", "report", PLAIN, group(List.of("b@example.com"), Action.DELIVER,
                new Modifications("[EXT]", List.of()), List.of(), null, List.of("audit@example.com"), List.of())));

        assertEquals(Set.of(List.of("b@example.com"), List.of("audit@example.com")),
                new HashSet<>(relay.pendingPerAttempt));
        assertEquals(2, relay.messages.stream().filter(m -> m.contains("Subject: [EXT] report")).count());
        DeliveryEvent bcc = events(DeliveryStatus.DELIVERED).stream()
                .filter(e -> e.recipients().equals(List.of("audit@example.com"))).findFirst().orElseThrow();
        assertTrue(bcc.reply().startsWith(DeliveryJob.BCC_REPLY_PREFIX), bcc.reply());
        DeliveryEvent own = events(DeliveryStatus.DELIVERED).stream()
                .filter(e -> e.recipients().equals(List.of("b@example.com"))).findFirst().orElseThrow();
        assertFalse(own.reply().startsWith(DeliveryJob.BCC_REPLY_PREFIX));
        assertEquals(io.portcullis.contracts.events.DeliveryKind.BCC_COPY, bcc.kind());
        assertEquals(io.portcullis.contracts.events.DeliveryKind.MESSAGE, own.kind());
    }

    @Test
    void bccOfAQuarantinedOrDeletedGroupIsAComplianceCopy() {
        consume(verdict("P8", "a@example.org", "report", PLAIN,
                group(List.of("b@example.com"), Action.QUARANTINE, Modifications.NONE, List.of(), null,
                        List.of("audit@example.com"), List.of()),
                group(List.of("c@example.com"), Action.DELETE, Modifications.NONE, List.of(), null,
                        List.of("audit2@example.com"), List.of())));

        assertEquals(Set.of(List.of("audit@example.com"), List.of("audit2@example.com")),
                new HashSet<>(relay.pendingPerAttempt));
        assertEquals(List.of("c@example.com"), events(DeliveryStatus.DROPPED).get(0).recipients());
    }

    @Test
    void deferredGroupIsQueuedDurablyUntilItsWindowAndNotDelivered() {
        Instant until = Instant.now().plus(Duration.ofHours(9)).truncatedTo(ChronoUnit.SECONDS);
        String result = consume(verdict("P9", "a@example.org", "big", PLAIN, group(List.of("b@example.com"),
                Action.DELIVER, new Modifications("[LATE]", List.of()), List.of(), until, List.of(), List.of())));

        assertEquals("ack", result, "acknowledged once the deferral is durable");
        assertTrue(relay.messages.isEmpty(), "not delivered before the window");
        assertEquals(1, retries.scheduled.size());
        DeliveryRetryScheduled r = retries.scheduled.get(0);
        assertEquals(until, r.notBefore());
        assertEquals(until, r.firstAttemptAt(), "the queue lifetime runs from the window's opening");
        assertEquals(0, r.attempt(), "no attempt made yet");
        assertEquals(List.of("b@example.com"), r.envelope().recipients());
        assertEquals("a@example.org", r.envelope().mailFrom());
        assertEquals("[LATE]", r.modifications().subjectPrefix());
        DeliveryEvent deferred = events(DeliveryStatus.DEFERRED).get(0);
        assertEquals("policy defer until " + until, deferred.reply());
        assertEquals(List.of("b@example.com"), deferred.recipients());
    }

    @Test
    void aDeferralWhoseWindowIsAlreadyOpenDeliversAtOnce() {
        consume(verdict("P10", "a@example.org", "big", PLAIN, group(List.of("b@example.com"), Action.DELIVER,
                Modifications.NONE, List.of(), Instant.now().minusSeconds(5), List.of(), List.of())));

        assertEquals(List.of(List.of("b@example.com")), relay.pendingPerAttempt);
        assertTrue(retries.scheduled.isEmpty());
    }

    @Test
    void notifiesSenderAdminAndRecipientsWithThePlaceholdersFilled() {
        consume(verdict("P11", "a@example.org", "quarterly numbers", PLAIN,
                group(List.of("b@example.com", "c@example.com"), Action.QUARANTINE, Modifications.NONE, List.of(),
                        null, List.of(), List.of(new Notification("dlp-rule", "default",
                                List.of("sender", "admin", "recipients", "sender"))))));

        assertEquals(List.of("a@example.org", "admin@edge.test", "b@example.com", "c@example.com"),
                notices.sent.stream().map(DeliveryStatusNotification::envelopeRecipient).sorted().toList(),
                "one notice per address");
        DeliveryStatusNotification n = notices.sent.get(0);
        assertEquals("Mail Gateway <postmaster@edge.test>", n.header("From"));
        assertEquals("Portcullis policy notice: QUARANTINE for \"quarterly numbers\"", n.header("Subject"));
        assertEquals("default", n.header(NotificationBuilder.MARKER_HEADER));
        assertEquals("auto-generated", n.header("Auto-Submitted"));
        assertTrue(n.body().contains("Message:    P11"), n.body());
        assertTrue(n.body().contains("Sender:     a@example.org"));
        assertTrue(n.body().contains("Recipients: b@example.com, c@example.com"));
        assertTrue(n.body().contains("Rule:       dlp-rule"));
        assertTrue(relay.messages.isEmpty(), "notices go through the DSN path, not the relay");
    }

    @Test
    void aSubjectWithLineBreaksCannotInjectHeaderFields() {
        consume(verdict("P12", "a@example.org", "hi\r\nBcc: victim@example.net\r\n\r\nbody", PLAIN,
                group(List.of("b@example.com"), Action.DELIVER, Modifications.NONE, List.of(), null, List.of(),
                        List.of(new Notification("r", "default", List.of("sender"))))));

        assertEquals(1, notices.sent.size());
        DeliveryStatusNotification n = notices.sent.get(0);
        String wire = new String(n.toBytes(), StandardCharsets.US_ASCII);
        String header = wire.substring(0, wire.indexOf("\r\n\r\n"));
        assertFalse(header.contains("\r\nBcc:"), header);
        assertNull(n.header("Bcc"));
        assertTrue(n.header("Subject").contains("hi  Bcc: victim@example.net    body"), n.header("Subject"));
        assertFalse(n.header("Subject").contains("\n") || n.header("Subject").contains("\r"));
    }

    @Test
    void noSenderNoticeForTheNullSenderAndNoneAtAllAboutANotice() {
        consume(verdict("P13", "", "bounce", PLAIN, group(List.of("b@example.com"), Action.DELIVER,
                Modifications.NONE, List.of(), null, List.of(),
                List.of(new Notification("r", "default", List.of("sender", "admin"))))));
        assertEquals(List.of("admin@edge.test"),
                notices.sent.stream().map(DeliveryStatusNotification::envelopeRecipient).toList(),
                "the null sender never gets a notice");

        notices.sent.clear();
        byte[] notice = ("From: postmaster@edge.test\r\nSubject: notice\r\n" + NotificationBuilder.MARKER_HEADER
                + ": default\r\n\r\nnotice\r\n").getBytes(StandardCharsets.US_ASCII);
        String result = consume(verdict("P14", "", "notice", notice, group(List.of("admin@edge.test"),
                Action.DELIVER, Modifications.NONE, List.of(), null, List.of(),
                List.of(new Notification("r", "default", List.of("admin", "recipients"))))));
        assertEquals("ack", result);
        assertTrue(notices.sent.isEmpty(), "never a notice about a notice");
        assertEquals(1, relay.messages.stream().filter(m -> m.contains("Subject: notice")).count(),
                "the notice itself is still delivered");
    }

    @Test
    void adminNoticeIsSkippedWhenNoAdminAddressIsConfigured() {
        notifier.stop();
        notifier = notifier(Optional.empty());
        consumer = new VerdictConsumer(new PolicyActions(service, notifier), 16);

        String result = consume(verdict("P15", "a@example.org", "x", PLAIN, group(List.of("b@example.com"),
                Action.DELIVER, Modifications.NONE, List.of(), null, List.of(),
                List.of(new Notification("r", "unknown-template", List.of("admin", "ops@example.com"))))));

        assertEquals("ack", result);
        assertEquals(List.of("ops@example.com"),
                notices.sent.stream().map(DeliveryStatusNotification::envelopeRecipient).toList());
        assertTrue(notices.sent.get(0).header("Subject").startsWith("Portcullis policy notice"),
                "an unknown template falls back to default");
    }

    @Test
    void aNoticeTheNextHopKeepsRefusingIsGivenUpWithoutFailingTheVerdict() {
        notices.failuresLeft.set(100);
        String result = consume(verdict("P16", "a@example.org", "x", PLAIN, group(List.of("b@example.com"),
                Action.DELIVER, Modifications.NONE, List.of(), null, List.of(),
                List.of(new Notification("r", "default", List.of("sender"))))));

        assertEquals("ack", result);
        assertTrue(notices.sent.isEmpty());
        assertEquals(List.of(List.of("b@example.com")), relay.pendingPerAttempt);
    }

    @Test
    void anOldStyleVerdictWithoutDecisionsBehavesAsBefore() {
        VerdictIssued old = new VerdictIssued("P17", "default", Instant.now(), Instant.now(),
                new Envelope("a@example.org", List.of("b@example.com", "c@example.com"), "h", "192.0.2.1", false),
                BodyRef.inline(PLAIN, null), null, "report", Action.TAG, null, false, true, 9.0, List.of(),
                new Modifications("[SPAM]", List.of()), 1);

        consume(old);

        assertEquals(List.of(List.of("b@example.com", "c@example.com")), relay.pendingPerAttempt);
        assertTrue(relay.messages.get(0).contains("Subject: [SPAM] report"));
        assertEquals(List.of(DeliveryStatus.DELIVERED), publisher.statuses());
        assertTrue(notices.sent.isEmpty() && retries.scheduled.isEmpty());
    }

    @Test
    void aFailedDeliveryOfOneGroupNacksTheVerdict() {
        publisher.fail = true;
        String result = consume(verdict("P18", "a@example.org", "x", PLAIN,
                group(List.of("b@example.com"), Action.DELIVER), group(List.of("c@example.com"), Action.QUARANTINE)));

        assertTrue(result.startsWith("nack"), result);
    }
}
