package io.portcullis.systemtests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.portcullis.mailauth.dkim.DkimKeyLookup;
import io.portcullis.mailauth.dkim.DkimVerifier;
import io.portcullis.mailauth.dkim.MailHeaders;
import io.portcullis.systemtests.support.Messages;
import io.portcullis.systemtests.support.SmtpClient;
import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Delivery through the real stack to a scripted next hop: the stack routes {@code example.org} to an SMTP server
 * this test runs ({@code PORTCULLIS_DELIVERY_ROUTES=example.org=127.0.0.1:<2565+offset>}, set by
 * {@code ./portcullis test}) and signs mail from {@code dkim.example.org} with a test key
 * ({@code PORTCULLIS_DKIM_KEYS}). 451, 451, 250 delivers exactly once; 550 bounces with a DSN that arrives in the
 * development sink; the delivered copy's DKIM signature verifies.
 */
class DeliveryE2ETest {
    private static final Duration PIPELINE = Duration.ofSeconds(90);
    /** The public half of system-tests/src/test/resources/dkim/e2e-ed25519.pem. */
    private static final String DKIM_RECORD = "v=DKIM1; k=ed25519; p=EX7hoE2s8WLk9pWRA6QWCPxcfeOyXYy1Sw7lDznz5tk=";

    private static ScriptedMta mta;

    private final Stack stack = Stack.get();

    /** The scripted next hop: replies by recipient local part; counts DATA transactions per recipient. */
    static final class ScriptedMta implements AutoCloseable {
        final ServerSocket server;
        final Map<String, AtomicInteger> transactions = new ConcurrentHashMap<>();
        final Map<String, List<byte[]>> accepted = new ConcurrentHashMap<>();

        ScriptedMta(int port) throws IOException {
            server = new ServerSocket(port, 50, InetAddress.getLoopbackAddress());
            Thread t = new Thread(() -> {
                while (!server.isClosed()) {
                    try {
                        Socket s = server.accept();
                        Thread c = new Thread(() -> serve(s), "scripted-mta-conn");
                        c.setDaemon(true);
                        c.start();
                    } catch (IOException e) {
                        return;
                    }
                }
            }, "scripted-mta");
            t.setDaemon(true);
            t.start();
        }

        private void serve(Socket s) {
            try (s) {
                InputStream in = new BufferedInputStream(s.getInputStream());
                OutputStream out = s.getOutputStream();
                reply(out, "220 scripted.test ESMTP");
                List<String> rcpts = new ArrayList<>();
                String line;
                while ((line = readLine(in)) != null) {
                    String verb = line.split(" ", 2)[0].toUpperCase(java.util.Locale.ROOT);
                    switch (verb) {
                        case "EHLO" -> reply(out, "250-scripted.test\r\n250-8BITMIME\r\n250 SIZE 10485760");
                        case "MAIL", "RSET", "NOOP" -> {
                            rcpts.clear();
                            reply(out, "250 2.0.0 Ok");
                        }
                        case "RCPT" -> {
                            String rcpt = line.substring(line.indexOf('<') + 1, line.lastIndexOf('>'));
                            if (rcpt.startsWith("refuse-")) {
                                reply(out, "550 5.1.1 <" + rcpt + ">: Recipient address rejected: no such user");
                            } else {
                                rcpts.add(rcpt);
                                reply(out, "250 2.1.5 Ok");
                            }
                        }
                        case "DATA" -> {
                            reply(out, "354 go ahead");
                            byte[] data = readData(in);
                            String first = rcpts.get(0);
                            int n = transactions.computeIfAbsent(first, k -> new AtomicInteger()).incrementAndGet();
                            if (first.startsWith("twice-") && n <= 2) {
                                reply(out, "451 4.3.0 try again later (" + n + ")");
                            } else {
                                accepted.computeIfAbsent(first, k -> Collections.synchronizedList(new ArrayList<>()))
                                        .add(data);
                                reply(out, "250 2.0.0 Ok: queued");
                            }
                        }
                        case "QUIT" -> {
                            reply(out, "221 2.0.0 Bye");
                            return;
                        }
                        default -> reply(out, "502 5.5.2 not implemented");
                    }
                }
            } catch (IOException | RuntimeException e) {
                // the client went away
            }
        }

        private static byte[] readData(InputStream in) throws IOException {
            ByteArrayOutputStream buf = new ByteArrayOutputStream();
            String line;
            while ((line = readLine(in)) != null) {
                if (line.equals(".")) {
                    return buf.toByteArray();
                }
                buf.writeBytes((line.startsWith(".") ? line.substring(1) : line).getBytes(StandardCharsets.ISO_8859_1));
                buf.writeBytes("\r\n".getBytes(StandardCharsets.US_ASCII));
            }
            throw new IOException("closed inside DATA");
        }

        private static String readLine(InputStream in) throws IOException {
            ByteArrayOutputStream b = new ByteArrayOutputStream();
            int c;
            while ((c = in.read()) >= 0) {
                if (c == '\n') {
                    String s = b.toString(StandardCharsets.ISO_8859_1);
                    return s.endsWith("\r") ? s.substring(0, s.length() - 1) : s;
                }
                b.write(c);
            }
            return null;
        }

        private static void reply(OutputStream out, String text) throws IOException {
            out.write((text + "\r\n").getBytes(StandardCharsets.US_ASCII));
            out.flush();
        }

        @Override
        public void close() throws IOException {
            server.close();
        }
    }

