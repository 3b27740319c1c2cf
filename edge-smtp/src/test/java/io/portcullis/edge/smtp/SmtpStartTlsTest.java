package io.portcullis.edge.smtp;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.portcullis.edge.smtp.SmtpTestClient.Reply;
import javax.net.ssl.SSLSocket;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** STARTTLS with a generated self-signed certificate, and the command-injection defence (CVE-2011-0411). */
class SmtpStartTlsTest {

    private static ServerHarness harness;

    @BeforeAll
    static void start() throws Exception {
        harness = new ServerHarness(ServerHarness.options(ServerHarness.testLimits())
                .withTls(SmtpTls.selfSigned("mx.test")));
    }

    @AfterAll
    static void stop() throws Exception {
        harness.close();
    }

    @BeforeEach
    void clear() {
        harness.sink.messages.clear();
    }

    @Test
    void startTlsHandshakeThenMailOverTls() throws Exception {
        try (SmtpTestClient c = harness.connect()) {
            assertTrue(c.command("EHLO c").lines().contains("250-STARTTLS"));
            assertEquals("220 2.0.0 Ready to start TLS", c.command("STARTTLS").lines().get(0));
            SSLSocket ssl = c.startTls();
            assertTrue(ssl.getSession().isValid());
            // state was reset: EHLO is required again, and STARTTLS is no longer offered
            assertEquals(503, c.command("MAIL FROM:<a@remote.test>").code());
            Reply ehlo = c.command("EHLO c");
            assertFalse(ehlo.lines().stream().anyMatch(l -> l.contains("STARTTLS")), ehlo.text());
            assertEquals(503, c.command("STARTTLS").code());
            c.command("MAIL FROM:<a@remote.test>");
            c.command("RCPT TO:<user@example.com>");
            c.command("DATA");
            c.send("Subject: secret\r\n\r\nover tls\r\n.\r\n");
            assertEquals(250, c.reply().code());
        }
        AcceptedMessage m = harness.sink.messages.get(0);
        assertTrue(m.envelope().tls());
        assertTrue(new String(m.bytes()).contains(" with ESMTPS id " + m.queueId()));
    }

    @Test
    void inputPipelinedAfterStartTlsIsDiscarded() throws Exception {
        try (SmtpTestClient c = harness.connect()) {
            c.command("EHLO c");
            c.send("STARTTLS\r\nHELP\r\nMAIL FROM:<evil@attacker.test>\r\n");
            assertEquals(220, c.reply().code());
            c.startTls();
            // if HELP or MAIL had been executed, their replies would come first over TLS
            Reply first = c.command("EHLO c");
            assertEquals(250, first.code());
            assertEquals("250-mx.test", first.lines().get(0));
            assertEquals(503, c.command("RCPT TO:<user@example.com>").code(), "no injected MAIL transaction");
        }
    }

    @Test
    void startTlsNeedsEhloFirstAndNoTransaction() throws Exception {
        try (SmtpTestClient c = harness.connect()) {
            assertEquals(503, c.command("STARTTLS").code());
            c.command("EHLO c");
            c.command("MAIL FROM:<a@remote.test>");
            assertEquals(503, c.command("STARTTLS").code());
            assertEquals(501, c.command("RSET x").code());
            c.command("RSET");
            assertEquals(501, c.command("STARTTLS now").code());
        }
    }

    @Test
    void failedHandshakeClosesTheConnectionAndTheServerStaysUp() throws Exception {
        try (SmtpTestClient c = harness.connect()) {
            c.command("EHLO c");
            assertEquals(220, c.command("STARTTLS").code());
            c.send("this is not a TLS client hello\r\n");
            assertTrue(c.closedByServer());
        }
        try (SmtpTestClient c = harness.connect()) {
            assertEquals(250, c.command("EHLO c").code());
        }
    }
}
