package io.portcullis.edge.smtp;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.portcullis.edge.smtp.protocol.SmtpReply;
import io.vertx.core.Vertx;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Refused-recipient reporting, the recipient-validation hook and the client gate contract, over a real socket. */
class SmtpHooksTest {

    private Vertx vertx;
    private SmtpServer server;
    private final List<RefusedRecipient> refusals = new CopyOnWriteArrayList<>();

    /** example.com and example.org accepted; nobody@example.com does not exist. */
    private static final RecipientPolicy VALIDATING = new RecipientPolicy() {
        @Override
        public boolean acceptsDomain(String domain) {
            return ServerHarness.DOMAINS.contains(domain);
        }

        @Override
        public RecipientVerdict check(String address, String domain) {
            if (!acceptsDomain(domain)) {
                return RecipientVerdict.RELAY_DENIED;
            }
            return address.startsWith("nobody@") ? RecipientVerdict.UNKNOWN_USER : RecipientVerdict.ACCEPT;
        }
    };

    @BeforeEach
    void setUp() {
        vertx = Vertx.vertx();
    }

    @AfterEach
    void tearDown() throws Exception {
        if (server != null) {
            server.close().toCompletionStage().toCompletableFuture().get(5, TimeUnit.SECONDS);
        }
        vertx.close().toCompletionStage().toCompletableFuture().get(5, TimeUnit.SECONDS);
    }

    private void start(ClientGate gate, RecipientRefusalListener listener) throws Exception {
        server = SmtpServer.start(vertx, ServerHarness.options(ServerHarness.testLimits()), VALIDATING,
                new RecordingSink(), new SmtpHooks(gate, listener))
                .toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    }

    private SmtpTestClient connect() throws Exception {
        SmtpTestClient c = new SmtpTestClient(server.actualPort());
        assertEquals(220, c.reply().code());
        return c;
    }

    @Test
    void relayDeniedAndUnknownUserAreReportedWithSessionAndRcptNumber() throws Exception {
        start(ClientGate.open(), refusals::add);
        try (SmtpTestClient c = connect()) {
            c.command("EHLO client.test");
            c.command("MAIL FROM:<a@remote.test>");
            assertEquals(250, c.command("RCPT TO:<someone@example.com>").code());
            assertEquals(List.of("550 5.7.1 Relaying denied"), c.command("RCPT TO:<Victim@Elsewhere.TEST>").lines());
            assertEquals(List.of("550 5.1.1 User unknown"), c.command("RCPT TO:<nobody@example.com>").lines());
            assertEquals(501, c.command("RCPT TO:broken").code());
            assertEquals(250, c.command("RSET").code());
            c.command("MAIL FROM:<a@remote.test>");
            assertEquals(550, c.command("RCPT TO:<x@elsewhere.test>").code());
        }
        await().atMost(Duration.ofSeconds(5)).until(() -> refusals.size() == 3);
        RefusedRecipient relay = refusals.get(0);
        assertTrue(QueueIdGenerator.isValid(relay.sessionId()), relay.sessionId());
        assertEquals(2, relay.rcptNumber());
        assertEquals("127.0.0.1", relay.clientIp());
        assertEquals("elsewhere.test", relay.domain(), "lower case, domain only");
        assertEquals(RecipientVerdict.RELAY_DENIED, relay.verdict());
        assertEquals(550, relay.replyCode());
        RefusedRecipient unknown = refusals.get(1);
        assertEquals(RecipientVerdict.UNKNOWN_USER, unknown.verdict());
        assertEquals("example.com", unknown.domain());
        assertEquals(3, unknown.rcptNumber());
        assertEquals(5, refusals.get(2).rcptNumber(), "numbers continue across transactions of one connection");
        assertEquals(relay.sessionId(), refusals.get(2).sessionId());
    }

