package io.portcullis.policy.messaging;

import io.portcullis.contracts.events.EventJson;
import io.portcullis.contracts.events.SpamFeedback;
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
 * Consumes {@code portcullis.spam.feedback.v1} (group {@code spam-learner}) and learns each judgement once
 * ({@link SpamLearner}). Acks only after the learned counts and their SpamModelUpdated outbox row committed; transient
 * failures are retried in place; invalid records and unlearnable messages (too large, body missing or corrupt) are
 * nacked to the dead-letter topic with the reason.
 */
@ApplicationScoped
public class SpamFeedbackConsumer {
    /** Channel name in application.properties. */
    public static final String CHANNEL = "spam-feedback";
    private static final Logger LOG = Logger.getLogger(SpamFeedbackConsumer.class);

    private final SpamLearner learner;
    private final LearnRetrier retrier;

    public SpamFeedbackConsumer(SpamLearner learner, LearnRetrier retrier) {
        this.learner = learner;
        this.retrier = retrier;
    }

    @Incoming(CHANNEL)
    @Blocking(ordered = true)
    public CompletionStage<Void> consume(Message<byte[]> message) {
        Judgement judgement;
        try {
            judgement = Judgement.of(parse(message.getPayload()));
        } catch (LearnFailure e) {
            LOG.warnf("invalid SpamFeedback record sent to the dead-letter topic: %s", e.getMessage());
            return message.nack(e);
        }
        return retrier.learnThenAck(message, learner, judgement, "feedback " + judgement.feedbackId() + " on message " + judgement.messageId());
    }

    static SpamFeedback parse(byte[] payload) {
        if (payload == null || payload.length == 0) {
            throw new LearnFailure("empty SpamFeedback record");
        }
        try {
            SpamFeedback feedback = EventJson.read(payload, SpamFeedback.class);
            if (feedback == null) {
                throw new LearnFailure("SpamFeedback record is JSON null");
            }
            return feedback;
        } catch (IllegalArgumentException e) {
            throw new LearnFailure("unparseable SpamFeedback record: " + e.getMessage(), e);
        }
    }
}
