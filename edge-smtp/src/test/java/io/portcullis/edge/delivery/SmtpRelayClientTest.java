package io.portcullis.edge.delivery;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.portcullis.edge.delivery.RecipientResult.Outcome;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.SequenceInputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SmtpRelayClientTest {

    private static final String MESSAGE = "From: a@example.org\r\nTo: b@example.com\r\nSubject: hi\r\n\r\nHello.\r\n";

    private final SmtpRelayClient client = new SmtpRelayClient("edge.test", Duration.ofSeconds(5), true);

    private static OutgoingMessage message(String text) {
        byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
        return new OutgoingMessage(new ByteArrayInputStream(bytes), bytes.length);
    }

    private static Outcome outcome(RelayResult result, String rcpt) {
        return result.recipients().stream().filter(r -> r.recipient().equals(rcpt)).findFirst().orElseThrow().outcome();
    }

    @Test
    void relaysVerbatimAndReportsEveryRecipientAccepted() throws Exception {
        try (FakeSmtpServer server = new FakeSmtpServer(new FakeSmtpServer.Script())) {
            RelayResult result = client.relay(server.hop(), "a@example.org", List.of("b@example.com", "c@example.com"),
                    message(MESSAGE));

            assertEquals(List.of(Outcome.ACCEPTED, Outcome.ACCEPTED),
                    result.recipients().stream().map(RecipientResult::outcome).toList());
            assertEquals("250 2.0.0 Ok: queued as FAKE1", result.recipients().get(0).reply());
            FakeSmtpServer.Session s = server.lastSession();
            assertEquals(List.of("EHLO edge.test", "MAIL FROM:<a@example.org> SIZE=" + MESSAGE.length() + " BODY=8BITMIME",
                    "RCPT TO:<b@example.com>", "RCPT TO:<c@example.com>", "DATA", "QUIT"), s.commands);
            assertArrayEquals(MESSAGE.getBytes(StandardCharsets.UTF_8), s.data.get(0));
            assertFalse(result.tls());
        }
    }

    @Test
    void temporaryRefusalOfOneRecipientDoesNotStopTheOther() throws Exception {
        FakeSmtpServer.Script script = new FakeSmtpServer.Script();
        script.rcpt = a -> a.startsWith("busy") ? "450 4.2.1 Mailbox busy, try later" : "250 2.1.5 Ok";
        try (FakeSmtpServer server = new FakeSmtpServer(script)) {
            RelayResult result = client.relay(server.hop(), "a@example.org",
                    List.of("busy@example.com", "ok@example.com"), message(MESSAGE));

            assertEquals(Outcome.TEMPORARY, outcome(result, "busy@example.com"));
            assertEquals("450 4.2.1 Mailbox busy, try later", result.recipients().get(0).reply());
            assertEquals(Outcome.ACCEPTED, outcome(result, "ok@example.com"));
            assertEquals(1, server.lastSession().data.size());
        }
    }

    @Test
    void permanentRefusalOfEveryRecipientSkipsData() throws Exception {
        FakeSmtpServer.Script script = new FakeSmtpServer.Script();
        script.rcpt = a -> "550 5.1.1 <" + a + ">: Recipient address rejected: User unknown";
        try (FakeSmtpServer server = new FakeSmtpServer(script)) {
            RelayResult result = client.relay(server.hop(), "a@example.org", List.of("nobody@example.com"),
                    message(MESSAGE));

            assertEquals(Outcome.PERMANENT, outcome(result, "nobody@example.com"));
            assertTrue(result.recipients().get(0).reply().startsWith("550 5.1.1"));
            assertFalse(server.lastSession().commands.contains("DATA"));
            assertTrue(server.lastSession().commands.contains("QUIT"));
        }
    }

    @Test
    void permanentRefusalAfterDataFailsEveryAcceptedRecipient() throws Exception {
        FakeSmtpServer.Script script = new FakeSmtpServer.Script();
        script.endOfData = "554 5.7.1 Message rejected as spam";
        try (FakeSmtpServer server = new FakeSmtpServer(script)) {
            RelayResult result = client.relay(server.hop(), "a@example.org", List.of("b@example.com", "c@example.com"),
                    message(MESSAGE));

            assertEquals(List.of(Outcome.PERMANENT, Outcome.PERMANENT),
                    result.recipients().stream().map(RecipientResult::outcome).toList());
            assertEquals("554 5.7.1 Message rejected as spam", result.recipients().get(1).reply());
        }
    }

    @Test
    void permanentRefusalOfTheSenderFailsEveryRecipient() throws Exception {
        FakeSmtpServer.Script script = new FakeSmtpServer.Script();
        script.mail = "553 5.7.1 Sender address rejected";
        try (FakeSmtpServer server = new FakeSmtpServer(script)) {
            RelayResult result = client.relay(server.hop(), "a@example.org", List.of("b@example.com"), message(MESSAGE));

            assertEquals(Outcome.PERMANENT, outcome(result, "b@example.com"));
            assertFalse(server.lastSession().commands.stream().anyMatch(c -> c.startsWith("RCPT")));
        }
    }

    @Test
    void refusedConnectionIsTemporary() throws Exception {
        int port;
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            port = s.getLocalPort();
        }
        RelayResult result = client.relay(new NextHop("127.0.0.1", port), "a@example.org", List.of("b@example.com"),
                message(MESSAGE));

        assertEquals(Outcome.TEMPORARY, outcome(result, "b@example.com"));
        assertTrue(result.recipients().get(0).reply().contains("local: connection"), result.recipients().get(0).reply());
    }

    @Test
    void silentServerTimesOutAsTemporary() throws Exception {
        FakeSmtpServer.Script script = new FakeSmtpServer.Script();
        script.silent = true;
        SmtpRelayClient impatient = new SmtpRelayClient("edge.test", Duration.ofMillis(300), true);
        try (FakeSmtpServer server = new FakeSmtpServer(script)) {
            long start = System.nanoTime();
            RelayResult result = impatient.relay(server.hop(), "a@example.org", List.of("b@example.com"),
                    message(MESSAGE));

            assertEquals(Outcome.TEMPORARY, outcome(result, "b@example.com"));
            assertTrue(result.recipients().get(0).reply().contains("timeout"), result.recipients().get(0).reply());
            assertTrue(Duration.ofNanos(System.nanoTime() - start).toMillis() < 4000);
        }
    }

    @Test
    void noReplyAfterDataIsTemporaryBecauseTheOutcomeIsUnknown() throws Exception {
        FakeSmtpServer.Script script = new FakeSmtpServer.Script();
        script.silentAfterData = true;
        SmtpRelayClient impatient = new SmtpRelayClient("edge.test", Duration.ofMillis(300), true);
        try (FakeSmtpServer server = new FakeSmtpServer(script)) {
            RelayResult result = impatient.relay(server.hop(), "a@example.org", List.of("b@example.com"),
                    message(MESSAGE));

            assertEquals(Outcome.TEMPORARY, outcome(result, "b@example.com"));
        }
    }

    @Test
    void parsesMultiLineRepliesAndCapabilities() throws Exception {
        FakeSmtpServer.Script script = new FakeSmtpServer.Script();
        script.greeting = "220-fake.example ESMTP\r\n220-no UCE\r\n220 welcome";
        script.ehlo = "250-fake.example\r\n250-PIPELINING\r\n250-size 2000\r\n250 ENHANCEDSTATUSCODES";
        script.rcpt = a -> "550-5.1.1 first line\r\n550-5.1.1 second line\r\n550 5.1.1 last line";
        try (FakeSmtpServer server = new FakeSmtpServer(script)) {
            RelayResult result = client.relay(server.hop(), "a@example.org", List.of("x@example.com"), message(MESSAGE));

            assertEquals(Outcome.PERMANENT, outcome(result, "x@example.com"));
            assertEquals("550 5.1.1 first line 5.1.1 second line 5.1.1 last line", result.recipients().get(0).reply());
            assertEquals("MAIL FROM:<a@example.org> SIZE=" + MESSAGE.length(), server.lastSession().commands.get(1));
        }
    }

    @Test
    void malformedReplyIsTemporary() throws Exception {
        FakeSmtpServer.Script script = new FakeSmtpServer.Script();
        script.mail = "2x0 what";
        try (FakeSmtpServer server = new FakeSmtpServer(script)) {
            RelayResult result = client.relay(server.hop(), "a@example.org", List.of("b@example.com"), message(MESSAGE));

            assertEquals(Outcome.TEMPORARY, outcome(result, "b@example.com"));
            assertTrue(result.recipients().get(0).reply().contains("malformed"), result.recipients().get(0).reply());
        }
    }

    @Test
    void refusesLocallyWhenTheNextHopAdvertisesASmallerSize() throws Exception {
        FakeSmtpServer.Script script = new FakeSmtpServer.Script();
        script.ehlo = "250-fake.example\r\n250 SIZE 10";
        try (FakeSmtpServer server = new FakeSmtpServer(script)) {
            RelayResult result = client.relay(server.hop(), "a@example.org", List.of("b@example.com"), message(MESSAGE));

            assertEquals(Outcome.PERMANENT, outcome(result, "b@example.com"));
            assertTrue(result.recipients().get(0).reply().startsWith("552 5.3.4"));
            assertFalse(server.lastSession().commands.stream().anyMatch(c -> c.startsWith("MAIL")));
        }
    }

    @Test
    void fallsBackToHeloWhenEhloIsRefused() throws Exception {
        FakeSmtpServer.Script script = new FakeSmtpServer.Script();
        script.ehlo = "502 5.5.2 EHLO not implemented";
        try (FakeSmtpServer server = new FakeSmtpServer(script)) {
            RelayResult result = client.relay(server.hop(), "", List.of("b@example.com"), message(MESSAGE));

            assertEquals(Outcome.ACCEPTED, outcome(result, "b@example.com"));
            List<String> commands = server.lastSession().commands;
            assertEquals("HELO edge.test", commands.get(1));
            assertEquals("MAIL FROM:<>", commands.get(2), "the null sender without ESMTP parameters");
        }
    }

    @Test
    void refusedGreetingFailsEveryRecipientByItsCode() throws Exception {
        FakeSmtpServer.Script script = new FakeSmtpServer.Script();
        script.greeting = "554 5.3.2 no service";
        try (FakeSmtpServer server = new FakeSmtpServer(script)) {
            RelayResult result = client.relay(server.hop(), "a@example.org", List.of("b@example.com"), message(MESSAGE));
            assertEquals(Outcome.PERMANENT, outcome(result, "b@example.com"));
        }
    }

    @Test
    void dotStuffsLinesStartingWithADotAndEndsAnUnterminatedLastLine() throws Exception {
        String body = "Subject: dots\r\n\r\n.leading dot\r\n..two dots\r\n.\r\nmiddle . dot\r\nlast line";
        String stuffed = "Subject: dots\r\n\r\n..leading dot\r\n...two dots\r\n..\r\nmiddle . dot\r\nlast line\r\n";
        try (FakeSmtpServer server = new FakeSmtpServer(new FakeSmtpServer.Script())) {
            RelayResult result = client.relay(server.hop(), "a@example.org", List.of("b@example.com"), message(body));

            assertEquals(Outcome.ACCEPTED, outcome(result, "b@example.com"));
            assertEquals(stuffed, new String(server.lastSession().data.get(0), StandardCharsets.UTF_8));
        }
    }

    @Test
    void usesStartTlsWhenOfferedAndSaysEhloAgain(@TempDir Path dir) throws Exception {
        FakeSmtpServer.Script script = new FakeSmtpServer.Script();
        script.ehlo = "250-fake.example\r\n250-STARTTLS\r\n250 8BITMIME";
        script.tls = TestTls.selfSignedServerContext(dir);
        try (FakeSmtpServer server = new FakeSmtpServer(script)) {
            RelayResult result = client.relay(server.hop(), "a@example.org", List.of("b@example.com"), message(MESSAGE));

            assertEquals(Outcome.ACCEPTED, outcome(result, "b@example.com"));
            assertTrue(result.tls());
            FakeSmtpServer.Session s = server.lastSession();
            assertTrue(s.tls);
            assertEquals(List.of("EHLO edge.test", "STARTTLS", "EHLO edge.test"), s.commands.subList(0, 3));
            assertArrayEquals(MESSAGE.getBytes(StandardCharsets.UTF_8), s.data.get(0));
        }
    }

    @Test
    void continuesInPlainTextWhenStartTlsIsRefused() throws Exception {
        FakeSmtpServer.Script script = new FakeSmtpServer.Script();
        script.ehlo = "250-fake.example\r\n250 STARTTLS";
        try (FakeSmtpServer server = new FakeSmtpServer(script)) {
            RelayResult result = client.relay(server.hop(), "a@example.org", List.of("b@example.com"), message(MESSAGE));

            assertEquals(Outcome.ACCEPTED, outcome(result, "b@example.com"));
            assertFalse(result.tls());
            assertEquals("STARTTLS", server.lastSession().commands.get(1));
        }
    }

    @Test
    void bodyReadFailureAbortsDataWithoutTheFinalDot() throws Exception {
        InputStream failing = new SequenceInputStream(new ByteArrayInputStream("Subject: x\r\n\r\npart".getBytes()),
                new InputStream() {
                    @Override
                    public int read() throws IOException {
                        throw new IOException("storage went away");
                    }
                });
        try (FakeSmtpServer server = new FakeSmtpServer(new FakeSmtpServer.Script())) {
            RelayResult result = client.relay(server.hop(), "a@example.org", List.of("b@example.com"),
                    new OutgoingMessage(failing, 100));

            assertEquals(Outcome.TEMPORARY, outcome(result, "b@example.com"));
            assertTrue(result.recipients().get(0).reply().contains("storage went away"));
            assertTrue(server.lastSession().data.isEmpty(), "the next hop never saw a complete message");
        }
    }

    @Test
    void corruptBodyIsPermanent() throws Exception {
        InputStream corrupt = new InputStream() {
            @Override
            public int read() throws IOException {
                throw new BodyIntegrityException("sha mismatch");
            }
        };
        try (FakeSmtpServer server = new FakeSmtpServer(new FakeSmtpServer.Script())) {
            RelayResult result = client.relay(server.hop(), "a@example.org", List.of("b@example.com"),
                    new OutgoingMessage(corrupt, 1));

            assertEquals(Outcome.PERMANENT, outcome(result, "b@example.com"));
        }
    }

    @Test
    void refusesAddressesThatWouldInjectCommands() throws Exception {
        try (FakeSmtpServer server = new FakeSmtpServer(new FakeSmtpServer.Script())) {
            RelayResult result = client.relay(server.hop(), "a@example.org",
                    List.of("b@example.com>\r\nRCPT TO:<evil@example.net"), message(MESSAGE));

            assertEquals(Outcome.PERMANENT, result.recipients().get(0).outcome());
            assertTrue(server.sessions.isEmpty(), "no connection was made");
        }
    }
}
