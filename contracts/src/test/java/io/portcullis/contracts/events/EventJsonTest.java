package io.portcullis.contracts.events;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.portcullis.contracts.scan.Category;
import io.portcullis.contracts.scan.Finding;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

class EventJsonTest {

    private final Envelope envelope = new Envelope("a@example.net", List.of("b@example.com"), "client", "127.0.0.1", false);

    @Test
    void roundTripsMailReceivedWithInlineBody() {
        byte[] body = "Subject: x\r\n\r\nhi\r\n".getBytes(StandardCharsets.US_ASCII);
        MailReceived in = new MailReceived("Q1", "default", Instant.parse("2026-01-01T00:00:00Z"), "edge-1", envelope,
                BodyRef.inline(body, "ab"));
        MailReceived out = EventJson.read(EventJson.write(in), MailReceived.class);
        assertEquals(in.messageId(), out.messageId());
        assertEquals(in.envelope(), out.envelope());
        assertArrayEquals(body, out.body().inline());
        assertEquals(in.receivedAt(), out.receivedAt());
    }

    @Test
    void roundTripsVerdictWithFindings() {
        VerdictIssued in = new VerdictIssued("Q2", "default", Instant.EPOCH, Instant.EPOCH, envelope,
                BodyRef.stored("spool", "Q2.eml", 10, "cd"), "<m@x>", "hello", Action.TAG, "r1", false, true, 1000,
                List.of(new Finding("GTUBE", Category.SPAM, 1000, "GTUBE string")),
                new Modifications("[SPAM] ", List.of(new HeaderField("X-Portcullis-Spam", "yes"))), 3);
        VerdictIssued out = EventJson.read(EventJson.write(in), VerdictIssued.class);
        assertEquals(in.findings(), out.findings());
        assertEquals(in.modifications(), out.modifications());
        assertEquals("spool", out.body().bucket());
        assertEquals(java.util.Map.of(), out.engineVersions());
    }

    @Test
    void roundTripsVerdictEngineVersions() {
        VerdictIssued in = new VerdictIssued("Q2", "default", Instant.EPOCH, Instant.EPOCH, envelope,
                BodyRef.stored("spool", "Q2.eml", 10, "cd"), null, null, Action.QUARANTINE, "r1", true, false, 0,
                List.of(new Finding("AV_TEST", Category.VIRUS, 0, "Eicar-Test-Signature in part 1")), null, 3,
                java.util.Map.of("antivirus", "2026112701"));
        VerdictIssued out = EventJson.read(EventJson.write(in), VerdictIssued.class);
        assertEquals(java.util.Map.of("antivirus", "2026112701"), out.engineVersions());
        assertEquals(in, out);
    }

    @Test
    void readsVerdictWrittenBeforeEngineVersionsExisted() {
        VerdictIssued in = new VerdictIssued("Q2", "default", Instant.EPOCH, Instant.EPOCH, envelope,
                BodyRef.stored("spool", "Q2.eml", 10, "cd"), null, null, Action.DELIVER, null, false, false, 0,
                List.of(), null, 3);
        String json = new String(EventJson.write(in), java.nio.charset.StandardCharsets.UTF_8)
                .replace(",\"engineVersions\":{}", "");
        org.junit.jupiter.api.Assertions.assertFalse(json.contains("engineVersions"), json);
        VerdictIssued out = EventJson.read(json.getBytes(java.nio.charset.StandardCharsets.UTF_8), VerdictIssued.class);
        assertEquals(java.util.Map.of(), out.engineVersions());
        assertEquals(Action.DELIVER, out.action());
    }

    @Test
    void roundTripsSignatureBundleActivated() {
        SignatureBundleActivated in = new SignatureBundleActivated("default", "2026112701", "portcullis-signatures",
                "bundles/2026112701.tar", "ab".repeat(32), 1234, Instant.EPOCH, "publish");
        assertEquals(in, EventJson.read(EventJson.write(in), SignatureBundleActivated.class));
    }

