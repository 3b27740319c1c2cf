package io.portcullis.edge.smtp;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.portcullis.contracts.events.Envelope;
import io.portcullis.edge.smtp.SmtpTestClient.Reply;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Drives a real server over a real socket through the normal dialogue and its error replies. */
class SmtpConversationTest {

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

    private static void assertReply(int code, String enhanced, Reply reply) {
        assertEquals(code, reply.code(), reply.text());
        if (enhanced != null) {
            assertTrue(reply.lines().get(0).startsWith(code + " " + enhanced + " "), reply.text());
        }
    }

    @Test
    void fullConversationQueuesTheMessageWithReceivedHeader() throws Exception {
        try (SmtpTestClient c = harness.connect()) {
            Reply ehlo = c.command("EHLO client.test");
            assertReply(250, null, ehlo);
            assertEquals(List.of("250-mx.test", "250-PIPELINING", "250-SIZE 10000", "250-8BITMIME",
                    "250-ENHANCEDSTATUSCODES", "250 SMTPUTF8"), ehlo.lines(), "no STARTTLS without TLS");
            assertReply(250, "2.1.0", c.command("MAIL FROM:<sender@remote.test> SIZE=100 BODY=8BITMIME"));
            assertReply(250, "2.1.5", c.command("RCPT TO:<User@Example.COM>"));
            assertReply(354, null, c.command("DATA"));
            c.send("Subject: hello\r\n\r\n..leading dot\r\nbody\r\n.\r\n");
            Reply queued = c.reply();
            assertReply(250, "2.0.0", queued);
            assertEquals(1, harness.sink.messages.size());
            AcceptedMessage m = harness.sink.messages.get(0);
            assertEquals("250 2.0.0 Ok: queued as " + m.queueId(), queued.lines().get(0));
            assertTrue(QueueIdGenerator.isValid(m.queueId()));
            assertEquals(new Envelope("sender@remote.test", List.of("User@Example.COM"), "client.test", "127.0.0.1",
                    false), m.envelope());
            String text = harness.sink.body(0);
            assertTrue(text.startsWith("Received: from client.test ([127.0.0.1])\r\n\tby mx.test with ESMTP id "
                    + m.queueId() + "\r\n\tfor <User@Example.COM>; "), text);
            assertTrue(text.endsWith("\r\nSubject: hello\r\n\r\n.leading dot\r\nbody\r\n"), text);
            assertReply(221, "2.0.0", c.command("QUIT"));
            assertTrue(c.closedByServer());
        }
    }

    @Test
    void pipelinedCommandsGetTheirRepliesInOrder() throws Exception {
        try (SmtpTestClient c = harness.connect()) {
            c.send("EHLO client.test\r\nMAIL FROM:<>\r\nRCPT TO:<a@example.com>\r\nRCPT TO:<b@elsewhere.test>\r\n"
                    + "RCPT TO:<c@example.org>\r\nDATA\r\nSubject: x\r\n\r\nhi\r\n.\r\nMAIL FROM:<x@y.test>\r\n"
                    + "RCPT TO:<d@example.com>\r\nDATA\r\nsecond\r\n.\r\nQUIT\r\n");
            List<Integer> codes = new ArrayList<>();
            for (int i = 0; i < 12; i++) {
                codes.add(c.reply().code());
            }
            assertEquals(List.of(250, 250, 250, 550, 250, 354, 250, 250, 250, 354, 250, 221), codes);
            assertEquals(2, harness.sink.messages.size());
            assertEquals(List.of("a@example.com", "c@example.org"),
                    harness.sink.messages.get(0).envelope().recipients());
            assertEquals("", harness.sink.messages.get(0).envelope().mailFrom(), "null sender");
            assertTrue(harness.sink.body(1).endsWith("\r\nsecond\r\n"));
        }
    }

    @Test
    void manyPipelinedCommandsWithoutReadingDoNotStallTheServer() throws Exception {
        try (SmtpTestClient c = harness.connect()) {
            StringBuilder sb = new StringBuilder("EHLO c\r\n");
            for (int i = 0; i < 5000; i++) {
                sb.append("NOOP\r\n");
            }
            c.send(sb.toString());
            c.reply();
            for (int i = 0; i < 5000; i++) {
                assertEquals(250, c.reply().code());
            }
            assertReply(250, null, c.command("NOOP"));
        }
    }

