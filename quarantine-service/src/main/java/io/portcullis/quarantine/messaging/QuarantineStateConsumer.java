package io.portcullis.quarantine.messaging;

import io.portcullis.contracts.events.EventJson;
import io.portcullis.contracts.events.QuarantineEvent;
import io.portcullis.quarantine.service.MessageIds;
import io.portcullis.quarantine.service.PermanentFailure;
import io.portcullis.quarantine.service.QuarantineStateService;
import io.smallrye.reactive.messaging.annotations.Blocking;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import org.eclipse.microprofile.reactive.messaging.Incoming;
import org.eclipse.microprofile.reactive.messaging.Message;
import org.jboss.logging.Logger;

/**
 * Consumes {@code portcullis.quarantine.events.v1} (group {@code quarantine-state}) and applies RELEASED and DELETED
 * to the index: the event is the source of truth for release and delete.
 */
@ApplicationScoped
public class QuarantineStateConsumer {
    public static final String CHANNEL = "quarantine-state";
    private static final Logger LOG = Logger.getLogger(QuarantineStateConsumer.class);

    private final QuarantineStateService state;
    private final Retrier retrier;

    public QuarantineStateConsumer(QuarantineStateService state, Retrier retrier) {
        this.state = state;
        this.retrier = retrier;
    }

    @Incoming(CHANNEL)
    @Blocking(ordered = true)
    public CompletionStage<Void> consume(Message<byte[]> message) {
        QuarantineEvent event;
        try {
            event = parse(message.getPayload());
        } catch (PermanentFailure e) {
            LOG.warnf("poison quarantine event sent to the dead-letter topic: %s", e.getMessage());
            return message.nack(e);
        }
        try {
            retrier.untilDone("apply " + event.type(), event.messageId(), () -> state.apply(event.messageId(), event));
            return message.ack();
        } catch (PermanentFailure e) {
            LOG.warnf("%s event for message %s cannot be applied, sent to the dead-letter topic: %s",
                    event.type(), event.messageId(), e.getMessage());
            return message.nack(e);
        } catch (Retrier.Aborted e) {
            LOG.warnf("%s", e.getMessage());
            return new CompletableFuture<>();
        }
    }

    static QuarantineEvent parse(byte[] payload) {
        if (payload == null || payload.length == 0) {
            throw new PermanentFailure("empty quarantine event");
        }
        QuarantineEvent event;
        try {
            event = EventJson.read(payload, QuarantineEvent.class);
        } catch (IllegalArgumentException e) {
            throw new PermanentFailure("unparseable quarantine event", e);
        }
        if (event == null || event.type() == null || !MessageIds.isValid(event.messageId())) {
            throw new PermanentFailure("quarantine event without type or with a malformed message id");
        }
        if (event.at() == null) {
            throw new PermanentFailure("quarantine event for " + event.messageId() + " has no time");
        }
        return event;
    }
}