    @Test
    void roundTripsDeliveryRetryScheduled() {
        Envelope pending = new Envelope("a@example.net", List.of("c@example.com"), null, null, false);
        DeliveryRetryScheduled in = new DeliveryRetryScheduled("Q3", "default", Instant.parse("2026-01-01T00:00:00Z"),
                Instant.parse("2026-01-01T00:05:00Z"), 3, pending, BodyRef.stored("spool", "Q3.eml", 10, "ef"),
                new Modifications("[SPAM] ", List.of(new HeaderField("X-Portcullis-Spam", "yes"))),
                "421 4.3.2 try later");
        DeliveryRetryScheduled out = EventJson.read(EventJson.write(in), DeliveryRetryScheduled.class);
        assertEquals(in.messageId(), out.messageId());
        assertEquals(in.firstAttemptAt(), out.firstAttemptAt());
        assertEquals(in.notBefore(), out.notBefore());
        assertEquals(3, out.attempt());
        assertEquals(pending, out.envelope());
        assertEquals("Q3.eml", out.body().key());
        assertEquals(in.modifications(), out.modifications());
        assertEquals("421 4.3.2 try later", out.lastReply());
        assertEquals(Modifications.NONE, EventJson.read(
                "{\"messageId\":\"Q4\",\"attempt\":1}".getBytes(StandardCharsets.UTF_8),
                DeliveryRetryScheduled.class).modifications());
    }

    @Test
    void ignoresUnknownFieldsForForwardCompatibility() {
        PolicyChanged out = EventJson.read(
                "{\"tenant\":\"t\",\"at\":\"2026-01-01T00:00:00Z\",\"version\":4,\"what\":\"rules\",\"later\":1}"
                        .getBytes(StandardCharsets.UTF_8), PolicyChanged.class);
        assertEquals(4, out.version());
    }