    @Test
    void rsetAbandonsTheTransaction() throws Exception {
        try (SmtpTestClient c = harness.connect()) {
            c.command("EHLO c");
            c.command("MAIL FROM:<a@remote.test>");
            c.command("RCPT TO:<a@example.com>");
            assertReply(250, "2.0.0", c.command("RSET"));
            assertReply(503, "5.5.1", c.command("RCPT TO:<a@example.com>"));
            assertReply(503, "5.5.1", c.command("DATA"));
            assertReply(250, "2.1.0", c.command("MAIL FROM:<a@remote.test>"));
        }
        assertTrue(harness.sink.messages.isEmpty());
    }

    @Test
    void ehloResetsTheTransaction() throws Exception {
        try (SmtpTestClient c = harness.connect()) {
            c.command("EHLO c");
            c.command("MAIL FROM:<a@remote.test>");
            c.command("RCPT TO:<a@example.com>");
            assertReply(250, null, c.command("EHLO again"));
            assertReply(503, "5.5.1", c.command("DATA"));
        }
    }

    @Test
    void commandsOutOfSequenceGet503() throws Exception {
        try (SmtpTestClient c = harness.connect()) {
            assertReply(503, "5.5.1", c.command("MAIL FROM:<a@remote.test>"));
            assertReply(503, "5.5.1", c.command("RCPT TO:<a@example.com>"));
            assertReply(503, "5.5.1", c.command("DATA"));
            c.command("HELO c");
            assertReply(503, "5.5.1", c.command("RCPT TO:<a@example.com>"));
            assertReply(503, "5.5.1", c.command("DATA"));
            c.command("MAIL FROM:<a@remote.test>");
            assertReply(503, "5.5.1", c.command("MAIL FROM:<a@remote.test>"));
            assertReply(554, "5.5.1", c.command("DATA"));
            assertReply(550, "5.7.1", c.command("RCPT TO:<a@remote.test>"));
            assertReply(554, "5.5.1", c.command("DATA"));
        }
    }

    @Test
    void unknownCommandsAndSyntaxErrors() throws Exception {
        try (SmtpTestClient c = harness.connect()) {
            assertReply(500, "5.5.2", c.command("XYZZY"));
            assertReply(500, "5.5.2", c.command("GET / HTTP/1.1"));
            assertReply(501, "5.5.4", c.command("EHLO"));
            assertReply(501, "5.5.4", c.command("HELO bad(name)"));
            assertReply(250, null, c.command("EHLO c"));
            assertReply(501, "5.5.4", c.command("MAIL TO:<a@b.test>"));
            assertReply(501, "5.1.7", c.command("MAIL FROM:a@b.test"));
            assertReply(501, "5.1.7", c.command("MAIL FROM:<a@@b.test>"));
            assertReply(555, "5.5.4", c.command("MAIL FROM:<a@b.test> RET=HDRS"));
            assertReply(250, "2.0.0", c.command("NOOP"));
            assertReply(504, "5.5.4", c.command("MAIL FROM:<a@b.test> BODY=BINARYMIME"));
            assertReply(553, "5.6.7", c.command("MAIL FROM:<ü@b.test>"));
            assertReply(250, "2.1.0", c.command("MAIL FROM:<ü@b.test> SMTPUTF8"));
            assertReply(501, "5.1.3", c.command("RCPT TO:<>"));
            assertReply(501, "5.5.4", c.command("RCPT FROM:<a@example.com>"));
            assertReply(555, "5.5.4", c.command("RCPT TO:<a@example.com> NOTIFY=NEVER"));
            assertReply(250, "2.0.0", c.command("NOOP"));
            assertReply(501, "5.5.4", c.command("DATA now"));
            assertReply(501, "5.5.4", c.command("RSET now"));
            assertReply(250, "2.0.0", c.command("NOOP whatever"));
            assertReply(252, "2.5.0", c.command("VRFY postmaster"));
            assertReply(501, "5.5.4", c.command("VRFY"));
            assertReply(214, "2.0.0", c.command("HELP"));
            assertReply(454, "4.7.0", c.command("STARTTLS"));
        }
    }

    @Test
    void relayToOtherDomainsIsDeniedCaseInsensitively() throws Exception {
        try (SmtpTestClient c = harness.connect()) {
            c.command("EHLO c");
            c.command("MAIL FROM:<a@remote.test>");
            assertReply(550, "5.7.1", c.command("RCPT TO:<victim@gmail.test>"));
            assertReply(550, "5.7.1", c.command("RCPT TO:<a@sub.example.com>"));
            assertReply(550, "5.7.1", c.command("RCPT TO:<a@[127.0.0.1]>"));
            assertReply(550, "5.7.1", c.command("RCPT TO:<@example.com:victim@gmail.test>"));
            assertReply(250, "2.1.5", c.command("RCPT TO:<a@EXAMPLE.org>"));
        }
    }

