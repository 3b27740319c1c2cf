package io.portcullis.edge.delivery;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.portcullis.contracts.events.BodyRef;
import io.portcullis.contracts.events.DeliveryEvent;
import io.portcullis.contracts.events.DeliveryEvent.DeliveryStatus;
import io.portcullis.contracts.events.Modifications;
import io.portcullis.edge.delivery.DeliveryServiceTest.RecordingDsnSender;
import io.portcullis.edge.delivery.DeliveryServiceTest.RecordingPublisher;
import io.portcullis.edge.delivery.DeliveryServiceTest.RecordingRetryPublisher;
import io.portcullis.edge.storage.InMemoryObjectStore;
import io.portcullis.mailauth.dkim.DkimKey;
import io.portcullis.mailauth.dkim.DkimVerifier;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.security.KeyPair;
import java.security.MessageDigest;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Delivery end to end inside the edge, against scripted test MTAs on real sockets: retries deliver once, 5xx
 * gives a checked DSN (none for the null sender), destinations never wait for each other, MX ordering and
 * fallback, TLS required without STARTTLS never goes cleartext, DKIM on the delivered copy verifies.
 */
class DeliveryDestinationTest {

    private static final String MESSAGE = "From: Alice <alice@example.org>\r\nTo: bob@example.com\r\n"
            + "Subject: quarterly report\r\nDate: Fri, 27 Nov 2026 10:00:00 +0000\r\nMessage-ID: <m1@example.org>\r\n"
            + "\r\nHello Bob.\r\n.a line with a leading dot\r\n";

    @TempDir
    java.nio.file.Path dir;

    private final RecordingPublisher events = new RecordingPublisher();
    private final RecordingDsnSender dsns = new RecordingDsnSender();
    private final RecordingRetryPublisher retries = new RecordingRetryPublisher();
    private final List<AutoCloseable> closeables = new ArrayList<>();
    private final List<DeliveryService> services = new ArrayList<>();

    @AfterEach
    void stop() throws Exception {
        services.forEach(DeliveryService::stop);
        for (AutoCloseable c : closeables) {
            c.close();
        }
    }

    private FakeSmtpServer mta(FakeSmtpServer.Script script) throws Exception {
        FakeSmtpServer s = new FakeSmtpServer(script);
        closeables.add(s);
        return s;
    }

    private DeliveryService service(DeliveryRouter router, DestinationQueues queues, DkimSigning signer,
            int quickAttempts) {
        DeliveryService s = new DeliveryService(new SmtpRelayClient("edge.test", Duration.ofSeconds(2), true),
                new BodyLoader(new InMemoryObjectStore()), dsns, events, retries, router, queues, signer,
                new RetryPolicy(Duration.ofMillis(20), Duration.ofMillis(50), quickAttempts),
                new QueueRetryPolicy(Duration.ofMinutes(5), Duration.ofHours(1), Duration.ofDays(5)),
                new DsnBuilder("edge.test", "MAILER-DAEMON@edge.test"), 8, new SimpleMeterRegistry(),
                Clock.systemUTC());
        services.add(s);
        return s;
    }

    private static DeliveryRouter routes(String... routes) {
        return new DeliveryRouter(List.of(routes), List.of(), null,
                new MxLookup(Optional.of("127.0.0.1:1"), Duration.ofMillis(200), 25));
    }

