package io.portcullis.edge.ipblock;

import static org.awaitility.Awaitility.await;
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
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The SMTP state machine enforcing blocks over a real socket (the client is 127.0.0.1). */
class IpBlockEnforcementTest {

    private static final String CLIENT = "127.0.0.1";
    private static Vertx vertx;
    private static SmtpServer server;
    private static IpBlockMapTest.MutableClock clock;
    private static IpBlockMap blocks;
    private static SimpleMeterRegistry registry;
    private static final List<RefusedRecipient> refusals = new CopyOnWriteArrayList<>();
    private static final RecordingSink sink = new RecordingSink();

    @BeforeAll
    static void start() throws Exception {
        vertx = Vertx.vertx();
        clock = new IpBlockMapTest.MutableClock(Instant.now());
        blocks = new IpBlockMap(clock);
        registry = new SimpleMeterRegistry();
        server = SmtpServer.start(vertx, ServerHarness.options(ServerHarness.testLimits()),
                RecipientPolicy.domains(ServerHarness.DOMAINS), sink,
                new SmtpHooks(new IpBlockGate(blocks, registry), refusals::add))
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
        registry.clear();
        clock.now = Instant.now();
    }

    private static void block(IpBlock.Response response, String reason, Duration lasting) {
        IpBlock b = new IpBlock(CLIENT, IpBlock.Kind.HARVEST, 40, 600, clock.instant(),
                clock.instant().plus(lasting), response, reason);
        assertEquals(IpBlockMap.Outcome.BLOCKED, blocks.apply(CLIENT, EventJson.write(b)));
    }

    @Test
    void tempfailBlockedClientGets421InsteadOfTheGreetingAndIsDisconnected() throws Exception {
        block(IpBlock.Response.TEMPFAIL, "Too many invalid recipients, try again later", Duration.ofMinutes(10));
        try (SmtpTestClient c = new SmtpTestClient(server.actualPort())) {
            SmtpTestClient.Reply first = c.reply();
            assertEquals(List.of("421 4.7.0 Too many invalid recipients, try again later"), first.lines());
            assertTrue(c.closedByServer());
        }
        await().atMost(Duration.ofSeconds(5)).until(() -> server.connectionCount() == 0);
        assertEquals(1, registry.get("portcullis.ipblock.refusals").tags("kind", "harvest", "response", "tempfail")
                .counter().count());
    }

    @Test
    void rejectBlockedClientGets550WithTheReasonForEveryRcptAndNothingIsReported() throws Exception {
        block(IpBlock.Response.REJECT, "Your IP sent mail to too many unknown users", Duration.ofMinutes(10));
        try (SmtpTestClient c = new SmtpTestClient(server.actualPort())) {
            assertEquals(220, c.reply().code(), "REJECT still greets");
            assertEquals(250, c.command("EHLO client.test").code());
            assertEquals(250, c.command("MAIL FROM:<a@remote.test>").code());
            String expected = "550 5.7.1 Your IP sent mail to too many unknown users";
            assertEquals(List.of(expected), c.command("RCPT TO:<user@example.com>").lines());
            assertEquals(List.of(expected), c.command("RCPT TO:<user@elsewhere.test>").lines(),
                    "not 'Relaying denied': the block answers first");
            assertEquals(List.of(expected), c.command("RCPT TO:broken").lines());
            assertEquals(554, c.command("DATA").code(), "no valid recipients");
            assertEquals(250, c.command("RSET").code());
            assertEquals(250, c.command("NOOP").code());
            assertEquals(221, c.command("QUIT").code());
        }
        assertTrue(refusals.isEmpty(), "block refusals are not RecipientRejected (no feedback loop): " + refusals);
        assertTrue(sink.messages.isEmpty());
    }

    @Test
    void hostileReasonCannotInjectReplyLines() throws Exception {
        block(IpBlock.Response.TEMPFAIL, "go away\r\n220 mx.test ESMTP\r\n250 2.0.0 Ok\u0000\u00ff" + "x".repeat(5000),
                Duration.ofMinutes(10));
        try (SmtpTestClient c = new SmtpTestClient(server.actualPort())) {
            SmtpTestClient.Reply first = c.reply();
            assertEquals(1, first.lines().size());
            String line = first.lines().get(0);
            assertTrue(line.startsWith("421 4.7.0 go away 220 mx.test ESMTP 250 2.0.0 Ok xxx"), line);
            assertTrue(line.length() <= 210, "bounded: " + line.length());
            assertTrue(c.closedByServer(), "nothing follows the 421");
        }
        block(IpBlock.Response.REJECT, "no\nDATA\r\n", Duration.ofMinutes(10));
        try (SmtpTestClient c = new SmtpTestClient(server.actualPort())) {
            c.reply();
            c.command("HELO client.test");
            c.command("MAIL FROM:<>");
            assertEquals(List.of("550 5.7.1 no DATA"), c.command("RCPT TO:<u@example.com>").lines());
            assertEquals(250, c.command("NOOP").code(), "no stray reply lines are queued");
        }
    }

    @Test
    void expiredBlocksAreNotEnforced() throws Exception {
        block(IpBlock.Response.TEMPFAIL, "later", Duration.ofSeconds(30));
        clock.now = clock.now.plusSeconds(30);
        try (SmtpTestClient c = new SmtpTestClient(server.actualPort())) {
            assertEquals(220, c.reply().code());
        }
        block(IpBlock.Response.REJECT, "no", Duration.ofSeconds(30));
        try (SmtpTestClient c = new SmtpTestClient(server.actualPort())) {
            c.reply();
            c.command("EHLO client.test");
            c.command("MAIL FROM:<a@remote.test>");
            assertEquals(550, c.command("RCPT TO:<u@example.com>").code());
            clock.now = clock.now.plusSeconds(31);
            assertEquals(250, c.command("RCPT TO:<u@example.com>").code(), "the block ended mid-session");
        }
    }

    @Test
    void liftedBlockLetsTheClientInAgain() throws Exception {
        block(IpBlock.Response.TEMPFAIL, "later", Duration.ofMinutes(10));
        blocks.apply(CLIENT, null);
        try (SmtpTestClient c = new SmtpTestClient(server.actualPort())) {
            assertEquals(220, c.reply().code());
            c.command("EHLO client.test");
            c.command("MAIL FROM:<a@remote.test>");
            assertEquals(550, c.command("RCPT TO:<u@elsewhere.test>").code());
        }
        assertEquals(1, refusals.size(), "an ordinary relay refusal is reported");
    }
}
