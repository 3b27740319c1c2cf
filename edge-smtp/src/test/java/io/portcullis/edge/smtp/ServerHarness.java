package io.portcullis.edge.smtp;

import io.vertx.core.Vertx;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** Starts a real {@link SmtpServer} on a free port with a {@link RecordingSink} and a fixed domain list. */
public final class ServerHarness implements AutoCloseable {

    public static final List<String> DOMAINS = List.of("example.com", "example.org");

    public final Vertx vertx;
    public final RecordingSink sink = new RecordingSink();
    public final SmtpServer server;

    public ServerHarness(SmtpServerOptions options) throws Exception {
        this(Vertx.vertx(), options);
    }

    private ServerHarness(Vertx vertx, SmtpServerOptions options) throws Exception {
        this.vertx = vertx;
        this.server = SmtpServer.start(vertx, options, RecipientPolicy.domains(DOMAINS), sink)
                .toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    }

    public static SmtpLimits testLimits() {
        return SmtpLimits.defaults().withMaxMessageBytes(10_000).withMaxRecipients(3)
                .withSinkTimeout(Duration.ofSeconds(2));
    }

    public static SmtpServerOptions options(SmtpLimits limits) {
        return SmtpServerOptions.of("127.0.0.1", 0, "mx.test", limits);
    }

    public static ServerHarness start() throws Exception {
        return new ServerHarness(options(testLimits()));
    }

    public static ServerHarness start(SmtpLimits limits) throws Exception {
        return new ServerHarness(options(limits));
    }

    public SmtpTestClient connect() throws Exception {
        SmtpTestClient client = new SmtpTestClient(server.actualPort());
        SmtpTestClient.Reply greeting = client.reply();
        if (greeting.code() != 220) {
            throw new IllegalStateException("greeting: " + greeting);
        }
        return client;
    }

    @Override
    public void close() throws Exception {
        server.close().toCompletionStage().toCompletableFuture().get(5, TimeUnit.SECONDS);
        vertx.close().toCompletionStage().toCompletableFuture().get(5, TimeUnit.SECONDS);
    }
}
