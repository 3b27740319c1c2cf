package io.portcullis.edge.smtp;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.portcullis.edge.smtp.SmtpTestClient.Reply;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * SMTP smuggling (CVE-2023-51764 and relatives): a client hides a second transaction behind an end-of-data sequence
 * that a lenient server accepts. Here nothing but CRLF.CRLF ends DATA, and bare line endings refuse the message.
 */
class SmtpSmugglingTest {

    private static ServerHarness harness;

    @BeforeAll
    static void start() throws Exception {
        harness = ServerHarness.start();
    }

    @AfterAll
    static void stop() throws Exception {
        harness.close();
    }

    @BeforeEach
    void clear() {
        harness.sink.messages.clear();
    }

    @ParameterizedTest
    @ValueSource(strings = {"\\n.\\n", "\\n.\\r\\n", "\\r.\\r\\n", "\\r\\n.\\n", "\\r\\n.\\r", "\\r.\\r",
        "\\r\\n.\\r\\r\\n", "\\n..\\n", "\\r\\n.\\n\\r\\n"})
    void smuggledTransactionNeverBecomesASecondMessage(String escaped) throws Exception {
        String ending = escaped.replace("\\r", "\r").replace("\\n", "\n");
        try (SmtpTestClient c = harness.connect()) {
            c.command("EHLO attacker.test");
            c.command("MAIL FROM:<a@attacker.test>");
            c.command("RCPT TO:<user@example.com>");
            assertEquals(354, c.command("DATA").code());
            c.send("From: a@attacker.test\r\nSubject: first\r\n\r\nhello" + ending
                    + "MAIL FROM:<ceo@example.com>\r\nRCPT TO:<victim@example.com>\r\nDATA\r\n"
                    + "From: ceo@example.com\r\nSubject: smuggled\r\n\r\nwire money\r\n.\r\n");
            Reply reply = c.reply();
            assertEquals(550, reply.code(), reply.text());
            assertTrue(reply.lines().get(0).startsWith("550 5.6.11 "), reply.text());
            // nothing else was executed from the smuggled part: the next reply answers our NOOP
            assertEquals("250 2.0.0 Ok", c.command("NOOP").lines().get(0));
        }
        assertTrue(harness.sink.messages.isEmpty(), "a message with bare line endings is never produced");
    }

    @ParameterizedTest
    @ValueSource(ints = {1, 3, 7})
    void smugglingSplitAcrossPacketsIsStillRefused(int chunk) throws Exception {
        try (SmtpTestClient c = harness.connect()) {
            c.command("EHLO attacker.test");
            c.command("MAIL FROM:<a@attacker.test>");
            c.command("RCPT TO:<user@example.com>");
            c.command("DATA");
            byte[] wire = ("hello\n.\nMAIL FROM:<ceo@example.com>\r\nRCPT TO:<victim@example.com>\r\nDATA\r\n"
                    + "smuggled\r\n.\r\n").getBytes(java.nio.charset.StandardCharsets.US_ASCII);
            for (int i = 0; i < wire.length; i += chunk) {
                c.sendRaw(java.util.Arrays.copyOfRange(wire, i, Math.min(wire.length, i + chunk)));
            }
            assertEquals(550, c.reply().code());
            assertEquals(250, c.command("NOOP").code());
        }
        assertTrue(harness.sink.messages.isEmpty());
    }

    @ParameterizedTest
    @ValueSource(strings = {"\\r\\n.\\r\\n"})
    void onlyTheRealEndEndsData(String escaped) throws Exception {
        // a proper end followed by a second proper transaction gives exactly two messages: that is pipelining,
        // and each one went through the envelope checks
        String end = escaped.replace("\\r", "\r").replace("\\n", "\n");
        try (SmtpTestClient c = harness.connect()) {
            c.command("EHLO c");
            c.command("MAIL FROM:<a@remote.test>");
            c.command("RCPT TO:<user@example.com>");
            c.command("DATA");
            c.send("one" + end + "MAIL FROM:<b@remote.test>\r\nRCPT TO:<victim@elsewhere.test>\r\nDATA\r\n");
            assertEquals(250, c.reply().code());
            assertEquals(250, c.reply().code());
            assertEquals(550, c.reply().code(), "relay check still applies");
            assertEquals(554, c.reply().code());
        }
        assertEquals(1, harness.sink.messages.size());
        assertFalse(harness.sink.body(0).contains("MAIL FROM"));
    }

    @org.junit.jupiter.api.Test
    void strayCarriageReturnBeforeARealEndRefusesTheMessageAndLaterCommandsGetNormalChecks() throws Exception {
        // "<CR><CRLF>.<CRLF>" contains a genuine end: the message is refused (bare CR) and what follows is ordinary
        // pipelined input that passes through every envelope check again (relay denied here)
        try (SmtpTestClient c = harness.connect()) {
            c.command("EHLO c");
            c.command("MAIL FROM:<a@remote.test>");
            c.command("RCPT TO:<user@example.com>");
            c.command("DATA");
            c.send("hello\r\r\n.\r\nMAIL FROM:<b@remote.test>\r\nRCPT TO:<victim@elsewhere.test>\r\n");
            assertEquals(550, c.reply().code());
            assertEquals(250, c.reply().code());
            assertEquals("550 5.7.1 Relaying denied", c.reply().lines().get(0));
        }
        assertTrue(harness.sink.messages.isEmpty());
    }
}
