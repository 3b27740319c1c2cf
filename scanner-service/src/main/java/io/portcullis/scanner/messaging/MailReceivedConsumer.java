package io.portcullis.scanner.messaging;

import io.opentelemetry.context.Context;
import io.opentelemetry.context.Scope;
import io.portcullis.contracts.events.EventJson;
import io.portcullis.contracts.events.MailReceived;
import io.portcullis.contracts.events.Topics;
import io.portcullis.contracts.events.VerdictIssued;
import io.portcullis.contracts.scan.Category;
import io.portcullis.contracts.scan.Finding;
import io.portcullis.scanner.config.ScannerConfig;
import io.portcullis.scanner.mime.DecompositionSymbols;
import io.portcullis.scanner.service.ScanOutcome;
import io.portcullis.scanner.service.ScanService;
import io.portcullis.scanner.signatures.SignatureUpdater;
import io.portcullis.scanner.spam.LearnedModelUpdater;
import io.portcullis.scanner.storage.BodyLoader;
import io.portcullis.scanner.storage.BodyUnavailableException;
import io.portcullis.scanner.storage.LoadedBody;
import io.smallrye.reactive.messaging.annotations.Blocking;
import io.smallrye.reactive.messaging.TracingMetadata;
import io.smallrye.reactive.messaging.kafka.api.OutgoingKafkaRecordMetadata;
import jakarta.enterprise.context.ApplicationScoped;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.eclipse.microprofile.reactive.messaging.Acknowledgment;
import org.eclipse.microprofile.reactive.messaging.Incoming;
import org.eclipse.microprofile.reactive.messaging.Message;
import org.eclipse.microprofile.reactive.messaging.Outgoing;
import org.jboss.logging.Logger;

/**
 * Scans every {@link MailReceived} and publishes its {@link VerdictIssued}, keyed by message id, with the same body
 * reference and envelope. The verdict message carries the incoming record's ack and nack: the offset is committed only
 * once Kafka has acknowledged the verdict. Unparseable records and unloadable bodies are nacked (the failure strategy
 * dead-letters them); nothing becomes a verdict without being scanned.
 */
@ApplicationScoped
public class MailReceivedConsumer {
    private static final Logger LOG = Logger.getLogger(MailReceivedConsumer.class);

    private final ScanService scanner;
    private final BodyLoader bodies;
    private final SignatureUpdater signatures;
    private final Duration startupWait;
    private volatile boolean signaturesResolved;
    private final LearnedModelUpdater learning;
    private final Duration learningWait;
    private volatile boolean learningResolved;

    public MailReceivedConsumer(ScanService scanner, BodyLoader bodies, SignatureUpdater signatures,
            ScannerConfig config, LearnedModelUpdater learning) {
        this.learning = learning;
        this.learningWait = config.scanner().bayes().learning().startupWait();
        this.scanner = scanner;
        this.bodies = bodies;
        this.signatures = signatures;
        this.startupWait = config.scanner().signatures().updates().startupWait();
    }

    /** Before the first scans: the active signature bundle, or {@code startup-wait} passed (then scan anyway). */
    private void awaitSignatures() {
        if (signaturesResolved) {
            return;
        }
        try {
            if (!signatures.awaitStartupSet(startupWait)) {
                LOG.warnf("the active signature bundle is not loaded after %s: scanning with the current set",
                        startupWait);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        signaturesResolved = true;
    }

    /** Before the first scans: the first fetch of the learned spam counts resolved, or {@code startup-wait} passed. */
    private void awaitLearnedCounts() {
        if (learningResolved) {
            return;
        }
        try {
            if (!learning.awaitStartup(learningWait)) {
                LOG.warnf("the learned spam counts are not fetched after %s: scoring with what is held", learningWait);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        learningResolved = true;
    }

    /**
     * @return the verdict, carrying {@code in}'s ack and nack; or null (nothing sent) after nacking {@code in} for a
     *         poison record, an unloadable body or an unexpected error. Never throws: a thrown exception would end the
     *         stream.
     */
    @Incoming("mail-received")
    @Outgoing("mail-verdict")
    @Acknowledgment(Acknowledgment.Strategy.MANUAL)
    @Blocking(value = "scanner-workers", ordered = false)
    public Message<byte[]> process(Message<byte[]> in) {
        Context parent = TracingMetadata.fromMessage(in).map(TracingMetadata::getCurrentContext)
                .orElse(Context.current());
        awaitSignatures();
        awaitLearnedCounts();
        try (Scope ignored = parent.makeCurrent()) {
            MailReceived mail = parse(in.getPayload());
            VerdictIssued verdict = verdictFor(mail);
            OutgoingKafkaRecordMetadata<String> kafka = OutgoingKafkaRecordMetadata.<String>builder()
                    .withKey(mail.messageId())
                    .withHeaders(new RecordHeaders().add(Topics.HEADER_MESSAGE_ID,
                            mail.messageId().getBytes(StandardCharsets.UTF_8)))
                    .build();
            return in.withPayload(EventJson.write(verdict)).addMetadata(kafka);
        } catch (IllegalArgumentException e) {
            LOG.warnf("poison MailReceived record, dead-lettering it: %s", e.getMessage());
            in.nack(e);
        } catch (BodyUnavailableException e) {
            LOG.errorf("no verdict, dead-lettering the record: %s", e.getMessage());
            in.nack(e);
        } catch (RuntimeException e) {
            LOG.errorf(e, "scanning failed unexpectedly, dead-lettering the record");
            in.nack(e);
        }
        return null;
    }

    /** Loads, scans and decides one message (the part that does not depend on Kafka). */
    public VerdictIssued verdictFor(MailReceived mail) throws BodyUnavailableException {
        LoadedBody body = bodies.load(mail.messageId(), mail.body());
        List<Finding> pre = body.truncated()
                ? List.of(new Finding(DecompositionSymbols.MIME_LIMIT, Category.FAILURE, 0, "body of "
                        + mail.body().size() + " bytes is larger than the scan limit; only the first "
                        + body.bytes().length + " bytes were scanned"))
                : List.of();
        ScanOutcome outcome = scanner.scan(mail.messageId(), mail.tenant(), mail.envelope(), body.bytes(), pre);
        var d = outcome.decision();
        return new VerdictIssued(mail.messageId(), mail.tenant(), mail.receivedAt(), Instant.now(), mail.envelope(),
                mail.body(), outcome.headerMessageId(), outcome.subject(), d.action(), d.ruleId(), d.virus(),
                d.spam(), d.spamScore(), outcome.findings(), d.modifications(), d.policyVersion(),
                outcome.engineVersions(), outcome.messageSize(), outcome.attachments(), d.matchedRules(), d.groups());
    }

    static MailReceived parse(byte[] payload) {
        if (payload == null) {
            throw new IllegalArgumentException("empty MailReceived record");
        }
        MailReceived mail = EventJson.read(payload, MailReceived.class);
        if (mail.messageId() == null || mail.messageId().isBlank() || mail.body() == null) {
            throw new IllegalArgumentException("MailReceived without messageId or body");
        }
        LOG.debugf("received %s", mail.messageId());
        return mail;
    }
}
