package io.portcullis.edge.delivery;

import io.portcullis.contracts.events.HeaderField;
import io.portcullis.edge.config.EdgeConfig;
import io.vertx.core.MultiMap;
import io.vertx.core.Vertx;
import io.vertx.ext.mail.LoginOption;
import io.vertx.ext.mail.MailClient;
import io.vertx.ext.mail.MailConfig;
import io.vertx.ext.mail.MailMessage;
import io.vertx.ext.mail.StartTLSOptions;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletionStage;

/**
 * Sends DSNs with the Vert.x Mail client. Its {@link MailMessage} model always builds {@code multipart/mixed}
 * with base64 attachments, which cannot express {@code multipart/report}; so the DSN is built by
 * {@link DsnBuilder} and handed over with {@code fixedHeaders=true}: the client then writes our header fields and
 * our 7-bit body as they are (see docs/adr/0002-verbatim-relay-client.md). Envelope sender: {@code <>}.
 */
@ApplicationScoped
public class VertxDsnSender implements DsnSender {

    private final Vertx vertx;
    private final String heloName;
    private final Duration timeout;
    private final java.util.Optional<String> trustStore;

    @Inject
    public VertxDsnSender(Vertx vertx, EdgeConfig config) {
        this(vertx, config.delivery().heloName(), config.delivery().timeout(), config.delivery().tlsTrustStore());
    }

    public VertxDsnSender(Vertx vertx, String heloName, Duration timeout) {
        this(vertx, heloName, timeout, java.util.Optional.empty());
    }

    /** @param trustStore PEM CA certificates for the {@code verify} policy; the JVM's trust store when empty */
    public VertxDsnSender(Vertx vertx, String heloName, Duration timeout, java.util.Optional<String> trustStore) {
        this.vertx = vertx;
        this.heloName = heloName;
        this.timeout = timeout;
        this.trustStore = trustStore.map(String::strip).filter(t -> !t.isEmpty());
    }

    @Override
    public CompletionStage<String> send(NextHop hop, DeliveryStatusNotification dsn) {
        return send(hop, dsn, TlsPolicy.OPPORTUNISTIC);
    }

    /**
     * Opportunistic: STARTTLS when offered, any certificate. {@code required}: STARTTLS or no DSN (the send fails and
     * is retried). {@code verify}: required, and the certificate must chain to the trust store and name the host
     * (the connection goes to the host's name then, resolved by the system resolver).
     */
    @Override
    public CompletionStage<String> send(NextHop hop, DeliveryStatusNotification dsn, TlsPolicy tls) {
        TlsPolicy policy = tls == null ? TlsPolicy.OPPORTUNISTIC : tls;
        MailConfig config = new MailConfig()
                .setHostname(policy == TlsPolicy.VERIFY ? hop.name() : hop.host())
                .setPort(hop.port())
                .setStarttls(policy.mandatory() ? StartTLSOptions.REQUIRED : StartTLSOptions.OPTIONAL)
                .setTrustAll(policy != TlsPolicy.VERIFY)
                .setLogin(LoginOption.DISABLED)
                .setOwnHostname(heloName)
                .setKeepAlive(false)
                .setConnectTimeout((int) Math.min(Integer.MAX_VALUE, timeout.toMillis()))
                .setIdleTimeout((int) Math.max(1, timeout.toSeconds()));
        if (policy == TlsPolicy.VERIFY) {
            config.setHostnameVerificationAlgorithm("HTTPS");
            trustStore.ifPresent(path -> config.setPemTrustOptions(new io.vertx.core.net.PemTrustOptions()
                    .addCertPath(path)));
        }
        MultiMap headers = MultiMap.caseInsensitiveMultiMap();
        for (HeaderField h : dsn.headers()) {
            headers.add(h.name(), h.value());
        }
        MailMessage message = new MailMessage()
                .setBounceAddress("<>")
                .setFrom(dsn.header("From"))
                .setTo(List.of(dsn.envelopeRecipient()))
                .setFixedHeaders(true)
                .setHeaders(headers)
                .setText(dsn.body());
        MailClient client = MailClient.create(vertx, config);
        return client.sendMail(message)
                .andThen(done -> client.close())
                .map(result -> "250 accepted for " + result.getRecipients())
                .toCompletionStage();
    }
}
