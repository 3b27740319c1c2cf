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
}
