package io.portcullis.edge.listener;

import io.opentelemetry.api.trace.Tracer;
import io.portcullis.edge.config.EdgeConfig;
import io.portcullis.edge.events.RecipientRejectedPublisher;
import io.portcullis.edge.ipblock.IpBlockGate;
import io.portcullis.edge.policy.AcceptedDomains;
import io.portcullis.edge.smtp.MessageSink;
import io.portcullis.edge.smtp.SmtpHooks;
import io.portcullis.edge.smtp.SmtpLimits;
import io.portcullis.edge.smtp.SmtpServer;
import io.portcullis.edge.smtp.SmtpServerOptions;
import io.portcullis.edge.smtp.SmtpTls;
import io.portcullis.edge.spool.Spool;
import io.portcullis.edge.validation.DirectoryRecipientValidator;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import io.vertx.core.Vertx;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

/**
 * The inbound listener of an edge node ({@code portcullis.smtp.*}): relay control from {@link AcceptedDomains},
 * durable acceptance through the {@link Spool} sink, STARTTLS with the configured or a self-signed certificate,
 * the IP Profiler's blocks ({@link IpBlockGate}), RecipientRejected events for refused recipients
 * ({@link RecipientRejectedPublisher}) and, when {@code portcullis.recipient-validation.mode=directory}, recipient
 * validation against policy-service's directory ({@link DirectoryRecipientValidator}); optionally a second listener
 * for a load balancer speaking the PROXY protocol ({@code portcullis.smtp.proxy-port}). Failing to bind fails
 * start-up.
 */
@ApplicationScoped
public class EdgeSmtpListener {

    /** Errors in a row before 421. */
    static final int MAX_CONSECUTIVE_ERRORS = 10;

    private final Vertx vertx;
    private final EdgeConfig config;
    private final AcceptedDomains acceptedDomains;
    private final MessageSink sink;
    private final Tracer tracer;
    private final IpBlockGate ipBlocks;
    private final RecipientRejectedPublisher refusals;
    private final DirectoryRecipientValidator validator;
    private volatile SmtpServer server;
    /** The PROXY-protocol listener, when {@code portcullis.smtp.proxy-port} is set. */
    private volatile SmtpServer proxyServer;

    public EdgeSmtpListener(Vertx vertx, EdgeConfig config, AcceptedDomains acceptedDomains,
            @Spool MessageSink sink, Tracer tracer, IpBlockGate ipBlocks, RecipientRejectedPublisher refusals,
            DirectoryRecipientValidator validator) {
        this.vertx = vertx;
        this.config = config;
        this.acceptedDomains = acceptedDomains;
        this.sink = sink;
        this.tracer = tracer;
        this.ipBlocks = ipBlocks;
        this.refusals = refusals;
        this.validator = validator;
    }

    /**
     * The listener's limits. The sink may take the object-storage write plus the Kafka acknowledgement, each bounded
     * by the ack timeout; the server's own backstop is twice that plus a margin.
     */
    public static SmtpLimits limits(EdgeConfig config) {
        EdgeConfig.Smtp smtp = config.smtp();
        Duration ack = config.spool().ackTimeout();
        return new SmtpLimits(smtp.maxMessageBytes(), smtp.maxRecipients(), smtp.commandTimeout(),
                smtp.dataTimeout(), smtp.maxConnectionsPerIp(), smtp.maxConnections(), MAX_CONSECUTIVE_ERRORS,
                ack.multipliedBy(2).plusSeconds(5));
    }

    void onStart(@Observes StartupEvent event) throws Exception {
        EdgeConfig.Smtp smtp = config.smtp();
        SmtpServerOptions options = SmtpServerOptions.of(smtp.host(), smtp.port(), smtp.hostname(), limits(config))
                .withTls(SmtpTls.configuredOrSelfSigned(smtp.tlsCertPath(), smtp.tlsKeyPath(), smtp.hostname()))
                .withTracer(tracer);
        SmtpHooks hooks = new SmtpHooks(ipBlocks, refusals,
                validator.active() ? validator : io.portcullis.edge.smtp.RecipientValidator.none(), acceptedDomains);
        server = SmtpServer.start(vertx, options, acceptedDomains, sink, hooks)
                .toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
        if (smtp.proxyPort().isPresent()) {
            proxyServer = SmtpServer.start(vertx, options.withProxyProtocol(smtp.proxyPort().get()), acceptedDomains,
                    sink, hooks).toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
        }
        vertx.executeBlocking(acceptedDomains::refresh, false);
    }

    void onStop(@Observes ShutdownEvent event) throws Exception {
        for (SmtpServer s : new SmtpServer[] {proxyServer, server}) {
            if (s != null) {
                s.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
            }
        }
    }

    /** Whether the listener is bound. */
    public boolean isListening() {
        SmtpServer s = server;
        SmtpServer p = proxyServer;
        return s != null && s.isListening() && (config.smtp().proxyPort().isEmpty() || p != null && p.isListening());
    }

    /** The bound PROXY-protocol port, or -1 when there is none. */
    public int proxyPort() {
        SmtpServer p = proxyServer;
        return p == null ? -1 : p.actualPort();
    }

    /** The bound port, or -1 before start-up. */
    public int port() {
        SmtpServer s = server;
        return s == null ? -1 : s.actualPort();
    }
}
