package io.portcullis.edge.smtp;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.portcullis.edge.smtp.SmtpTestClient.Reply;
import java.io.IOException;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The 250 after DATA depends on the sink, and only on the sink. */
class SmtpSinkTest {

    private ServerHarness harness;

    @BeforeEach
    void start() throws Exception {
        harness = ServerHarness.start(ServerHarness.testLimits().withSinkTimeout(Duration.ofMillis(700)));
    }

    @AfterEach
    void stop() throws Exception {
        harness.close();
    }

    private static void sendMessage(SmtpTestClient c) throws IOException {
        c.command("EHLO c");
        c.command("MAIL FROM:<a@remote.test>");
        c.command("RCPT TO:<user@example.com>");
        c.command("DATA");
        c.send("Subject: x\r\n\r\nbody\r\n.\r\n");
    }

    @Test
    void replies250OnlyAfterTheSinkCompletes() throws Exception {
        CompletableFuture<String> durable = new CompletableFuture<>();
        harness.sink.answer(m -> durable);
        try (SmtpTestClient c = harness.connect()) {
            sendMessage(c);
            c.send("NOOP\r\n"); // pipelined after DATA: must wait too
            assertTrue(c.silentFor(300), "no reply while the sink has not answered");
            durable.complete(harness.sink.messages.get(0).queueId());
            Reply reply = c.reply();
            assertEquals(250, reply.code());
            assertTrue(reply.text().contains("queued as " + harness.sink.messages.get(0).queueId()));
            assertEquals("250 2.0.0 Ok", c.reply().lines().get(0));
        }
    }

    @Test
    void sinkFailureGives451AndNo250() throws Exception {
        harness.sink.answer(m -> CompletableFuture.failedFuture(new IOException("kafka down")));
        try (SmtpTestClient c = harness.connect()) {
            sendMessage(c);
            Reply reply = c.reply();
            assertEquals(451, reply.code());
            assertTrue(reply.lines().get(0).startsWith("451 4.3.0 "));
            // the transaction is over; the client may retry
            assertEquals(503, c.command("RCPT TO:<user@example.com>").code());
        }
    }

    @Test
    void sinkThrowingGives451() throws Exception {
        harness.sink.answer(m -> {
            throw new IllegalStateException("bug");
        });
        try (SmtpTestClient c = harness.connect()) {
            sendMessage(c);
            assertEquals(451, c.reply().code());
        }
    }

    @Test
    void sinkTimeoutGives451AndALateSuccessIsIgnored() throws Exception {
        CompletableFuture<String> never = new CompletableFuture<>();
        harness.sink.answer(m -> never);
        try (SmtpTestClient c = harness.connect()) {
            sendMessage(c);
            long start = System.nanoTime();
            Reply reply = c.reply();
            assertEquals(451, reply.code());
            assertTrue(System.nanoTime() - start >= Duration.ofMillis(500).toNanos());
            never.complete("late");
            assertEquals("250 2.0.0 Ok", c.command("NOOP").lines().get(0), "no stray 250 for the late answer");
        }
    }

    @Test
    void sinkMayReportItsOwnQueueId() throws Exception {
        harness.sink.answer(m -> CompletableFuture.completedFuture("SINKID123"));
        try (SmtpTestClient c = harness.connect()) {
            sendMessage(c);
            assertEquals("250 2.0.0 Ok: queued as SINKID123", c.reply().lines().get(0));
        }
    }
}
