package io.portcullis.edge.delivery;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.portcullis.edge.delivery.DsnBuilder.FailedRecipient;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

class DsnBuilderTest {

    private static final byte[] ORIGINAL_HEADER = ("Received: from client\r\n\tby edge; Fri, 2 Jan 2026 03:04:05 +0000\r\n"
            + "Message-ID: <orig-42@example.org>\r\nFrom: Alice <alice@example.org>\r\nSubject: Gr\u00fc\u00dfe\r\n")
            .getBytes(StandardCharsets.UTF_8);
    private final DsnBuilder builder = new DsnBuilder("edge-1.example.net", "MAILER-DAEMON@example.net");

    private DeliveryStatusNotification build(List<FailedRecipient> failed) {
        return builder.build("alice@example.org", "Q42", Instant.parse("2026-01-02T03:04:05Z"), failed,
                ORIGINAL_HEADER, Instant.parse("2026-01-02T04:00:00Z"));
    }

    /** The body parts between the boundary lines, each as text. */
    private static List<String> parts(DeliveryStatusNotification dsn) {
        Matcher m = Pattern.compile("boundary=\"([^\"]+)\"").matcher(dsn.header("Content-Type"));
        assertTrue(m.find());
        String boundary = m.group(1);
        String body = dsn.body();
        assertTrue(body.endsWith("\n--" + boundary + "--\n"), "closing boundary");
        String[] chunks = body.substring(0, body.lastIndexOf("\n--" + boundary + "--")).split("\n--" + boundary + "\n");
        return List.of(chunks).subList(1, chunks.length);
    }

    @Test
    void buildsAMultipartReportWithThreeParts() {
        DeliveryStatusNotification dsn = build(List.of(
                new FailedRecipient("bob@example.com", "550 5.1.1 <bob@example.com>: User unknown", false, "mx.test")));

        assertEquals("alice@example.org", dsn.envelopeRecipient());
        assertEquals("<alice@example.org>", dsn.header("To"));
        assertEquals("auto-replied", dsn.header("Auto-Submitted"));
        assertTrue(dsn.header("Content-Type").startsWith("multipart/report; report-type=delivery-status; boundary="));
        List<String> parts = parts(dsn);
        assertEquals(3, parts.size());
        assertTrue(parts.get(0).startsWith("Content-Type: text/plain; charset=us-ascii\n"));
        assertTrue(parts.get(0).contains("<bob@example.com>: 550 5.1.1"));

        String status = parts.get(1);
        assertTrue(status.startsWith("Content-Type: message/delivery-status\n"));
        assertTrue(status.contains("\nReporting-MTA: dns; edge-1.example.net\n"));
        assertTrue(status.contains("\nArrival-Date: Fri, 2 Jan 2026 03:04:05 +0000\n"));
        assertTrue(status.contains("\n\nFinal-Recipient: rfc822; bob@example.com\nAction: failed\nStatus: 5.1.1\n"
                + "Remote-MTA: dns; mx.test\nDiagnostic-Code: smtp; 550 5.1.1 <bob@example.com>: User unknown\n"), status);

        String headers = parts.get(2);
        assertTrue(headers.startsWith("Content-Type: text/rfc822-headers\n"));
        assertTrue(headers.contains("\nMessage-ID: <orig-42@example.org>\n"));
        assertTrue(headers.contains("\nReceived: from client\n\tby edge; Fri, 2 Jan 2026 03:04:05 +0000\n"),
                "folding kept");
    }

    @Test
    void isSevenBitWithShortLines() {
        DeliveryStatusNotification dsn = build(List.of(new FailedRecipient("b\u00f6b@example.com",
                "550 5.1.1 " + "x".repeat(2000), false, null)));
        byte[] bytes = dsn.toBytes();
        for (byte b : bytes) {
            assertTrue(b >= 0, "7-bit only");
        }
        for (String line : new String(bytes, StandardCharsets.US_ASCII).split("\r\n")) {
            assertTrue(line.length() <= 998, "line of " + line.length());
        }
        assertTrue(dsn.body().contains("Subject: Gr????e"), "non-ASCII original header bytes are masked");
    }

    @Test
    void mapsEveryFailureToAFiveStatus() {
        assertEquals("5.4.7", DsnBuilder.status(new FailedRecipient("a@b", "451 4.4.1 no answer", true, null)));
        assertEquals("5.7.1", DsnBuilder.status(new FailedRecipient("a@b", "554 5.7.1 spam", false, null)));
        assertEquals("5.0.0", DsnBuilder.status(new FailedRecipient("a@b", "550 no enhanced code", false, null)));
        assertEquals("5.3.0", DsnBuilder.status(new FailedRecipient("a@b", "554 5.3.0 local: bad", false, null)));
    }

    @Test
    void listsEveryFailedRecipient() {
        DeliveryStatusNotification dsn = build(List.of(new FailedRecipient("x@example.com", "550 5.1.1 x", false, "mx"),
                new FailedRecipient("y@example.com", "451 4.4.1 timeout", true, null)));
        String body = dsn.body();
        assertTrue(body.contains("Final-Recipient: rfc822; x@example.com\nAction: failed\nStatus: 5.1.1"));
        assertTrue(body.contains("Final-Recipient: rfc822; y@example.com\nAction: failed\nStatus: 5.4.7"));
    }

    @Test
    void refusesToBounceABounce() {
        assertThrows(IllegalArgumentException.class, () -> builder.build("", "Q", null,
                List.of(new FailedRecipient("a@b", "550", false, null)), new byte[0], Instant.now()));
    }
}
