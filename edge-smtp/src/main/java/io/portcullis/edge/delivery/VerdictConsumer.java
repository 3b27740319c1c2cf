package io.portcullis.edge.delivery;

import io.portcullis.contracts.events.EventJson;
import io.portcullis.contracts.events.Modifications;
import io.portcullis.contracts.events.VerdictIssued;
import io.portcullis.edge.config.EdgeConfig;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import org.eclipse.microprofile.reactive.messaging.Incoming;
import org.eclipse.microprofile.reactive.messaging.Message;
import org.jboss.logging.Logger;

/**
 * Reads {@code portcullis.mail.verdict.v1} (group {@code delivery}): DELIVER and TAG are relayed (TAG with the
 * verdict's modifications), DELETE and REJECT become DROPPED, QUARANTINE is quarantine-service's business.
 * The record is acknowledged only when the outcome is durable; a record that is not a valid verdict is nacked
 * (dead-letter topic). Never blocks: delivery runs on its own worker threads, and up to
 * {@code portcullis.delivery.max-in-flight} records are worked on at once (see {@link InFlightWindow}), so a
 * message waiting for a retry does not hold up the ones behind it.
 */
@ApplicationScoped
public class VerdictConsumer {

    /** Incoming channel bound to {@code portcullis.mail.verdict.v1}. */
    public static final String CHANNEL = "verdicts";

    private static final Logger LOG = Logger.getLogger(VerdictConsumer.class);

    private final DeliveryService delivery;
    private final InFlightWindow window;

    @Inject
    public VerdictConsumer(DeliveryService delivery, EdgeConfig config) {
        this(delivery, config.delivery().maxInFlight());
    }

    VerdictConsumer(DeliveryService delivery, int maxInFlight) {
        this.delivery = delivery;
        this.window = new InFlightWindow(maxInFlight);
    }

    @Incoming(CHANNEL)
    public CompletionStage<Void> consume(Message<byte[]> record) {
        VerdictIssued verdict;
        try {
            verdict = parse(record.getPayload());
        } catch (IllegalArgumentException e) {
            LOG.warnf("poison record on %s, sending it to the dead-letter topic: %s", CHANNEL, e.getMessage());
            return record.nack(e);
        }
        CompletionStage<?> outcome = switch (verdict.action()) {
            case DELIVER -> delivery.deliver(job(verdict, Modifications.NONE));
            case TAG -> delivery.deliver(job(verdict, verdict.modifications()));
            case DELETE, REJECT -> delivery.drop(verdict.messageId(), verdict.tenant(),
                    verdict.envelope().recipients(), "action " + verdict.action()
                            + (verdict.ruleId() == null ? "" : " by rule " + verdict.ruleId()));
            case QUARANTINE -> CompletableFuture.completedFuture(null);
        };
        return window.track(verdict.messageId(), record, outcome);
    }

    /** @throws IllegalArgumentException when the bytes are not a verdict delivery can act on */
    static VerdictIssued parse(byte[] payload) {
        if (payload == null) {
            throw new IllegalArgumentException("empty record");
        }
        VerdictIssued v = EventJson.read(payload, VerdictIssued.class);
        if (v.messageId() == null || v.messageId().isBlank()) {
            throw new IllegalArgumentException("verdict without messageId");
        }
        if (v.action() == null) {
            throw new IllegalArgumentException("verdict " + v.messageId() + " without action");
        }
        if (v.envelope() == null) {
            throw new IllegalArgumentException("verdict " + v.messageId() + " without envelope");
        }
        if (v.action().delivers() && v.body() == null) {
            throw new IllegalArgumentException("verdict " + v.messageId() + " without body reference");
        }
        return v;
    }

    private static DeliveryJob job(VerdictIssued v, Modifications modifications) {
        return new DeliveryJob("verdict", v.messageId(), v.tenant(), v.receivedAt(), v.envelope().mailFrom(),
                v.envelope().recipients(), v.body(), modifications);
    }
}
