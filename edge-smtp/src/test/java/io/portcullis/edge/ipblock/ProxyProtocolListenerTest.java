package io.portcullis.edge.ipblock;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.portcullis.contracts.events.EventJson;
import io.portcullis.contracts.events.IpBlock;
import io.portcullis.edge.smtp.RecipientPolicy;
import io.portcullis.edge.smtp.RecordingSink;
import io.portcullis.edge.smtp.RefusedRecipient;
import io.portcullis.edge.smtp.ServerHarness;
import io.portcullis.edge.smtp.SmtpHooks;
import io.portcullis.edge.smtp.SmtpServer;
import io.portcullis.edge.smtp.SmtpTestClient;
import io.vertx.core.Vertx;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The load-balancer listener: the PROXY header's source address is the client address everywhere (blocks, refusal
 * events, Received header, envelope); a connection without a valid header never gets a greeting.
 */
class ProxyProtocolListenerTest {

    private static Vertx vertx;
    private static SmtpServer server;
    private static IpBlockMap blocks;
    private static final List<RefusedRecipient> refusals = new CopyOnWriteArrayList<>();
    private static final RecordingSink sink = new RecordingSink();

    @BeforeAll
    static void start() throws Exception {
        vertx = Vertx.vertx();
        blocks = new IpBlockMap(java.time.Clock.systemUTC());
        server = SmtpServer.start(vertx, ServerHarness.options(ServerHarness.testLimits()).withProxyProtocol(0),
                RecipientPolicy.domains(ServerHarness.DOMAINS), sink,
                new SmtpHooks(new IpBlockGate(blocks, new SimpleMeterRegistry()), refusals::add))
                .toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    }

    @AfterAll
    static void stop() throws Exception {
        server.close().toCompletionStage().toCompletableFuture().get(5, TimeUnit.SECONDS);
        vertx.close().toCompletionStage().toCompletableFuture().get(5, TimeUnit.SECONDS);
    }

    @BeforeEach
    void clear() {
        blocks.clear();
        refusals.clear();
        sink.messages.clear();
    }

    private static SmtpTestClient proxied(String line) throws Exception {
        SmtpTestClient c = new SmtpTestClient(server.actualPort());
        c.sendRaw(line.getBytes(StandardCharsets.US_ASCII));
        return c;
    }

    @Test
    void proxiedSourceAddressIsTheClientAddressForMailAndRefusals() throws Exception {
        try (SmtpTestClient c = proxied("PROXY TCP4 203.0.113.9 127.0.0.1 40000 2525\r\n")) {
            assertEquals(220, c.reply().code());
            assertEquals(250, c.command("EHLO lb.test").code());
            assertEquals(250, c.command("MAIL FROM:<a@remote.test>").code());
            assertEquals(550, c.command("RCPT TO:<u@elsewhere.test>").code());
            assertEquals(250, c.command("RCPT TO:<u@example.com>").code());
            assertEquals(354, c.command("DATA").code());
            assertEquals(250, c.command("Subject: hi\r\n\r\nhello\r\n.").code());
        }
        assertEquals(1, refusals.size());
        assertEquals("203.0.113.9", refusals.get(0).clientIp(), refusals.toString());
        assertEquals(1, sink.messages.size());
        assertEquals("203.0.113.9", sink.messages.get(0).envelope().clientIp());
    }

    @Test
    void aBlockOnTheProxiedAddressIsEnforcedAtConnect() throws Exception {
        IpBlock b = new IpBlock("198.51.100.7", IpBlock.Kind.SPAM, 20, 3600, Instant.now(),
                Instant.now().plusSeconds(600), IpBlock.Response.TEMPFAIL, "too much spam from your address");
        blocks.apply("198.51.100.7", EventJson.write(b));
        try (SmtpTestClient c = proxied("PROXY TCP4 198.51.100.7 127.0.0.1 40000 2525\r\n")) {
            assertEquals(List.of("421 4.7.0 too much spam from your address"), c.reply().lines());
            assertTrue(c.closedByServer());
        }
        try (SmtpTestClient c = proxied("PROXY TCP4 198.51.100.8 127.0.0.1 40000 2525\r\n")) {
            assertEquals(220, c.reply().code(), "another address is let in");
        }
    }

    @Test
    void connectionsWithoutAValidHeaderAreClosedWithoutAGreeting() throws Exception {
        for (String bad : List.of("EHLO client.test\r\n", "PROXY TCP4 not-an-ip 127.0.0.1 1 2\r\n",
                "PROXY " + "A".repeat(300) + "\r\n", "\u0000\u00ff garbage that is no header at all\r\n")) {
            try (SmtpTestClient c = proxied(bad)) {
                assertTrue(c.closedByServer(), "closed for " + bad.strip());
            }
        }
        assertTrue(sink.messages.isEmpty());
    }
}
