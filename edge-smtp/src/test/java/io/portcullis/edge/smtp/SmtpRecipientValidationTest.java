package io.portcullis.edge.smtp;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.Vertx;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The asynchronous recipient-validation step of the SMTP session over a real socket, with a validator whose answers
 * the test completes by hand.
 */
class SmtpRecipientValidationTest {

    private Vertx vertx;
    private SmtpServer server;
    private final RecordingSink sink = new RecordingSink();
    private final List<RefusedRecipient> refusals = new CopyOnWriteArrayList<>();
    /** Pending answers by address; the test completes them. */
    private final Map<String, CompletableFuture<RecipientVerdict>> pending = new ConcurrentHashMap<>();
    private final AtomicInteger asked = new AtomicInteger();
    private final AtomicInteger maxInFlight = new AtomicInteger();

    private final RecipientValidator validator = new RecipientValidator() {
        @Override
        public CompletionStage<RecipientVerdict> validate(String address, String domain) {
            asked.incrementAndGet();
            if (address.startsWith("boom@")) {
                throw new IllegalStateException("validator bug");
            }
            if (address.startsWith("cached@")) {
                return CompletableFuture.completedFuture(RecipientVerdict.ACCEPT);
            }
            int open = (int) pending.values().stream().filter(p -> !p.isDone()).count() + 1;
            maxInFlight.accumulateAndGet(open, Math::max);
            CompletableFuture<RecipientVerdict> f = new CompletableFuture<>();
            pending.put(address, f);
            return f;
        }
    };

    @BeforeEach
    void setUp() throws Exception {
        vertx = Vertx.vertx();
        server = SmtpServer.start(vertx, ServerHarness.options(ServerHarness.testLimits().withMaxRecipients(50)),
                RecipientPolicy.domains(ServerHarness.DOMAINS), sink,
                new SmtpHooks(ClientGate.open(), refusals::add, validator))
                .toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    }

    @AfterEach
    void tearDown() throws Exception {
        server.close().toCompletionStage().toCompletableFuture().get(5, TimeUnit.SECONDS);
        vertx.close().toCompletionStage().toCompletableFuture().get(5, TimeUnit.SECONDS);
    }

    private SmtpTestClient connect() throws Exception {
        SmtpTestClient c = new SmtpTestClient(server.actualPort());
        assertEquals(220, c.reply().code());
        c.command("EHLO client.test");
        return c;
    }

    private CompletableFuture<RecipientVerdict> awaitPending(String address) {
        await().atMost(Duration.ofSeconds(5)).until(() -> pending.containsKey(address));
        return pending.get(address);
    }

    @Test
    void unknownRecipientGets550WithTheAddressAndIsReported() throws Exception {
        try (SmtpTestClient c = connect()) {
            c.command("MAIL FROM:<a@remote.test>");
            c.send("RCPT TO:<Ghost@Example.com>\r\n");
            awaitPending("Ghost@Example.com").complete(RecipientVerdict.UNKNOWN_USER);
            assertEquals(List.of("550 5.1.1 <Ghost@Example.com>: recipient unknown"), c.reply().lines());
        }
        await().atMost(Duration.ofSeconds(5)).until(() -> refusals.size() == 1);
        assertEquals(RecipientVerdict.UNKNOWN_USER, refusals.get(0).verdict());
        assertEquals("example.com", refusals.get(0).domain());
        assertEquals(550, refusals.get(0).replyCode());
        assertEquals(1, refusals.get(0).rcptNumber());
    }

    @Test
    void unavailableAndFailedValidationGet451AndAreNotReported() throws Exception {
        try (SmtpTestClient c = connect()) {
            c.command("MAIL FROM:<a@remote.test>");
            c.send("RCPT TO:<x@example.com>\r\n");
            awaitPending("x@example.com").complete(RecipientVerdict.UNAVAILABLE);
            assertEquals("451 4.4.3 Recipient validation unavailable, try again later", c.reply().lines().get(0));
            c.send("RCPT TO:<y@example.com>\r\n");
            awaitPending("y@example.com").completeExceptionally(new RuntimeException("policy-service down"));
            assertEquals(451, c.reply().code());
            assertEquals(451, c.command("RCPT TO:<boom@example.com>").code(), "a throwing validator is an outage");
        }
        Thread.sleep(100);
        assertTrue(refusals.isEmpty(), "outages are not refusals of the recipient");
    }

    @Test
    void pipelinedCommandsWaitForTheValidationAndAreAnsweredInOrder() throws Exception {
        try (SmtpTestClient c = connect()) {
            c.send("MAIL FROM:<a@remote.test>\r\nRCPT TO:<one@example.com>\r\nRCPT TO:<two@example.com>\r\n"
                    + "RCPT TO:<cached@example.com>\r\nRCPT TO:<far@elsewhere.test>\r\nDATA\r\n");
            assertEquals(250, c.reply().code()); // MAIL
            awaitPending("one@example.com");
            assertTrue(c.silentFor(200), "no reply before the validation answers");
            assertEquals(1, asked.get(), "the next RCPT is held, not validated in parallel");
            pending.get("one@example.com").complete(RecipientVerdict.ACCEPT);
            assertEquals(250, c.reply().code());
            awaitPending("two@example.com").complete(RecipientVerdict.UNKNOWN_USER);
            assertEquals(550, c.reply().code());
            assertEquals(250, c.reply().code(), "a cached answer");
            assertEquals(List.of("550 5.7.1 Relaying denied"), c.reply().lines(), "relay control comes first");
            assertEquals(354, c.reply().code());
            c.send("Subject: t\r\n\r\nbody\r\n.\r\n");
            assertEquals(250, c.reply().code());
        }
        assertEquals(1, maxInFlight.get());
        assertEquals(List.of("one@example.com", "cached@example.com"), sink.messages.get(0).envelope().recipients());
    }

    @Test
    void harvesterPipeliningManyRcptsHasOneLookupAtATimeAndIsCutOffByTheErrorLimit() throws Exception {
        try (SmtpTestClient c = connect()) {
            StringBuilder burst = new StringBuilder("MAIL FROM:<a@remote.test>\r\n");
            for (int i = 0; i < 1000; i++) {
                burst.append("RCPT TO:<user").append(i).append("@example.com>\r\n");
            }
            c.send(burst.toString());
            assertEquals(250, c.reply().code());
            for (int i = 0; i < 10; i++) {
                awaitPending("user" + i + "@example.com").complete(RecipientVerdict.UNKNOWN_USER);
                assertEquals(550, c.reply().code());
            }
            assertEquals(421, c.reply().code(), "ten errors in a row close the connection");
            assertTrue(c.closedByServer());
        }
        assertEquals(10, asked.get());
        assertEquals(1, maxInFlight.get());
    }

    @Test
    void clientLeavingDuringValidationIsHarmless() throws Exception {
        try (SmtpTestClient c = connect()) {
            c.command("MAIL FROM:<a@remote.test>");
            c.send("RCPT TO:<late@example.com>\r\n");
            awaitPending("late@example.com");
        }
        Thread.sleep(100);
        pending.get("late@example.com").complete(RecipientVerdict.UNKNOWN_USER);
        Thread.sleep(100);
        assertTrue(refusals.isEmpty(), "no reply and no report for a closed connection");
        try (SmtpTestClient c = connect()) {
            assertEquals(250, c.command("NOOP").code(), "the server is fine");
        }
    }
}
