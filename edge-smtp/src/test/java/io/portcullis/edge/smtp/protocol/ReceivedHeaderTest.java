package io.portcullis.edge.smtp.protocol;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

class ReceivedHeaderTest {

    private static final Instant AT = Instant.parse("2026-06-02T10:00:05Z");

    @Test
    void rendersRfc5321TraceFieldWithOneRecipient() {
        String header = ReceivedHeader.render("client.test", "192.0.2.1", "mx.example", true, true, false,
                "0ABC", List.of("user@example.com"), AT);
        assertEquals("Received: from client.test ([192.0.2.1])\r\n\tby mx.example with ESMTPS id 0ABC\r\n"
                + "\tfor <user@example.com>; Tue, 2 Jun 2026 10:00:05 +0000\r\n", header);
    }

    @Test
    void omitsForClauseWithSeveralRecipientsAndNamesTheProtocol() {
        String header = ReceivedHeader.render("c", "2001:db8::1", "mx", false, false, false, "ID",
                List.of("a@x.test", "b@x.test"), AT);
        assertFalse(header.contains("for <"));
        assertTrue(header.contains("([IPv6:2001:db8::1])"));
        assertTrue(header.contains(" with SMTP id ID;"));
        assertTrue(ReceivedHeader.render("c", "1.2.3.4", "mx", true, false, true, "ID", List.of(), AT)
                .contains("with UTF8SMTP id"));
    }
}