    private static DeliveryJob job(String id, String sender, List<String> rcpts) throws Exception {
        byte[] bytes = MESSAGE.getBytes(StandardCharsets.UTF_8);
        return new DeliveryJob("verdict", id, "default", Instant.parse("2026-11-27T10:00:01Z"), sender, rcpts,
                BodyRef.inline(bytes, HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes))),
                Modifications.NONE);
    }

    private static DeliveryReport await(CompletableFuture<DeliveryReport> f) throws Exception {
        return f.get(20, TimeUnit.SECONDS);
    }

    @Test
    void twoTemporaryRefusalsThenAcceptanceDeliversExactlyOnce() throws Exception {
        FakeSmtpServer.Script script = new FakeSmtpServer.Script();
        script.endOfDataSequence.add("451 4.3.0 try later");
        script.endOfDataSequence.add("451 4.3.0 try later");
        FakeSmtpServer mta = mta(script);
        DeliveryService service = service(routes("example.com=" + mta.hop()), new DestinationQueues(4,
                Duration.ofSeconds(60), Clock.systemUTC()), new DkimSigning(List.of(), Clock.systemUTC()), 3);

        DeliveryReport report = await(service.deliver(job("Q1", "alice@example.org", List.of("bob@example.com"))));

        assertEquals(List.of("bob@example.com"), report.delivered());
        assertEquals(3, mta.transactions(), "three DATA transactions: 451, 451, 250");
        assertEquals(List.of(DeliveryStatus.DEFERRED, DeliveryStatus.DEFERRED, DeliveryStatus.DELIVERED),
                events.statuses());
        assertTrue(dsns.sent.isEmpty());
        assertTrue(retries.scheduled.isEmpty());
        // exactly one accepted copy, with its dot-stuffing intact
        String accepted = new String(mta.sessions.get(2).data.get(0), StandardCharsets.ISO_8859_1);
        assertTrue(accepted.contains("\r\n..a line with a leading dot\r\n"), accepted);
    }

    @Test
    void permanentRefusalGivesOneDsnCheckedFieldByField() throws Exception {
        FakeSmtpServer.Script script = new FakeSmtpServer.Script();
        script.rcpt = a -> a.startsWith("bob") ? "550 5.1.1 <bob@example.com>: Recipient address rejected"
                : "250 2.1.5 Ok";
        FakeSmtpServer mta = mta(script);
        // the DSN to alice@example.org goes by its own route (the recording DSN sender does not connect)
        DeliveryService service = service(routes("example.com=" + mta.hop(), "example.org=127.0.0.1:2"),
                new DestinationQueues(4, Duration.ofSeconds(60), Clock.systemUTC()),
                new DkimSigning(List.of(), Clock.systemUTC()), 3);

        DeliveryReport report = await(service.deliver(job("Q2", "alice@example.org",
                List.of("bob@example.com", "carol@example.com"))));

        assertEquals(List.of("carol@example.com"), report.delivered());
        assertEquals(List.of("bob@example.com"), report.failed());
        assertTrue(report.dsnSent());
        assertEquals(1, dsns.sent.size(), "one DSN per failure");
        DeliveryStatusNotification dsn = dsns.sent.get(0);
        assertEquals("alice@example.org", dsn.envelopeRecipient());
        String contentType = dsn.header("Content-Type");
        assertTrue(contentType.startsWith("multipart/report;"), contentType);
        assertTrue(contentType.contains("report-type=delivery-status"), contentType);
        String body = dsn.body();
        String status = body.substring(body.indexOf("Content-Type: message/delivery-status"));
        status = status.substring(0, status.indexOf("\n--"));
        Map<String, String> perMessage = fields(status.split("\n\n")[1]);
        Map<String, String> perRecipient = fields(status.split("\n\n")[2]);
        assertEquals("dns; edge.test", perMessage.get("Reporting-MTA"));
        assertEquals("Fri, 27 Nov 2026 10:00:01 +0000", perMessage.get("Arrival-Date"));
        assertEquals("rfc822; bob@example.com", perRecipient.get("Final-Recipient"));
        assertEquals("failed", perRecipient.get("Action"));
        assertEquals("5.1.1", perRecipient.get("Status"));
        assertEquals("smtp; 550 5.1.1 <bob@example.com>: Recipient address rejected",
                perRecipient.get("Diagnostic-Code"));
        assertEquals("dns; 127.0.0.1", perRecipient.get("Remote-MTA"));
        assertFalse(status.contains("carol"), "only the failed recipient is reported");
        String original = body.substring(body.indexOf("Content-Type: text/rfc822-headers"));
        assertTrue(original.contains("\nSubject: quarterly report\n"), original);
        assertTrue(original.contains("\nMessage-ID: <m1@example.org>\n"), original);
        assertFalse(original.contains("Hello Bob"), "headers only");
        long dsnEvents = events.events.stream().filter(e -> e.status() == DeliveryStatus.DSN_SENT).count();
        assertEquals(1, dsnEvents);
    }

    private static Map<String, String> fields(String block) {
        Map<String, String> m = new java.util.LinkedHashMap<>();
        for (String line : block.split("\n")) {
            int colon = line.indexOf(": ");
            if (colon > 0) {
                m.put(line.substring(0, colon), line.substring(colon + 2));
            }
        }
        return m;
    }

    @Test
    void nullSenderGetsNoDsn() throws Exception {
        FakeSmtpServer.Script script = new FakeSmtpServer.Script();
        script.rcpt = a -> "550 5.1.1 no such user";
        FakeSmtpServer mta = mta(script);
        DeliveryService service = service(routes("example.com=" + mta.hop()),
                new DestinationQueues(4, Duration.ofSeconds(60), Clock.systemUTC()),
                new DkimSigning(List.of(), Clock.systemUTC()), 3);

        DeliveryReport report = await(service.deliver(job("Q3", "", List.of("bob@example.com"))));

        assertEquals(List.of("bob@example.com"), report.failed());
        assertFalse(report.dsnSent());
        assertTrue(dsns.sent.isEmpty());
    }

    @Test
    void aDeadDestinationDoesNotDelayAnotherDomainOfTheSameMessage() throws Exception {
        // example.net's host accepts the connection and never says a word (2 s timeout per attempt)
        FakeSmtpServer.Script silent = new FakeSmtpServer.Script();
        silent.silent = true;
        FakeSmtpServer dead = mta(silent);
        FakeSmtpServer alive = mta(new FakeSmtpServer.Script());
        DestinationQueues queues = new DestinationQueues(4, Duration.ofSeconds(60), Clock.systemUTC());
        DeliveryService service = service(routes("example.net=" + dead.hop(), "example.com=" + alive.hop()), queues,
                new DkimSigning(List.of(), Clock.systemUTC()), 1);
        long start = System.nanoTime();

        CompletableFuture<DeliveryReport> done = service.deliver(job("Q4", "alice@example.org",
                List.of("dave@example.net", "bob@example.com")));
        org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(5)).until(() -> alive.transactions() == 1);
        long aliveMillis = (System.nanoTime() - start) / 1_000_000;
        DeliveryReport report = await(done);

        assertTrue(aliveMillis < 1500, "example.com delivered after " + aliveMillis + " ms, not after the dead "
                + "destination's timeout");
        assertEquals(List.of("bob@example.com"), report.delivered());
        assertEquals(List.of("dave@example.net"), report.queued());
        assertEquals(1, retries.scheduled.size());
        assertEquals(List.of("dave@example.net"), retries.scheduled.get(0).envelope().recipients(),
                "the retry queue holds only the dead destination's recipient; bob is never re-sent");
        assertEquals(1, alive.transactions());
        // the destination is now down: the next message for it goes straight to the retry queue, no connection
        assertNotNull(queues.down(dead.hop().toString()));
        int sessionsBefore = dead.sessions.size();
        DeliveryReport second = await(service.deliver(job("Q5", "alice@example.org", List.of("erin@example.net"))));
        assertEquals(List.of("erin@example.net"), second.queued());
        assertEquals(sessionsBefore, dead.sessions.size(), "no connection to a destination marked down");
        assertTrue(queues.snapshot().stream().anyMatch(s -> s.destination().equals(dead.hop().toString())
                && s.downUntil() != null && s.lastError().contains("timeout")), queues.snapshot().toString());
    }

    @Test
    void triesMxHostsInPreferenceOrderAndFallsBackOnA4xxGreeting() throws Exception {
        FakeSmtpServer.Script busy = new FakeSmtpServer.Script();
        busy.greeting = "421 4.3.2 too busy";
        FakeSmtpServer primary = mta(busy);
        FakeSmtpServer backup = new FakeSmtpServer(new FakeSmtpServer.Script(), InetAddress.getByName("127.0.0.3"),
                primary.port());
        closeables.add(backup);
        LocalDnsServer dns = new LocalDnsServer();
        closeables.add(dns);
        dns.mx("example.com", 10, "mx1.example.com").mx("example.com", 20, "mx2.example.com")
                .ip("mx1.example.com", "127.0.0.1").ip("mx2.example.com", "127.0.0.3");
        DeliveryRouter router = new DeliveryRouter(List.of(), List.of(), null,
                new MxLookup(Optional.of(dns.address()), Duration.ofSeconds(1), primary.port()));
        DeliveryService service = service(router, new DestinationQueues(4, Duration.ofSeconds(60),
                Clock.systemUTC()), new DkimSigning(List.of(), Clock.systemUTC()), 1);

        DeliveryReport report = await(service.deliver(job("Q6", "alice@example.org", List.of("bob@example.com"))));

        assertEquals(List.of("bob@example.com"), report.delivered());
        assertEquals(1, primary.sessions.size(), "the preferred MX was tried first");
        assertEquals(0, primary.transactions());
        assertEquals(1, backup.transactions());
        DeliveryEvent delivered = events.events.stream().filter(e -> e.status() == DeliveryStatus.DELIVERED)
                .findFirst().orElseThrow();
        assertEquals("mx2.example.com[127.0.0.3]:" + primary.port(), delivered.nextHop());
    }

    @Test
    void aRefusedConnectionMovesOnToTheNextMx() throws Exception {
        FakeSmtpServer backup = mta(new FakeSmtpServer.Script());
        LocalDnsServer dns = new LocalDnsServer();
        closeables.add(dns);
        // nothing listens on 127.0.0.4 at the backup's port: connection refused
        dns.mx("example.com", 10, "dead.example.com").mx("example.com", 20, "live.example.com")
                .ip("dead.example.com", "127.0.0.4").ip("live.example.com", "127.0.0.1");
        DeliveryRouter router = new DeliveryRouter(List.of(), List.of(), null,
                new MxLookup(Optional.of(dns.address()), Duration.ofSeconds(1), backup.port()));
        DestinationQueues queues = new DestinationQueues(4, Duration.ofSeconds(60), Clock.systemUTC());
        DeliveryService service = service(router, queues, new DkimSigning(List.of(), Clock.systemUTC()), 1);

        DeliveryReport report = await(service.deliver(job("Q11", "alice@example.org", List.of("bob@example.com"))));

        assertEquals(List.of("bob@example.com"), report.delivered());
        assertEquals(1, backup.transactions());
        assertNull(queues.down("example.com"), "a destination with a reachable MX is not down");
    }

    @Test
    void nullMxFailsAtOnceWith5110AndADsn() throws Exception {
        LocalDnsServer dns = new LocalDnsServer();
        closeables.add(dns);
        dns.mx("nomail.test", 0, ".");
        // the DSN to alice@example.org goes by a static route (the recording DSN sender does not connect)
        DeliveryRouter router = new DeliveryRouter(List.of("example.org=127.0.0.1:2"), List.of(), null,
                new MxLookup(Optional.of(dns.address()), Duration.ofSeconds(1), 25));
        DeliveryService service = service(router, new DestinationQueues(4, Duration.ofSeconds(60),
                Clock.systemUTC()), new DkimSigning(List.of(), Clock.systemUTC()), 3);

        CompletableFuture<DeliveryReport> f = service.deliver(job("Q7", "alice@example.org",
                List.of("bob@nomail.test")));
        DeliveryReport report;
        try {
            report = await(f);
        } catch (java.util.concurrent.ExecutionException e) {
            throw new AssertionError("the DSN could not be routed: " + e.getMessage(), e);
        }
        assertEquals(List.of("bob@nomail.test"), report.failed());
        assertEquals(1, dsns.sent.size());
        assertTrue(dsns.sent.get(0).body().contains("Status: 5.1.10"), dsns.sent.get(0).body());
    }

    @Test
    void requiredTlsAgainstAServerWithoutStartTlsIsATemporaryFailureNeverCleartext() throws Exception {
        FakeSmtpServer mta = mta(new FakeSmtpServer.Script());
        DeliveryRouter router = new DeliveryRouter(List.of("example.com=" + mta.hop()),
                List.of("example.com=required"), null, new MxLookup(Optional.of("127.0.0.1:1"),
                Duration.ofMillis(200), 25));
        DeliveryService service = service(router, new DestinationQueues(4, Duration.ofSeconds(60),
                Clock.systemUTC()), new DkimSigning(List.of(), Clock.systemUTC()), 1);

        DeliveryReport report = await(service.deliver(job("Q8", "alice@example.org", List.of("bob@example.com"))));

        assertEquals(List.of("bob@example.com"), report.queued());
        assertTrue(mta.sessions.stream().flatMap(s -> s.commands.stream()).noneMatch(c -> c.startsWith("MAIL")),
                "no MAIL FROM in cleartext");
        assertEquals(0, mta.transactions());
        String reply = retries.scheduled.get(0).lastReply();
        assertTrue(reply.contains("4.7.10") && reply.contains("does not offer STARTTLS"), reply);
    }

    /** A server key store with a certificate for localhost/127.0.0.1, and the certificate as a PEM trust store. */
    private java.nio.file.Path[] serverCertificate() throws Exception {
        java.nio.file.Path keystore = dir.resolve("server.p12");
        java.nio.file.Path pem = dir.resolve("ca.pem");
        String keytool = java.nio.file.Path.of(System.getProperty("java.home"), "bin", "keytool").toString();
        run(keytool, "-genkeypair", "-alias", "mx", "-keyalg", "EC", "-groupname", "secp256r1", "-dname",
                "CN=localhost", "-ext", "san=dns:localhost,ip:127.0.0.1", "-validity", "2", "-storetype", "PKCS12",
                "-keystore", keystore.toString(), "-storepass", "changeit", "-keypass", "changeit");
        run(keytool, "-exportcert", "-rfc", "-alias", "mx", "-keystore", keystore.toString(), "-storepass",
                "changeit", "-file", pem.toString());
        return new java.nio.file.Path[] {keystore, pem};
    }

    private static void run(String... command) throws Exception {
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!p.waitFor(60, TimeUnit.SECONDS) || p.exitValue() != 0) {
            throw new IllegalStateException("keytool failed: " + out);
        }
    }

    private static javax.net.ssl.SSLContext serverContext(java.nio.file.Path keystore) throws Exception {
        java.security.KeyStore ks = java.security.KeyStore.getInstance("PKCS12");
        try (var in = java.nio.file.Files.newInputStream(keystore)) {
            ks.load(in, "changeit".toCharArray());
        }
        javax.net.ssl.KeyManagerFactory kmf = javax.net.ssl.KeyManagerFactory
                .getInstance(javax.net.ssl.KeyManagerFactory.getDefaultAlgorithm());
        kmf.init(ks, "changeit".toCharArray());
        javax.net.ssl.SSLContext context = javax.net.ssl.SSLContext.getInstance("TLS");
        context.init(kmf.getKeyManagers(), null, null);
        return context;
    }

    @Test
    void verifyPolicyDeliversToATrustedCertificateAndRefusesAWrongName() throws Exception {
        java.nio.file.Path[] cert = serverCertificate();
        FakeSmtpServer.Script script = new FakeSmtpServer.Script();
        script.ehlo = "250-fake.example hello\r\n250-STARTTLS\r\n250 8BITMIME";
        script.tls = serverContext(cert[0]);
        FakeSmtpServer mta = mta(script);
        SmtpRelayClient client = new SmtpRelayClient("edge.test", Duration.ofSeconds(2), true,
                SmtpRelayClient.verifyingContext(Optional.of(cert[1].toString())));
        OutgoingMessage message = new OutgoingMessage(new java.io.ByteArrayInputStream(
                MESSAGE.getBytes(StandardCharsets.US_ASCII)), MESSAGE.length());

        RelayResult ok = client.relay(new NextHop("127.0.0.1", mta.port(), "localhost"), "a@example.org",
                List.of("bob@example.com"), message, TlsPolicy.VERIFY);
        assertTrue(ok.tls());
        assertEquals(RecipientResult.Outcome.ACCEPTED, ok.recipients().get(0).outcome(), ok.toString());

        RelayResult wrongName = client.relay(new NextHop("127.0.0.1", mta.port(), "mx.elsewhere.test"),
                "a@example.org", List.of("bob@example.com"), new OutgoingMessage(new java.io.ByteArrayInputStream(
                        MESSAGE.getBytes(StandardCharsets.US_ASCII)), MESSAGE.length()), TlsPolicy.VERIFY);
        assertEquals(RecipientResult.Outcome.TEMPORARY, wrongName.recipients().get(0).outcome());
        assertTrue(wrongName.recipients().get(0).reply().contains("4.7.5"), wrongName.toString());
        assertFalse(wrongName.reached());

        SmtpRelayClient untrusting = new SmtpRelayClient("edge.test", Duration.ofSeconds(2), true);
        RelayResult untrusted = untrusting.relay(new NextHop("127.0.0.1", mta.port(), "localhost"),
                "a@example.org", List.of("bob@example.com"), new OutgoingMessage(new java.io.ByteArrayInputStream(
                        MESSAGE.getBytes(StandardCharsets.US_ASCII)), MESSAGE.length()), TlsPolicy.VERIFY);
        assertEquals(RecipientResult.Outcome.TEMPORARY, untrusted.recipients().get(0).outcome(), untrusted.toString());
        assertEquals(1, mta.transactions(), "only the verified session carried the message");
    }

    @Test
    void dkimSignatureOnTheDeliveredCopyVerifies() throws Exception {
        FakeSmtpServer mta = mta(new FakeSmtpServer.Script());
        KeyPair pair = DkimSigningTest.ed25519();
        DkimSigning signer = new DkimSigning(List.of(new DkimKey("example.org", "edge", pair.getPrivate())),
                Clock.systemUTC());
        DeliveryService service = service(routes("example.com=" + mta.hop()), new DestinationQueues(4,
                Duration.ofSeconds(60), Clock.systemUTC()), signer, 1);

        await(service.deliver(job("Q9", "alice@example.org", List.of("bob@example.com"))));

        String wire = new String(mta.sessions.get(0).data.get(0), StandardCharsets.ISO_8859_1);
        byte[] received = wire.replace("\r\n..", "\r\n.").getBytes(StandardCharsets.ISO_8859_1);
        assertTrue(wire.startsWith("DKIM-Signature: v=1; a=ed25519-sha256;"), wire);
        assertTrue(wire.contains("X-Portcullis-Queue-Id: Q9"), "signed after the outgoing modifications");
        List<DkimVerifier.Outcome> outcomes = DkimSigningTest.verify(received, "edge._domainkey.example.org",
                pair.getPublic());
        assertEquals(DkimVerifier.Status.VALID, outcomes.get(0).status(), outcomes.toString());
        assertNull(outcomes.get(0).reason());
    }

    @Test
    void aClosedPortMarksTheDestinationDownAfterOneAttempt() throws Exception {
        int closed;
        try (ServerSocket s = new ServerSocket(0)) {
            closed = s.getLocalPort();
        }
        DestinationQueues queues = new DestinationQueues(4, Duration.ofSeconds(60), Clock.systemUTC());
        DeliveryService service = service(routes("example.com=127.0.0.1:" + closed), queues,
                new DkimSigning(List.of(), Clock.systemUTC()), 3);

        DeliveryReport report = await(service.deliver(job("Q10", "alice@example.org", List.of("bob@example.com"))));

        assertEquals(List.of("bob@example.com"), report.queued());
        assertEquals(2, report.attempts(), "one real attempt, then the down mark skips the quick retries");
        assertNotNull(queues.down("127.0.0.1:" + closed));
    }
}