    @Test
    void aPolicyRuleRefusesARecipientAtRcptWithItsTextAndOthersGoOn() throws Exception {
        RecipientRules rules = (from, rcpt) -> from.endsWith("@spammer.test") && rcpt.startsWith("alice@")
                ? java.util.Optional.of("No mail from spammer.test to Alice") : java.util.Optional.empty();
        server = SmtpServer.start(vertx, ServerHarness.options(ServerHarness.testLimits()), VALIDATING,
                new RecordingSink(), new SmtpHooks(ClientGate.open(), refusals::add, RecipientValidator.none(), rules))
                .toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
        try (SmtpTestClient c = connect()) {
            c.command("EHLO client.test");
            c.command("MAIL FROM:<x@spammer.test>");
            assertEquals(List.of("550 5.7.1 No mail from spammer.test to Alice"),
                    c.command("RCPT TO:<alice@example.com>").lines());
            assertEquals(250, c.command("RCPT TO:<bob@example.com>").code(), "other recipients go on");
            assertEquals(List.of("550 5.7.1 Relaying denied"), c.command("RCPT TO:<alice@elsewhere.test>").lines(),
                    "relay control comes first");
            assertEquals(250, c.command("RSET").code());
            c.command("MAIL FROM:<x@friend.test>");
            assertEquals(250, c.command("RCPT TO:<alice@example.com>").code());
        }
        await().atMost(Duration.ofSeconds(5)).until(() -> !refusals.isEmpty());
        assertEquals(1, refusals.size(), "a policy refusal is not a harvest attempt: only the relay denial is reported");
        assertEquals(RecipientVerdict.RELAY_DENIED, refusals.get(0).verdict());
    }

    @Test
    void everyConnectionHasItsOwnSessionId() throws Exception {
        start(ClientGate.open(), refusals::add);
        for (int i = 0; i < 2; i++) {
            try (SmtpTestClient c = connect()) {
                c.command("HELO client.test");
                c.command("MAIL FROM:<>");
                c.command("RCPT TO:<x@elsewhere.test>");
            }
        }
        await().atMost(Duration.ofSeconds(5)).until(() -> refusals.size() == 2);
        assertNotEquals(refusals.get(0).sessionId(), refusals.get(1).sessionId());
        assertEquals(1, refusals.get(1).rcptNumber());
    }

    @Test
    void failingListenerNeverChangesTheDialogue() throws Exception {
        start(ClientGate.open(), r -> {
            throw new IllegalStateException("listener broken");
        });
        try (SmtpTestClient c = connect()) {
            c.command("EHLO client.test");
            c.command("MAIL FROM:<a@remote.test>");
            assertEquals(List.of("550 5.7.1 Relaying denied"), c.command("RCPT TO:<x@elsewhere.test>").lines());
            assertEquals(250, c.command("RCPT TO:<y@example.com>").code());
            assertEquals(354, c.command("DATA").code());
            c.send("Subject: t\r\n\r\nhi\r\n.\r\n");
            assertEquals(250, c.reply().code());
        }
    }

    @Test
    void failingGateLetsTheClientIn() throws Exception {
        start(new ClientGate() {
            @Override
            public Optional<SmtpReply> atConnect(String clientIp) {
                throw new IllegalStateException("gate broken");
            }

            @Override
            public Optional<SmtpReply> atRecipient(String clientIp) {
                return null;
            }
        }, refusals::add);
        try (SmtpTestClient c = connect()) {
            c.command("EHLO client.test");
            c.command("MAIL FROM:<a@remote.test>");
            assertEquals(250, c.command("RCPT TO:<y@example.com>").code());
        }
    }

    @Test
    void gateSeesTheClientAddressAtConnectAndAtEveryRcpt() throws Exception {
        List<String> seen = new CopyOnWriteArrayList<>();
        Consumer<String> note = seen::add;
        start(new ClientGate() {
            @Override
            public Optional<SmtpReply> atConnect(String clientIp) {
                note.accept("connect " + clientIp);
                return Optional.empty();
            }

            @Override
            public Optional<SmtpReply> atRecipient(String clientIp) {
                note.accept("rcpt " + clientIp);
                return Optional.empty();
            }
        }, refusals::add);
        try (SmtpTestClient c = connect()) {
            c.command("EHLO client.test");
            c.command("MAIL FROM:<a@remote.test>");
            c.command("RCPT TO:<y@example.com>");
            c.command("RCPT TO:<z@example.org>");
        }
        assertEquals(List.of("connect 127.0.0.1", "rcpt 127.0.0.1", "rcpt 127.0.0.1"), seen);
    }
}