    @Test
    void rejectsMalformedJsonWithClearError() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> EventJson.read("{not json".getBytes(StandardCharsets.UTF_8), MailReceived.class));
        assertEquals(true, e.getMessage().startsWith("not a valid MailReceived"));
    }

    @Test
    void roundTripsIssueFourEvents() {
        SpamFeedback fb = new SpamFeedback("F1", "Q4", "default", Instant.EPOCH, SpamFeedback.Label.HAM,
                SpamFeedback.Source.RELEASE, "alice", BodyRef.stored("portcullis-quarantine", "Q4.eml", 10, "ab"));
        assertEquals(fb, EventJson.read(EventJson.write(fb), SpamFeedback.class));
        SpamModelUpdated up = new SpamModelUpdated("default", 7, Instant.EPOCH, "F1", "Q4", 0, 1,
                List.of(new SpamModelUpdated.TokenDelta(Long.MIN_VALUE, 0, 1), new SpamModelUpdated.TokenDelta(-5, -1, 2)));
        assertEquals(up, EventJson.read(EventJson.write(up), SpamModelUpdated.class));
        RecipientRejected rr = new RecipientRejected("edge-1:s1:3", "edge-1", Instant.EPOCH, "192.0.2.1", "example.com",
                RecipientRejected.Reason.UNKNOWN_USER, 550);
        assertEquals(rr, EventJson.read(EventJson.write(rr), RecipientRejected.class));
        IpBlock b = new IpBlock("192.0.2.1", IpBlock.Kind.SPAM, 5, 3600, Instant.EPOCH, Instant.EPOCH.plusSeconds(60),
                IpBlock.Response.TEMPFAIL, "too much spam");
        assertEquals(b, EventJson.read(EventJson.write(b), IpBlock.class));
        IpProfilerCommand c = new IpProfilerCommand("C1", "192.0.2.0/24", IpProfilerCommand.Type.ALLOW, "admin",
                Instant.EPOCH, null);
        assertEquals(c, EventJson.read(EventJson.write(c), IpProfilerCommand.class));
    }

    @Test
    void readsPolicySnapshotWithAndWithoutSenderLists() {
        var snap = new io.portcullis.contracts.policy.PolicySnapshot("default", 3, List.of("example.com"), 5.0,
                List.of("exe"), List.of(), List.of(new io.portcullis.contracts.policy.SenderListEntry("user@example.com",
                        "*.partner.com", io.portcullis.contracts.policy.SenderListEntry.Kind.SAFE)));
        assertEquals(snap, EventJson.read(EventJson.write(snap), io.portcullis.contracts.policy.PolicySnapshot.class));
        String old = "{\"tenant\":\"default\",\"version\":2,\"acceptedDomains\":[],\"spamThreshold\":5.0,"
                + "\"blockedExtensions\":[],\"rules\":[]}";
        var read = EventJson.read(old.getBytes(StandardCharsets.UTF_8), io.portcullis.contracts.policy.PolicySnapshot.class);
        assertEquals(List.of(), read.senderLists());
    }

    @Test
    void roundTripsPerRecipientDecisions() {
        RecipientDecision deliver = new RecipientDecision(List.of("b@example.com"), Action.DELIVER, "r1",
                new Modifications("[DLP] ", List.of(), List.of("part/2"), "removed"), null, List.of(),
                Instant.parse("2026-11-27T18:00:00Z"), List.of("audit@example.com"),
                List.of(new Notification("r1", "dlp-notice", List.of("sender", "admin"))), List.of("r0", "r1"));
        RecipientDecision hold = new RecipientDecision(List.of("c@example.com"), Action.QUARANTINE, "r2", null, "dlp",
                null, null, null, null, null);
        VerdictIssued in = new VerdictIssued("Q3", "default", Instant.EPOCH, Instant.EPOCH, envelope,
                BodyRef.stored("spool", "Q3.eml", 10, "cd"), null, null, Action.TAG, "r1", false, false, 0, List.of(),
                deliver.modifications(), 4, java.util.Map.of(), 12345,
                List.of(new AttachmentMeta("part/2", "a.xlsx", "application/zip", 9000)), List.of("r0", "r1", "r2"),
                List.of(deliver, hold));
        VerdictIssued out = EventJson.read(EventJson.write(in), VerdictIssued.class);
        assertEquals(in, out);
        assertEquals(List.of(deliver, hold), out.groups());
        assertEquals(false, new String(EventJson.write(in), StandardCharsets.UTF_8).contains("\"groups\""));
    }

    @Test
    void verdictsOfTheFirstReleasesReadAsOneGroup() {
        String old = "{\"messageId\":\"Q4\",\"tenant\":\"default\",\"envelope\":{\"mailFrom\":\"a@x\","
                + "\"recipients\":[\"b@example.com\",\"c@example.com\"],\"helo\":\"h\",\"clientIp\":\"127.0.0.1\","
                + "\"tls\":false},\"action\":\"TAG\",\"ruleId\":\"spam-tag\",\"modifications\":"
                + "{\"subjectPrefix\":\"[SPAM] \",\"addHeaders\":[]},\"policyVersion\":2}";
        VerdictIssued v = EventJson.read(old.getBytes(StandardCharsets.UTF_8), VerdictIssued.class);
        assertEquals(0, v.messageSize());
        assertEquals(List.of(), v.attachments());
        RecipientDecision g = v.groups().get(0);
        assertEquals(List.of("b@example.com", "c@example.com"), g.recipients());
        assertEquals(Action.DELIVER, g.action());
        assertEquals("[SPAM] ", g.modifications().subjectPrefix());
        assertEquals(List.of(), g.modifications().stripAttachments());
    }

    @Test
    void roundTripsQuarantineEventWithItemAndArea() {
        QuarantineEvent in = new QuarantineEvent("Q5", "default", Instant.EPOCH, QuarantineEvent.Type.QUARANTINED,
                envelope, BodyRef.stored("portcullis-quarantine", "Q5.q2.eml", 10, "ab"), "r2", "system", "Q5.q2",
                "dlp");
        QuarantineEvent out = EventJson.read(EventJson.write(in), QuarantineEvent.class);
        assertEquals(in, out);
        assertEquals("Q5.q2", out.itemId());
        assertEquals("dlp", out.area());
    }

    @Test
    void readsQuarantineEventWithoutItemIdOrAreaAsTheMessage() {
        String old = "{\"messageId\":\"Q6\",\"tenant\":\"default\",\"at\":\"2026-01-01T00:00:00Z\","
                + "\"type\":\"RELEASED\",\"reason\":\"r1\",\"actor\":\"alice\"}";
        QuarantineEvent out = EventJson.read(old.getBytes(StandardCharsets.UTF_8), QuarantineEvent.class);
        assertEquals("Q6", out.itemId());
        assertEquals(null, out.area());
        assertEquals(QuarantineEvent.Type.RELEASED, out.type());
        QuarantineEvent viaOldConstructor = new QuarantineEvent("Q6", "default", Instant.EPOCH,
                QuarantineEvent.Type.DELETED, envelope, null, null, "bob");
        assertEquals("Q6", viaOldConstructor.itemId());
        assertEquals(null, viaOldConstructor.area());
    }

    @Test
    void roundTripsDeliveryEventKind() {
        DeliveryEvent in = new DeliveryEvent("Q7", "default", Instant.EPOCH, DeliveryEvent.DeliveryStatus.DELIVERED,
                List.of("audit@example.com"), 1, "relay:25", "bcc copy: 250 ok", DeliveryKind.BCC_COPY);
        assertEquals(in, EventJson.read(EventJson.write(in), DeliveryEvent.class));
        assertEquals(DeliveryKind.MESSAGE, new DeliveryEvent("Q7", "default", Instant.EPOCH,
                DeliveryEvent.DeliveryStatus.DELIVERED, List.of(), 1, null, "250 ok").kind());
        assertEquals(DeliveryKind.MESSAGE, new DeliveryEvent("Q7", "default", Instant.EPOCH,
                DeliveryEvent.DeliveryStatus.DELIVERED, List.of(), 1, null, "250 ok", null).kind());
    }

    @Test
    void readsDeliveryEventWithoutKindAsMessage() {
        String old = "{\"messageId\":\"Q8\",\"tenant\":\"default\",\"at\":\"2026-01-01T00:00:00Z\","
                + "\"status\":\"DEFERRED\",\"recipients\":[\"b@example.com\"],\"attempt\":2,"
                + "\"nextHop\":\"relay:25\",\"reply\":\"421 later\"}";
        DeliveryEvent out = EventJson.read(old.getBytes(StandardCharsets.UTF_8), DeliveryEvent.class);
        assertEquals(DeliveryKind.MESSAGE, out.kind());
        assertEquals(2, out.attempt());
        assertEquals("421 later", out.reply());
    }

    @Test
    void deliveryRetryKeepsItsKindAndReadsOldRecordsAsMessage() {
        DeliveryRetryScheduled in = new DeliveryRetryScheduled("Q9", "default", Instant.EPOCH, Instant.EPOCH, 3,
                envelope, BodyRef.stored("spool", "Q9.eml", 10, "ef"), null, "421 later", DeliveryKind.RELEASE);
        DeliveryRetryScheduled out = EventJson.read(EventJson.write(in), DeliveryRetryScheduled.class);
        assertEquals(in, out);
        assertEquals(DeliveryKind.RELEASE, out.kind());
        assertEquals(DeliveryKind.MESSAGE, EventJson.read(
                "{\"messageId\":\"Q4\",\"attempt\":1}".getBytes(StandardCharsets.UTF_8),
                DeliveryRetryScheduled.class).kind());
    }
}
