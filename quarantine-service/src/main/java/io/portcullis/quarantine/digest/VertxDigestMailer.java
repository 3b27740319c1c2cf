package io.portcullis.quarantine.digest;

import io.portcullis.quarantine.config.QuarantineConfig;
import io.vertx.core.MultiMap;
import io.vertx.core.Vertx;
import io.vertx.ext.mail.LoginOption;
import io.vertx.ext.mail.MailClient;
import io.vertx.ext.mail.MailConfig;
import io.vertx.ext.mail.MailMessage;
import io.vertx.ext.mail.StartTLSOptions;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Sends digests with the Vert.x Mail client to {@code portcullis.quarantine.digest.smtp} (STARTTLS when offered, no
 * login), text and HTML as multipart/alternative. Blocks the calling worker thread until the server answered.
 */
@ApplicationScoped
public class VertxDigestMailer implements DigestMailer {
    /** Header naming the digest batch (for operators and tests). */
    public static final String BATCH_HEADER = "X-Portcullis-Digest";

    private final MailClient client;
    private final String from;
    private final Duration timeout;

    public VertxDigestMailer(Vertx vertx, QuarantineConfig config) {
        String smtp = config.digest().smtp();
        int colon = smtp.lastIndexOf(':');
        String host = smtp.substring(0, colon).replace("[", "").replace("]", "");
        this.timeout = config.digest().smtpTimeout();
        MailConfig mail = new MailConfig()
                .setHostname(host)
                .setPort(Integer.parseInt(smtp.substring(colon + 1)))
                .setStarttls(StartTLSOptions.OPTIONAL)
                .setTrustAll(true)
                .setLogin(LoginOption.DISABLED)
                .setKeepAlive(false)
                .setConnectTimeout((int) Math.min(Integer.MAX_VALUE, timeout.toMillis()))
                .setIdleTimeout((int) Math.max(1, timeout.toSeconds()));
        this.client = MailClient.create(vertx, mail);
        this.from = config.digest().from();
    }

    @Override
    public void send(DigestMail mail) {
        MultiMap headers = MultiMap.caseInsensitiveMultiMap().add(BATCH_HEADER, mail.batch().toString())
                .add("Auto-Submitted", "auto-generated");
        MailMessage message = new MailMessage()
                .setBounceAddress(from)
                .setFrom("Portcullis quarantine <" + from + ">")
                .setTo(List.of(mail.to()))
                .setSubject(mail.subject())
                .setHeaders(headers)
                .setText(mail.text())
                .setHtml(mail.html());
        try {
            client.sendMail(message).toCompletionStage().toCompletableFuture()
                    .get(timeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new DigestSendException("interrupted", e);
        } catch (ExecutionException e) {
            throw new DigestSendException(String.valueOf(e.getCause().getMessage()), e.getCause());
        } catch (TimeoutException e) {
            throw new DigestSendException("no answer within " + timeout, e);
        }
    }

    @PreDestroy
    void close() {
        client.close();
    }
}
