package io.portcullis.edge.smtp;

import io.opentelemetry.api.OpenTelemetry;
import io.opentelemetry.api.trace.Tracer;
import io.vertx.core.net.KeyCertOptions;
import java.time.Clock;
import java.util.Objects;
import java.util.Optional;

/**
 * Everything an {@link SmtpServer} needs besides its relay check and sink.
 *
 * @param host     address to bind, e.g. {@code 127.0.0.1} or {@code 0.0.0.0}
 * @param port     port to bind; 0 picks a free port (see {@link SmtpServer#actualPort()})
 * @param hostname name used in the greeting, EHLO reply and Received header
 * @param limits   resource limits
 * @param tls      key and certificate for STARTTLS; empty means STARTTLS is neither advertised nor accepted
 *                 (see {@link SmtpTls})
 * @param tracer   tracer for the per-transaction span (a no-op tracer when tracing is not wanted)
 * @param clock    clock for the Received header and {@link AcceptedMessage#receivedAt()}
 * @param proxyProtocol whether every connection starts with an HAProxy PROXY protocol (v1 or v2) header whose source
 *                 address becomes the client address (for a load balancer in front; a connection without a valid
 *                 header is closed before the greeting)
 */
public record SmtpServerOptions(String host, int port, String hostname, SmtpLimits limits,
        Optional<KeyCertOptions> tls, Tracer tracer, Clock clock, boolean proxyProtocol) {

    public SmtpServerOptions {
        Objects.requireNonNull(host, "host");
        Objects.requireNonNull(hostname, "hostname");
        Objects.requireNonNull(limits, "limits");
        Objects.requireNonNull(tls, "tls");
        Objects.requireNonNull(tracer, "tracer");
        Objects.requireNonNull(clock, "clock");
        if (port < 0 || port > 65535) {
            throw new IllegalArgumentException("port out of range: " + port);
        }
        if (hostname.isBlank() || hostname.chars().anyMatch(c -> c <= ' ' || c > '~')) {
            throw new IllegalArgumentException("hostname must be printable ASCII without spaces: " + hostname);
        }
    }

    /** Options without the PROXY protocol. */
    public SmtpServerOptions(String host, int port, String hostname, SmtpLimits limits,
            Optional<KeyCertOptions> tls, Tracer tracer, Clock clock) {
        this(host, port, hostname, limits, tls, tracer, clock, false);
    }

    /** Options without TLS, with a no-op tracer and the UTC system clock. */
    public static SmtpServerOptions of(String host, int port, String hostname, SmtpLimits limits) {
        return new SmtpServerOptions(host, port, hostname, limits, Optional.empty(),
                OpenTelemetry.noop().getTracer("portcullis-smtp"), Clock.systemUTC());
    }

    /** The same options with STARTTLS enabled using this key and certificate. */
    public SmtpServerOptions withTls(KeyCertOptions keyCert) {
        return new SmtpServerOptions(host, port, hostname, limits, Optional.of(keyCert), tracer, clock, proxyProtocol);
    }

    /** The same options with this tracer. */
    public SmtpServerOptions withTracer(Tracer newTracer) {
        return new SmtpServerOptions(host, port, hostname, limits, tls, newTracer, clock, proxyProtocol);
    }

    /** The same options with this clock. */
    public SmtpServerOptions withClock(Clock newClock) {
        return new SmtpServerOptions(host, port, hostname, limits, tls, tracer, newClock, proxyProtocol);
    }

    /** The same options on another port, expecting the PROXY protocol header on every connection. */
    public SmtpServerOptions withProxyProtocol(int proxyPort) {
        return new SmtpServerOptions(host, proxyPort, hostname, limits, tls, tracer, clock, true);
    }
}
