package io.portcullis.edge.spool;

import io.portcullis.edge.storage.InMemoryObjectStore;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.opentelemetry.api.trace.propagation.W3CTraceContextPropagator;
import io.portcullis.edge.smtp.RecipientPolicy;
import io.portcullis.edge.smtp.SmtpLimits;
import io.portcullis.edge.smtp.SmtpServer;
import io.portcullis.edge.smtp.SmtpServerOptions;
import io.portcullis.edge.smtp.SmtpTestClient;
import io.portcullis.edge.smtp.SmtpTestClient.Reply;
import io.vertx.core.Vertx;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.producer.MockProducer;
import org.apache.kafka.common.errors.NotEnoughReplicasException;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The real server with the real spool sink on a MockProducer: the client sees 250 only after the broker ack. */
class SpoolOverSmtpTest {

    private Vertx vertx;
    private ExecutorService workers;
    private MockProducer<String, byte[]> producer;
    private InMemoryObjectStore store;
    private SmtpServer server;

    @BeforeEach
    void start() throws Exception {
        vertx = Vertx.vertx();
        workers = Executors.newFixedThreadPool(2);
        producer = new MockProducer<>(false, null, new StringSerializer(), new ByteArraySerializer());
        store = new InMemoryObjectStore();
        KafkaSpoolSink sink = new KafkaSpoolSink(producer, store, workers, W3CTraceContextPropagator.getInstance(),
                new SpoolSettings("portcullis-spool", 1000, "default", "edge-1", Duration.ofSeconds(5)));
        server = SmtpServer.start(vertx, SmtpServerOptions.of("127.0.0.1", 0, "mx.test",
                SmtpLimits.defaults().withSinkTimeout(Duration.ofSeconds(5))),
                RecipientPolicy.domains(List.of("example.com")), sink)
                .toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    }

    @AfterEach
    void stop() throws Exception {
        server.close().toCompletionStage().toCompletableFuture().get(5, TimeUnit.SECONDS);
        vertx.close().toCompletionStage().toCompletableFuture().get(5, TimeUnit.SECONDS);
        workers.shutdownNow();
    }

    private SmtpTestClient sendMessage(String body) throws Exception {
        SmtpTestClient c = new SmtpTestClient(server.actualPort());
        c.reply();
        c.command("EHLO c");
        c.command("MAIL FROM:<a@remote.test>");
        c.command("RCPT TO:<u@example.com>");
        c.command("DATA");
        c.send(body + "\r\n.\r\n");
        return c;
    }

    @Test
    void replies250OnlyAfterKafkaAcknowledges() throws Exception {
        try (SmtpTestClient c = sendMessage("Subject: x\r\n\r\nsmall")) {
            await().atMost(Duration.ofSeconds(5)).until(() -> producer.history().size() == 1);
            assertTrue(c.silentFor(300), "no 250 before the ack");
            producer.completeNext();
            Reply reply = c.reply();
            assertEquals(250, reply.code());
            assertTrue(reply.text().endsWith("queued as " + producer.history().get(0).key()));
        }
    }

    @Test
    void replies451WhenKafkaFailsAndLeavesNoStoredBody() throws Exception {
        try (SmtpTestClient c = sendMessage("Subject: x\r\n\r\n" + "y".repeat(5000))) {
            await().atMost(Duration.ofSeconds(5)).until(() -> producer.history().size() == 1);
            assertEquals(1, store.objects.size());
            producer.errorNext(new NotEnoughReplicasException("min.insync.replicas"));
            Reply reply = c.reply();
            assertEquals(451, reply.code());
            assertTrue(reply.lines().get(0).startsWith("451 4.3.0 "));
            await().atMost(Duration.ofSeconds(5)).until(() -> store.objects.isEmpty());
        }
    }
}
