package io.portcullis.edge.delivery;

import io.portcullis.contracts.events.EventJson;
import io.portcullis.contracts.events.Modifications;
import io.portcullis.contracts.events.QuarantineEvent;
import io.portcullis.edge.config.EdgeConfig;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import org.eclipse.microprofile.reactive.messaging.Incoming;
import org.eclipse.microprofile.reactive.messaging.Message;
import org.jboss.logging.Logger;

/**
 * Reads {@code portcullis.quarantine.events.v1} (group {@code delivery-release}): a RELEASED message is relayed,
 * unmodified but for the queue-id header, from its quarantined copy to its original envelope recipients.
 * Other event types are acknowledged and ignored. Acknowledged only when the outcome is durable.
 */
@ApplicationScoped
public class ReleaseConsumer {

    /** Incoming channel bound to {@code portcullis.quarantine.events.v1}. */
    public static final String CHANNEL = "quarantine-releases";

    private static final Logger LOG = Logger.getLogger(ReleaseConsumer.class);

    private final DeliveryService delivery;
    private final InFlightWindow window;

    @Inject
    public ReleaseConsumer(DeliveryService delivery, EdgeConfig config) {
        this(delivery, config.delivery().maxInFlight());
    }

    ReleaseConsumer(DeliveryService delivery, int maxInFlight) {
        this.delivery = delivery;
        this.window = new InFlightWindow(maxInFlight);
    }

    @Incoming(CHANNEL)
    public CompletionStage<Void> consume(Message<byte[]> record) {
        QuarantineEvent event;
        try {
            event = parse(record.getPayload());
        } catch (IllegalArgumentException e) {
            LOG.warnf("poison record on %s, sending it to the dead-letter topic: %s", CHANNEL, e.getMessage());
            return record.nack(e);
        }
        if (event.type() != QuarantineEvent.Type.RELEASED) {
            return record.ack();
        }
        LOG.infof("message %s: released from quarantine", event.messageId());
        CompletableFuture<DeliveryReport> outcome = delivery.deliver(new DeliveryJob(DeliveryJob.RELEASE_SOURCE,
                event.messageId(), event.tenant(), null, event.envelope().mailFrom(), event.envelope().recipients(),
                event.body(), Modifications.NONE));
        return window.track(event.messageId(), record, outcome);
    }

    /** @throws IllegalArgumentException when the bytes are not an event delivery can act on */
    static QuarantineEvent parse(byte[] payload) {
        if (payload == null) {
            throw new IllegalArgumentException("empty record");
        }
        QuarantineEvent e = EventJson.read(payload, QuarantineEvent.class);
        if (e.messageId() == null || e.messageId().isBlank() || e.type() == null) {
            throw new IllegalArgumentException("quarantine event without messageId or type");
        }
        if (e.type() == QuarantineEvent.Type.RELEASED && (e.envelope() == null || e.body() == null)) {
            throw new IllegalArgumentException("released message " + e.messageId() + " without envelope or body");
        }
        return e;
    }
}
