package io.portcullis.policy.messaging;

import io.portcullis.contracts.events.EventJson;
import io.portcullis.contracts.events.QuarantineEvent;
import io.portcullis.policy.spam.Judgement;
import io.portcullis.policy.spam.LearnFailure;
import io.portcullis.policy.spam.SpamLearner;
import io.smallrye.reactive.messaging.annotations.Blocking;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.concurrent.CompletionStage;
import org.eclipse.microprofile.reactive.messaging.Incoming;
import org.eclipse.microprofile.reactive.messaging.Message;
import org.jboss.logging.Logger;

/**
 * Consumes {@code portcullis.quarantine.events.v1} (group {@code spam-learner}): a RELEASED message is learned as ham
 * (feedback id {@code release:<messageId>}, actor from the event), once; QUARANTINED and DELETED are acknowledged
 * without effect. Same acknowledgement, retry and dead-letter rules as {@link SpamFeedbackConsumer}.
 */
@ApplicationScoped
public class QuarantineReleasedConsumer {
    /** Channel name in application.properties. */
    public static final String CHANNEL = "spam-releases";
    private static final Logger LOG = Logger.getLogger(QuarantineReleasedConsumer.class);

    private final SpamLearner learner;
    private final LearnRetrier retrier;

    public QuarantineReleasedConsumer(SpamLearner learner, LearnRetrier retrier) {
        this.learner = learner;
        this.retrier = retrier;
    }

    @Incoming(CHANNEL)
    @Blocking(ordered = true)
    public CompletionStage<Void> consume(Message<byte[]> message) {
        Judgement judgement;
        try {
            QuarantineEvent event = parse(message.getPayload());
            if (event.type() != QuarantineEvent.Type.RELEASED) {
                return message.ack();
            }
            judgement = Judgement.released(event);
        } catch (LearnFailure e) {
            LOG.warnf("invalid QuarantineEvent record sent to the dead-letter topic: %s", e.getMessage());
            return message.nack(e);
        }
        return retrier.learnThenAck(message, learner, judgement,
                "release of message " + judgement.messageId() + " (as ham)");
    }

    static QuarantineEvent parse(byte[] payload) {
        if (payload == null || payload.length == 0) {
            throw new LearnFailure("empty QuarantineEvent record");
        }
        try {
            QuarantineEvent event = EventJson.read(payload, QuarantineEvent.class);
            if (event == null || event.type() == null) {
                throw new LearnFailure("QuarantineEvent record without type");
            }
            return event;
        } catch (IllegalArgumentException e) {
            throw new LearnFailure("unparseable QuarantineEvent record: " + e.getMessage(), e);
        }
    }
}
