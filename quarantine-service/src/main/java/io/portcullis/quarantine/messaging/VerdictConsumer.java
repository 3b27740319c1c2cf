package io.portcullis.quarantine.messaging;

import io.portcullis.contracts.events.EventJson;
import io.portcullis.contracts.events.VerdictIssued;
import io.portcullis.quarantine.service.PermanentFailure;
import io.portcullis.quarantine.service.QuarantineService;
import io.smallrye.reactive.messaging.annotations.Blocking;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import org.eclipse.microprofile.reactive.messaging.Incoming;
import org.eclipse.microprofile.reactive.messaging.Message;
import org.jboss.logging.Logger;

/**
 * Consumes {@code portcullis.mail.verdict.v1} (group {@code quarantine}) and quarantines QUARANTINE verdicts.
 * Acks only after the body is in S3, the row in PostgreSQL and the QUARANTINED event acknowledged by Kafka;
 * transient failures are retried in place; poison records are nacked to the dead-letter topic.
 */
@ApplicationScoped
public class VerdictConsumer {
    public static final String CHANNEL = "verdicts";
    private static final Logger LOG = Logger.getLogger(VerdictConsumer.class);

    private final QuarantineService service;
    private final Retrier retrier;

    public VerdictConsumer(QuarantineService service, Retrier retrier) {
        this.service = service;
        this.retrier = retrier;
    }

    @Incoming(CHANNEL)
    @Blocking(ordered = true)
    public CompletionStage<Void> consume(Message<byte[]> message) {
        VerdictIssued verdict;
        try {
            verdict = parse(message.getPayload());
        } catch (PermanentFailure e) {
            LOG.warnf("poison verdict record sent to the dead-letter topic: %s", e.getMessage());
            return message.nack(e);
        }
        try {
            retrier.untilDone("quarantine", verdict.messageId(),
                    () -> service.handle(verdict.messageId(), verdict));
            return message.ack();
        } catch (PermanentFailure e) {
            LOG.warnf("verdict for message %s cannot be quarantined, sent to the dead-letter topic: %s",
                    verdict.messageId(), e.getMessage());
            return message.nack(e);
        } catch (Retrier.Aborted e) {
            LOG.warnf("%s", e.getMessage());
            return new CompletableFuture<>(); // neither ack nor nack: the offset stays uncommitted
        }
    }

    static VerdictIssued parse(byte[] payload) {
        if (payload == null || payload.length == 0) {
            throw new PermanentFailure("empty verdict record");
        }
        try {
            VerdictIssued verdict = EventJson.read(payload, VerdictIssued.class);
            if (verdict == null) {
                throw new PermanentFailure("verdict record is JSON null");
            }
            return verdict;
        } catch (IllegalArgumentException e) {
            throw new PermanentFailure("unparseable verdict record", e);
        }
    }
}
