package io.portcullis.edge.delivery;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.portcullis.edge.delivery.DsnBuilder.FailedRecipient;
import io.vertx.core.Vertx;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class VertxDsnSenderTest {

    private static Vertx vertx;

    @BeforeAll
    static void start() {
        vertx = Vertx.vertx();
    }

    @AfterAll
    static void stop() {
        vertx.close();
    }

    private static DeliveryStatusNotification dsn() {
        return new DsnBuilder("edge.test", "MAILER-DAEMON@edge.test").build("alice@example.org", "Q7",
                Instant.parse("2026-01-02T03:04:05Z"),
                List.of(new FailedRecipient("bob@example.com", "550 5.1.1 User unknown", false, "mx.test")),
                "Message-ID: <m7@example.org>\r\nSubject: hi\r\n".getBytes(StandardCharsets.US_ASCII), Instant.now());
    }

    @Test
    void sendsTheDsnVerbatimWithTheNullSender() throws Exception {
        try (FakeSmtpServer server = new FakeSmtpServer(new FakeSmtpServer.Script())) {
            DeliveryStatusNotification dsn = dsn();

            String reply = new VertxDsnSender(vertx, "edge.test", Duration.ofSeconds(5)).send(server.hop(), dsn)
                    .toCompletableFuture().get(10, TimeUnit.SECONDS);

            assertTrue(reply.startsWith("250"));
            FakeSmtpServer.Session s = server.lastSession();
            assertTrue(s.commands.stream().anyMatch(c -> c.startsWith("MAIL FROM:<>")), s.commands.toString());
            assertTrue(s.commands.contains("RCPT TO:<alice@example.org>"), s.commands.toString());
            byte[] received = s.data.get(0);
            String text = new String(received, StandardCharsets.US_ASCII);
            assertTrue(text.contains("Content-Type: multipart/report; report-type=delivery-status; boundary="));
            assertTrue(text.contains("Final-Recipient: rfc822; bob@example.com"));
            assertTrue(text.contains("Message-ID: <m7@example.org>"));
            assertArrayEquals(dsn.toBytes(), received, "Vert.x Mail sent our bytes unchanged");
        }
    }

    @Test
    void refusalFailsTheStage() throws Exception {
        FakeSmtpServer.Script script = new FakeSmtpServer.Script();
        script.rcpt = a -> "550 5.1.1 no such sender mailbox";
        try (FakeSmtpServer server = new FakeSmtpServer(script)) {
            var stage = new VertxDsnSender(vertx, "edge.test", Duration.ofSeconds(5)).send(server.hop(), dsn());
            ExecutionException e = assertThrows(ExecutionException.class,
                    () -> stage.toCompletableFuture().get(10, TimeUnit.SECONDS));
            assertTrue(e.getCause().getMessage().contains("550"), e.getCause().getMessage());
        }
    }

    @Test
    void requiredTlsWithoutStartTlsSendsNoDsnInCleartext() throws Exception {
        try (FakeSmtpServer server = new FakeSmtpServer(new FakeSmtpServer.Script())) {
            var stage = new VertxDsnSender(vertx, "edge.test", Duration.ofSeconds(5))
                    .send(server.hop(), dsn(), TlsPolicy.REQUIRED);

            assertThrows(ExecutionException.class, () -> stage.toCompletableFuture().get(10, TimeUnit.SECONDS));
            assertTrue(server.sessions.stream().flatMap(x -> x.commands.stream())
                    .noneMatch(c -> c.startsWith("MAIL")), "no MAIL FROM without TLS");
            assertEquals(0, server.transactions());
        }
    }
}
