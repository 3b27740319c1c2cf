package io.portcullis.edge.smtp;

import io.portcullis.edge.smtp.command.CommandRegistry;
import io.portcullis.edge.smtp.protocol.SmtpReplies;
import io.portcullis.edge.smtp.session.SessionServices;
import io.portcullis.edge.smtp.session.SmtpSession;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.net.NetServer;
import io.vertx.core.net.NetServerOptions;
import io.vertx.core.net.NetSocket;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import org.jboss.logging.Logger;

/**
 * An ESMTP listener on a Vert.x {@link NetServer}: greeting, the verbs of {@link CommandRegistry#standard()},
 * PIPELINING, STARTTLS, strict CRLF, limits, and a {@link MessageSink} that decides when a message is accepted.
 *
 * <pre>{@code
 * SmtpServer server = SmtpServer.start(vertx,
 *         SmtpServerOptions.of("127.0.0.1", 2526, "sink.local", SmtpLimits.defaults()),
 *         RecipientPolicy.acceptAll(), message -> store(message)) // CompletionStage<String>
 *     .toCompletionStage().toCompletableFuture().get();
 * ...
 * server.close();
 * }</pre>
 *
 * Connection limits are checked at connect: beyond {@link SmtpLimits#maxConnections()} in all or
 * {@link SmtpLimits#maxConnectionsPerIp()} from one address the client gets 421 4.7.0 and is disconnected.
 */
public final class SmtpServer {

    private static final Logger LOG = Logger.getLogger(SmtpServer.class);

    private final NetServer netServer;
    private final SessionServices services;
    private final AtomicInteger connections = new AtomicInteger();
    private final Map<String, AtomicInteger> perIp = new ConcurrentHashMap<>();
    private final Set<SmtpSession> sessions = ConcurrentHashMap.newKeySet();
    private volatile boolean listening;

    private SmtpServer(Vertx vertx, SmtpServerOptions options, RecipientPolicy policy, MessageSink sink,
            SmtpHooks hooks) {
        this.services = new SessionServices(vertx, options, policy, sink, CommandRegistry.standard(),
                new QueueIdGenerator(options.clock()), hooks);
        NetServerOptions netOptions = new NetServerOptions().setHost(options.host()).setPort(options.port())
                .setSsl(false).setTcpNoDelay(true);
        if (options.proxyProtocol()) {
            // The PROXY header's source address becomes socket.remoteAddress(); no header in time: closed.
            netOptions.setUseProxyProtocol(true).setProxyProtocolTimeout(options.limits().commandTimeout().toMillis())
                    .setProxyProtocolTimeoutUnit(java.util.concurrent.TimeUnit.MILLISECONDS);
        }
        // Key material on a non-SSL server enables NetSocket.upgradeToSsl() for STARTTLS.
        options.tls().ifPresent(netOptions::setKeyCertOptions);
        this.netServer = vertx.createNetServer(netOptions).connectHandler(this::onConnect);
    }

    /**
     * Binds a listener.
     *
     * @param vertx   the Vert.x instance to run on
     * @param options host, port, hostname, limits, TLS
     * @param policy  relay control ({@link RecipientPolicy#acceptAll()} to turn it off)
     * @param sink    receives every complete message; the 250 waits for it
     * @return completes when the port is bound, fails when it cannot be
     */
    public static Future<SmtpServer> start(Vertx vertx, SmtpServerOptions options, RecipientPolicy policy,
            MessageSink sink) {
        return start(vertx, options, policy, sink, SmtpHooks.none());
    }

    /**
     * Binds a listener with a client gate (421 at connect, 550 at RCPT by client address) and a listener for
     * recipients refused by relay control or validation.
     *
     * @see #start(Vertx, SmtpServerOptions, RecipientPolicy, MessageSink)
     */
    public static Future<SmtpServer> start(Vertx vertx, SmtpServerOptions options, RecipientPolicy policy,
            MessageSink sink, SmtpHooks hooks) {
        Objects.requireNonNull(policy, "policy");
        Objects.requireNonNull(sink, "sink");
        Objects.requireNonNull(hooks, "hooks");
        SmtpServer server = new SmtpServer(vertx, options, policy, sink, hooks);
        return server.netServer.listen().map(bound -> {
            server.listening = true;
            LOG.infof("SMTP listening on %s:%d as %s (STARTTLS %s)", options.host(), bound.actualPort(),
                    options.hostname(), options.tls().isPresent() ? "on" : "off");
            return server;
        });
    }

    /** The bound port (useful when started on port 0). */
    public int actualPort() {
        return netServer.actualPort();
    }

    /** Whether the listener is bound and not closed. */
    public boolean isListening() {
        return listening;
    }

    /** Open connections. */
    public int connectionCount() {
        return connections.get();
    }

    /** Stops accepting, says 421 to idle clients and closes every connection. */
    public Future<Void> close() {
        listening = false;
        sessions.forEach(SmtpSession::shutdown);
        return netServer.close();
    }

    private void onConnect(NetSocket socket) {
        String ip = socket.remoteAddress() == null ? "unknown" : socket.remoteAddress().hostAddress();
        SmtpLimits limits = services.options().limits();
        AtomicInteger fromIp = perIp.computeIfAbsent(ip, k -> new AtomicInteger());
        int total = connections.incrementAndGet();
        int mine = fromIp.incrementAndGet();
        if (total > limits.maxConnections() || mine > limits.maxConnectionsPerIp()) {
            release(ip, fromIp);
            LOG.infof("client=%s refused: too many connections (total %d, from this address %d)", ip, total, mine);
            socket.write(Buffer.buffer(SmtpReplies.TOO_MANY_CONNECTIONS.bytes())).onComplete(v -> socket.close());
            return;
        }
        Context context = Vertx.currentContext();
        SmtpSession[] holder = new SmtpSession[1];
        holder[0] = new SmtpSession(services, socket, context, ip, () -> {
            sessions.remove(holder[0]);
            release(ip, fromIp);
        });
        sessions.add(holder[0]);
        holder[0].start();
    }

    private void release(String ip, AtomicInteger fromIp) {
        connections.decrementAndGet();
        if (fromIp.decrementAndGet() <= 0) {
            perIp.remove(ip, fromIp);
        }
    }
}