    /** The port of the example.org route in the stack's environment, or -1 when the stack has none. */
    static int routedPort() {
        String routes = System.getenv("PORTCULLIS_DELIVERY_ROUTES");
        if (routes == null) {
            return -1;
        }
        for (String r : routes.split(",")) {
            if (r.strip().startsWith("example.org=")) {
                return Integer.parseInt(r.substring(r.lastIndexOf(':') + 1).strip());
            }
        }
        return -1;
    }

    @BeforeAll
    static void startMta() throws IOException {
        int port = routedPort();
        Assumptions.assumeTrue(port > 0, "the stack routes example.org to no scripted MTA "
                + "(PORTCULLIS_DELIVERY_ROUTES, set by ./portcullis test)");
        mta = new ScriptedMta(port);
    }

    @AfterAll
    static void stopMta() throws IOException {
        if (mta != null) {
            mta.close();
        }
    }

    private String send(String from, String headerFrom, String to, String subject) throws Exception {
        try (SmtpClient c = stack.smtp()) {
            SmtpClient.Reply r = c.send(from, List.of(to), Messages.plain(headerFrom, to, subject,
                    "a clean message for delivery " + subject));
            assertEquals(250, r.code(), r.text());
            assertNotNull(r.queueId(), r.toString());
            return r.queueId();
        }
    }

    @Test
    void twoTemporaryRefusalsThenAcceptanceDeliverExactlyOnce() throws Exception {
        String rcpt = "twice-" + System.nanoTime() + "@example.org";
        String id = send("sender@example.net", "sender@example.net", rcpt, "retry twice");

        Awaitility.await().atMost(PIPELINE).pollInterval(Duration.ofMillis(200))
                .until(() -> mta.accepted.containsKey(rcpt));
        Thread.sleep(3000); // a second accepted copy would show up within the quick retries
        assertEquals(3, mta.transactions.get(rcpt).get(), "451, 451, then 250");
        assertEquals(1, mta.accepted.get(rcpt).size(), "delivered exactly once");
        String copy = new String(mta.accepted.get(rcpt).get(0), StandardCharsets.ISO_8859_1);
        assertTrue(copy.contains("X-Portcullis-Queue-Id: " + id), copy.substring(0, Math.min(400, copy.length())));
    }

    @Test
    void permanentRefusalBouncesWithADsnInTheSink() throws Exception {
        String rcpt = "refuse-" + System.nanoTime() + "@example.org";
        String sender = "bounce-" + System.nanoTime() + "@example.net";
        String id = send(sender, sender, rcpt, "refused");

        Path folder = stack.sinkDir().resolve("rcpt").resolve(sender);
        String[] dsn = new String[1];
        Awaitility.await().atMost(PIPELINE).pollInterval(Duration.ofMillis(250)).until(() -> {
            if (!Files.isDirectory(folder)) {
                return false;
            }
            try (Stream<Path> files = Files.list(folder)) {
                for (Path f : files.toList()) {
                    String text = Files.readString(f, StandardCharsets.ISO_8859_1);
                    if (text.contains("X-Portcullis-Dsn-For: " + id)) {
                        dsn[0] = text;
                        return true;
                    }
                }
            }
            return false;
        });
        String text = dsn[0].replace("\r\n", "\n");
        assertTrue(text.contains("multipart/report; report-type=delivery-status"), text);
        assertTrue(text.contains("\nContent-Type: message/delivery-status\n"), text);
        assertTrue(text.contains("\nReporting-MTA: dns; "), text);
        assertTrue(text.contains("\nArrival-Date: "), text);
        assertTrue(text.contains("\nFinal-Recipient: rfc822; " + rcpt + "\nAction: failed\nStatus: 5.1.1\n"), text);
        assertTrue(text.contains("\nDiagnostic-Code: smtp; 550 5.1.1 <" + rcpt + ">: Recipient address rejected"),
                text);
        assertTrue(text.contains("\nContent-Type: text/rfc822-headers\n"), text);
        assertTrue(text.contains("\nSubject: refused\n"), "the original header is attached");
        assertFalse(mta.accepted.containsKey(rcpt));
        try (Stream<Path> files = Files.list(folder)) {
            assertEquals(1, files.filter(f -> f.toString().endsWith(".eml")).count(), "one DSN");
        }
    }

    @Test
    void deliveredCopyCarriesADkimSignatureThatVerifies() throws Exception {
        String rcpt = "signed-" + System.nanoTime() + "@example.org";
        send("sender@example.net", "alice@dkim.example.org", rcpt, "signed on the way out");

        Awaitility.await().atMost(PIPELINE).pollInterval(Duration.ofMillis(200))
                .until(() -> mta.accepted.containsKey(rcpt));
        byte[] copy = mta.accepted.get(rcpt).get(0);
        String text = new String(copy, StandardCharsets.ISO_8859_1);
        assertTrue(text.startsWith("DKIM-Signature: v=1; a=ed25519-sha256; c=relaxed/relaxed; d=dkim.example.org;"),
                text.substring(0, Math.min(400, text.length())));
        List<DkimVerifier.Outcome> outcomes = new DkimVerifier(
                DkimKeyLookup.of(Map.of("e2e._domainkey.dkim.example.org", DKIM_RECORD)), 5)
                .verify(MailHeaders.parse(copy), System.currentTimeMillis() / 1000, Long.MAX_VALUE);
        assertEquals(DkimVerifier.Status.VALID, outcomes.get(0).status(), outcomes.toString());
    }
}