    @Test
    void tooManyRecipientsGets452() throws Exception {
        try (SmtpTestClient c = harness.connect()) {
            c.command("EHLO c");
            c.command("MAIL FROM:<a@remote.test>");
            for (int i = 0; i < 3; i++) {
                assertReply(250, "2.1.5", c.command("RCPT TO:<u" + i + "@example.com>"));
            }
            assertReply(452, "4.5.3", c.command("RCPT TO:<u4@example.com>"));
            assertReply(354, null, c.command("DATA"));
            c.send("x\r\n.\r\n");
            assertReply(250, "2.0.0", c.reply());
            assertEquals(3, harness.sink.messages.get(0).envelope().recipients().size());
        }
    }

    @Test
    void declaredSizeOverTheLimitGets552() throws Exception {
        try (SmtpTestClient c = harness.connect()) {
            c.command("EHLO c");
            assertReply(552, "5.3.4", c.command("MAIL FROM:<a@remote.test> SIZE=10001"));
            assertReply(250, "2.1.0", c.command("MAIL FROM:<a@remote.test> SIZE=10000"));
        }
    }

    @Test
    void oversizedDataIsReadToTheEndAndRefusedWith552() throws Exception {
        try (SmtpTestClient c = harness.connect()) {
            c.command("EHLO c");
            c.command("MAIL FROM:<a@remote.test>");
            c.command("RCPT TO:<a@example.com>");
            c.command("DATA");
            String line = "0123456789".repeat(9) + "\r\n";
            c.send(line.repeat(2000) + ".\r\n");
            assertReply(552, "5.3.4", c.reply());
            assertTrue(harness.sink.messages.isEmpty());
            // the session is in sync and usable again
            c.command("MAIL FROM:<a@remote.test>");
            c.command("RCPT TO:<a@example.com>");
            c.command("DATA");
            c.send("small\r\n.\r\n");
            assertReply(250, "2.0.0", c.reply());
        }
    }

    @Test
    void bareLineEndingsInCommandsAre500() throws Exception {
        try (SmtpTestClient c = harness.connect()) {
            c.send("EHLO c\n");
            assertReply(500, "5.5.2", c.reply());
            c.send("NO\rOP\r\n");
            assertReply(500, "5.5.2", c.reply());
            assertReply(250, null, c.command("EHLO c"));
        }
    }

    @Test
    void overlongCommandLinesAre500AndTheSessionContinues() throws Exception {
        try (SmtpTestClient c = harness.connect()) {
            c.command("EHLO c");
            assertReply(500, "5.5.2", c.command("NOOP " + "x".repeat(600)));
            assertReply(500, "5.5.2", c.command("MAIL FROM:<a@remote.test> " + "X".repeat(100_000)));
            // MAIL may be longer than 512 (parameters), up to 2048
            assertReply(501, "5.5.4", c.command("MAIL FROM:<a@remote.test> SIZE=1" + " ".repeat(1000) + "=x"));
            assertReply(250, "2.1.0", c.command("MAIL FROM:<a@remote.test>"));
        }
    }

    @Test
    void tooManyConsecutiveErrorsCloseWith421() throws Exception {
        try (SmtpTestClient c = harness.connect()) {
            for (int i = 0; i < 9; i++) {
                assertEquals(500, c.command("BAD" + i).code());
            }
            c.send("BAD9\r\n");
            assertEquals(500, c.reply().code());
            assertReply(421, "4.7.0", c.reply());
            assertTrue(c.closedByServer());
        }
    }

    @Test
    void successfulCommandResetsTheErrorCount() throws Exception {
        try (SmtpTestClient c = harness.connect()) {
            for (int round = 0; round < 3; round++) {
                for (int i = 0; i < 9; i++) {
                    assertEquals(500, c.command("BAD").code());
                }
                assertEquals(250, c.command("NOOP").code());
            }
        }
    }

    @Test
    void invalidUtf8AndControlCharactersInCommandsAre500() throws Exception {
        try (SmtpTestClient c = harness.connect()) {
            c.sendRaw(new byte[] {'N', 'O', 'O', 'P', ' ', (byte) 0xC3, (byte) 0x28, '\r', '\n'});
            assertReply(500, "5.5.2", c.reply());
            c.sendRaw(new byte[] {'N', 'O', 0, 'P', '\r', '\n'});
            assertReply(500, "5.5.2", c.reply());
            assertReply(250, "2.0.0", c.command("NOOP"));
        }
    }
}
