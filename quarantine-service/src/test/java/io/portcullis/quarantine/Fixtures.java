package io.portcullis.quarantine;

import io.portcullis.contracts.events.Action;
import io.portcullis.contracts.events.BodyRef;
import io.portcullis.contracts.events.Envelope;
import io.portcullis.contracts.events.VerdictIssued;
import io.portcullis.contracts.scan.Category;
import io.portcullis.contracts.scan.Finding;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.util.HexFormat;
import java.util.List;
import java.util.UUID;

/** Test data. */
public final class Fixtures {
    public static final Instant RECEIVED = Instant.parse("2026-03-04T05:06:07Z");

    private Fixtures() {
    }

    public static String newId() {
        return "q" + UUID.randomUUID().toString().replace("-", "");
    }

    public static byte[] eml(String id) {
        return ("Received: from test\r\nSubject: hello " + id + "\r\n\r\nX5O!P%@AP[4\\PZX54(P^)7CC)7}$EICAR\r\n")
                .getBytes(StandardCharsets.US_ASCII);
    }

    public static String sha256(byte[] bytes) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    public static Envelope envelope(String sender, String... recipients) {
        return new Envelope(sender, List.of(recipients), "mx.example.net", "192.0.2.7", true);
    }

    public static VerdictIssued verdict(String id, Action action, BodyRef body, Envelope envelope) {
        return new VerdictIssued(id, "default", RECEIVED, RECEIVED.plusSeconds(2), envelope, body, "<" + id + "@x>",
                "hello " + id, action, "block-virus", true, false, 0.0,
                List.of(new Finding("EICAR_TEST", Category.VIRUS, 0, "eicar"),
                        new Finding("MIME_OK", Category.INFO, 0, null)),
                null, 7);
    }

    public static VerdictIssued inlineVerdict(String id, Action action) {
        byte[] eml = eml(id);
        return verdict(id, action, BodyRef.inline(eml, sha256(eml)), envelope("alice@example.org", "bob@example.com"));
    }

    /** A QUARANTINE verdict with one group in {@code area} (null: the class default), subject and envelope. */
    public static VerdictIssued inArea(String id, String area, String subject, String sender, String... recipients) {
        byte[] eml = eml(id);
        VerdictIssued base = verdict(id, Action.QUARANTINE, BodyRef.inline(eml, sha256(eml)),
                envelope(sender, recipients));
        return new VerdictIssued(base.messageId(), base.tenant(), base.receivedAt(), base.scannedAt(),
                base.envelope(), base.body(), base.headerMessageId(), subject, base.action(), "custom-rule",
                base.virus(), base.spam(), base.spamScore(), base.findings(), base.modifications(),
                base.policyVersion(), java.util.Map.of(), eml.length, List.of(), List.of(), List.of(
                        new io.portcullis.contracts.events.RecipientDecision(List.of(recipients), Action.QUARANTINE,
                                "custom-rule", io.portcullis.contracts.events.Modifications.NONE, area, List.of(),
                                null, List.of(), List.of(), List.of("custom-rule"))));
    }
}
