package io.portcullis.contracts.events;

import java.time.Instant;

/**
 * A human judgement on one message for the spam filter: a release from quarantine is ham, a user's "this is spam" is
 * spam. Keyed by message id on {@link Topics#SPAM_FEEDBACK}. The spam learner learns each (tenant, message) once; a
 * later judgement with the other label replaces the earlier one (unlearn, then learn), the same label again is a no-op.
 *
 * @param feedbackId unique id of this judgement (idempotency key)
 * @param messageId  the message judged (queue id, or a generated id for an uploaded report)
 * @param tenant     the tenant whose model learns it ({@code default} unless tenants are configured)
 * @param at         when the judgement was made
 * @param label      ham or spam
 * @param source     where the judgement came from
 * @param actor      who made it (user or admin name, {@code system})
 * @param body       where the message bytes are (the learner reads and tokenizes them)
 */
public record SpamFeedback(String feedbackId, String messageId, String tenant, Instant at, Label label, Source source,
        String actor, BodyRef body) {

    public enum Label {
        HAM, SPAM
    }

    public enum Source {
        /** released from quarantine (ham) */
        RELEASE,
        /** an end user's "this is spam" / "not spam" */
        USER_REPORT,
        /** an administrator's classification */
        ADMIN
    }
}
