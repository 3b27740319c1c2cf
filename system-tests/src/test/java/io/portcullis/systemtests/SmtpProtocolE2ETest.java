package io.portcullis.systemtests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.portcullis.systemtests.support.Messages;
import io.portcullis.systemtests.support.SmtpClient;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** SMTP behaviour of the real edge, over real sockets, with the whole pipeline behind it. */
class SmtpProtocolE2ETest {
    private final Stack stack = Stack.get();

    @Test
    void relayToDomainThatIsNotAcceptedGets550() throws Exception {
        try (SmtpClient c = stack.smtp()) {
            assertEquals(250, c.command("MAIL FROM:<someone@example.net>").code());
            SmtpClient.Reply r = c.command("RCPT TO:<victim@not-accepted.invalid>");
            assertEquals(550, r.code(), r.text());
            assertTrue(r.text().contains("5.7.1"), r.text());
        }
    }

    @Test
    void oversizedMessageGets552ByDeclaredSizeAndByActualSize() throws Exception {
        try (SmtpClient c = stack.smtp()) {
            SmtpClient.Reply r = c.command("MAIL FROM:<big@example.net> SIZE=999999999999");
            assertEquals(552, r.code(), r.text());
        }
        try (SmtpClient c = stack.smtp()) {
            byte[] big = Messages.ofSize("big@example.net", "user@example.com", "big", 27 * 1024 * 1024);
            SmtpClient.Reply r = c.send("big@example.net", List.of("user@example.com"), big);
            assertEquals(552, r.code(), r.text());
            assertEquals(250, c.command("NOOP").code(), "the session stays usable after 552");
        }
    }

    @Test
    void tooManyRecipientsGets452() throws Exception {
        try (SmtpClient c = stack.smtp()) {
            assertEquals(250, c.command("MAIL FROM:<many@example.net>").code());
            SmtpClient.Reply last = null;
            int accepted = 0;
            for (int i = 0; i < 150; i++) {
                last = c.command("RCPT TO:<user" + i + "@example.com>");
                if (last.code() == 250) {
                    accepted++;
                } else {
                    break;
                }
            }
            assertNotNull(last);
            assertEquals(452, last.code(), last.text());
            assertTrue(accepted >= 1 && accepted < 150, "accepted " + accepted);
        }
    }

    /**
     * SMTP smuggling: a fake end of data made of bare LF / bare CR must never end DATA, and the commands after it
     * must never become a second message.
     */
    @ParameterizedTest
    @ValueSource(strings = {"\n.\n", "\n.\r\n", "\r.\r\n", "\r\n.\n", "\r\n.\r", "\n.\r", "\r.\n"})
    void fakeEndOfDataNeverEndsDataOrCreatesASecondMessage(String fakeEnd) throws Exception {
        String smuggler = "smuggler" + ThreadLocalRandom.current().nextInt(1_000_000) + "@example.net";
        try (SmtpClient c = stack.smtp()) {
            assertEquals(250, c.command("MAIL FROM:<outer@example.net>").code());
            assertEquals(250, c.command("RCPT TO:<user@example.com>").code());
            assertEquals(354, c.command("DATA").code());
            String data = "From: <outer@example.net>\r\nSubject: outer\r\n\r\nfirst part" + fakeEnd
                    + "MAIL FROM:<" + smuggler + ">\r\nRCPT TO:<user@example.com>\r\nDATA\r\n"
                    + "From: <" + smuggler + ">\r\nSubject: smuggled\r\n\r\nsmuggled\r\n";
            c.writeRaw(data.getBytes(StandardCharsets.US_ASCII));
            c.writeRaw("\r\n.\r\n".getBytes(StandardCharsets.US_ASCII));
            SmtpClient.Reply end = c.read();
            assertEquals(5, end.code() / 100, "bare CR/LF in DATA is refused, got " + end);
            SmtpClient.Reply noop = c.command("NOOP");
            assertEquals(250, noop.code(), "no reply to a smuggled command may be pending: " + noop);
        }
        // Nothing from the smuggler ever reaches the pipeline.
        Thread.sleep(1000);
        var found = stack.getJson("PORTCULLIS_REPORT_URL", "/api/v1/tracking?sender=" + smuggler);
        assertNotNull(found);
        assertEquals(0, found.size(), "smuggled message tracked: " + found);
    }

    @Test
    void garbageAndBinaryInputGetErrorsAndTheServerKeepsServing() throws Exception {
        try (SmtpClient c = stack.smtp()) {
            assertEquals(500, c.command("HELLO WORLD").code());
            assertEquals(503, c.command("DATA").code());
            assertEquals(501, c.command("MAIL FROM:not-an-address").code());
        }
        try (SmtpClient c = SmtpClient.connect("127.0.0.1", stack.smtpPort())) {
            c.greeting();
            byte[] junk = new byte[4096];
            ThreadLocalRandom.current().nextBytes(junk);
            junk[junk.length - 2] = '\r';
            junk[junk.length - 1] = '\n';
            c.writeRaw(junk);
            // Whatever it answers, it must answer with SMTP error codes or close, never crash.
            try {
                SmtpClient.Reply r = c.read();
                assertTrue(r.code() >= 400, r.text());
            } catch (java.io.IOException closed) {
                // closing the connection on binary garbage is acceptable
            }
        }
        // A fresh connection still gets a full, working transaction.
        try (SmtpClient c = stack.smtp()) {
            SmtpClient.Reply r = c.send("after-garbage@example.net", List.of("user@example.com"),
                    Messages.plain("after-garbage@example.net", "user@example.com", "after garbage", "still alive"));
            assertEquals(250, r.code(), r.text());
            String id = r.queueId();
            Awaitility.await().atMost(Duration.ofSeconds(60)).until(() -> Files.exists(stack.sinkFile(id)));
        }
    }

    @Test
    void malformedMimeIsAcceptedScannedAndDoesNotCrashTheScanner() throws Exception {
        List<String> ids = new ArrayList<>();
        List<byte[]> bad = List.of(
                Messages.crlf("Subject: broken\nContent-Type: multipart/mixed; boundary=\"never\"\n\n--other\nx\n"),
                Messages.crlf("Subject: no end\nContent-Type: multipart/mixed; boundary=b\n\n--b\nContent-Type: text/plain\n"
                        + "Content-Transfer-Encoding: base64\n\n!!!not base64!!!\n"),
                Messages.crlf("no headers at all, just text\n"),
                Messages.crlf("Content-Type: application/zip; name=x.zip\nContent-Transfer-Encoding: base64\n\nUEsDBBQAAAAIAAAAIQAAAA==\n"));
        try (SmtpClient c = stack.smtp()) {
            for (byte[] m : bad) {
                SmtpClient.Reply r = c.send("mime@example.net", List.of("user@example.com"), m);
                assertEquals(250, r.code(), r.text());
                ids.add(r.queueId());
            }
        }
        for (String id : ids) {
            Awaitility.await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(250)).until(() -> {
                var t = stack.getJson("PORTCULLIS_REPORT_URL", "/api/v1/tracking/" + id);
                return t != null && t.path("message").hasNonNull("action");
            });
        }
        var health = stack.getJson("PORTCULLIS_SCANNER_URL", "/q/health/live");
        assertEquals("UP", health.get("status").asText());
    }
}
