package io.portcullis.edge.sink;

import io.portcullis.edge.config.EdgeConfig;
import io.portcullis.edge.delivery.DeliveryTarget;
import io.portcullis.edge.smtp.AcceptedMessage;
import io.portcullis.edge.smtp.RecipientPolicy;
import io.portcullis.edge.smtp.SmtpLimits;
import io.portcullis.edge.smtp.SmtpServer;
import io.portcullis.edge.smtp.SmtpServerOptions;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import io.vertx.core.Vertx;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import java.nio.file.Path;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;
import org.jboss.logging.Logger;

/**
 * The development sink: when no next hop is configured, a local SMTP server on 127.0.0.1:{@code sink.port}
 * (the edge's own {@link SmtpServer}, relay control off) accepts any recipient and writes each message to
 * {@code <sink.dir>/<id>.eml} (see {@link SinkWriter}). The 250 is sent only after the file is in place.
 */
@ApplicationScoped
public class DevelopmentSink {

    private static final Logger LOG = Logger.getLogger(DevelopmentSink.class);
    private static final String HOSTNAME = "portcullis-sink";
    /** Room for the header fields delivery adds on top of the largest accepted message. */
    private static final long HEADER_ALLOWANCE = 1024 * 1024;

    private final Vertx vertx;
    private final boolean enabled;
    private final int configuredPort;
    private final long maxMessageBytes;
    private final SinkWriter writer;
    private volatile SmtpServer server;

    @Inject
    public DevelopmentSink(Vertx vertx, EdgeConfig config) {
        this(vertx, DeliveryTarget.usesSink(config), config.sink().port(),
                Path.of(config.sink().dir()), config.smtp().maxMessageBytes() + HEADER_ALLOWANCE);
    }

    public DevelopmentSink(Vertx vertx, boolean enabled, int port, Path dir, long maxMessageBytes) {
        if (port < 0 || port > 65535) {
            throw new IllegalArgumentException("portcullis.sink.port out of range: " + port);
        }
        this.vertx = vertx;
        this.enabled = enabled;
        this.configuredPort = port;
        this.maxMessageBytes = Math.min(maxMessageBytes, SmtpLimits.MAX_SUPPORTED_MESSAGE_BYTES);
        this.writer = new SinkWriter(dir.toAbsolutePath());
    }

    void onStart(@Observes StartupEvent event) {
        if (enabled) {
            start();
        }
    }

    void onStop(@Observes ShutdownEvent event) {
        stop();
    }

    /** Binds the listener; fails (and so fails start-up) when the port cannot be bound. */
    public synchronized void start() {
        if (server != null) {
            return;
        }
        SmtpServerOptions options = SmtpServerOptions.of("127.0.0.1", configuredPort, HOSTNAME,
                SmtpLimits.defaults().withMaxMessageBytes(maxMessageBytes));
        try {
            server = SmtpServer.start(vertx, options, RecipientPolicy.acceptAll(), this::store)
                    .toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
        } catch (Exception e) {
            throw new IllegalStateException("development sink cannot listen on 127.0.0.1:" + configuredPort, e);
        }
        LOG.infof("development sink on 127.0.0.1:%d writing to %s (no portcullis.delivery.next-hop set)",
                server.actualPort(), writer.dir());
    }

    public synchronized void stop() {
        if (server != null) {
            try {
                server.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
            } catch (Exception e) {
                LOG.warnf("development sink did not close cleanly: %s", e.getMessage());
            }
            server = null;
        }
    }

    /** The bound port. */
    public int port() {
        SmtpServer s = server;
        if (s == null) {
            throw new IllegalStateException("the development sink is not running (set portcullis.delivery.next-hop)");
        }
        return s.actualPort();
    }

    /** The directory messages are written to. */
    public Path dir() {
        return writer.dir();
    }

    /** Called on the event loop: the file write runs on a worker thread. */
    private CompletionStage<String> store(AcceptedMessage message) {
        return vertx.executeBlocking(() -> {
            byte[] bytes = SinkWriter.withoutOwnReceived(message.bytes(), message.queueId());
            Path file = writer.write(bytes, message.queueId(), message.envelope().recipients());
            LOG.infof("development sink stored %s (%d bytes)", file.getFileName(), bytes.length);
            return message.queueId();
        }, false).toCompletionStage();
    }
}
