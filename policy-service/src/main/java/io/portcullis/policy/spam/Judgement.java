package io.portcullis.policy.spam;

import io.portcullis.contracts.events.BodyRef;
import io.portcullis.contracts.events.QuarantineEvent;
import io.portcullis.contracts.events.SpamFeedback;
import java.util.regex.Pattern;

/**
 * One judgement to learn, from a {@link SpamFeedback} event or a quarantine release. Checked on construction: an
 * invalid one is a {@link LearnFailure} (dead letter), never learned half.
 *
 * @param feedbackId idempotency key of the judgement ({@code release:<messageId>} for a release)
 * @param messageId  the message judged (the unit learned once per tenant)
 * @param tenant     the message's tenant
 * @param label      ham or spam
 * @param source     where the judgement came from
 * @param actor      who made it
 * @param body       where the message bytes are
 */
public record Judgement(String feedbackId, String messageId, String tenant, SpamFeedback.Label label,
        SpamFeedback.Source source, String actor, BodyRef body) {

    /** Tenant ids: letters, digits, {@code . _ -}, at most 64. */
    public static final Pattern TENANT = Pattern.compile("^[A-Za-z0-9._-]{1,64}$");
    /** Longest message id, feedback id or actor kept. */
    static final int MAX_ID = 255;

    public Judgement {
        requireId("feedbackId", feedbackId);
        requireId("messageId", messageId);
        if (tenant == null || !TENANT.matcher(tenant).matches()) {
            throw new LearnFailure("judgement of message " + safe(messageId) + " has no valid tenant");
        }
        if (label == null || source == null) {
            throw new LearnFailure("judgement of message " + messageId + " has no label or source");
        }
        requireId("actor", actor);
        if (body == null || (body.inline() == null && (body.bucket() == null || body.key() == null))) {
            throw new LearnFailure("judgement of message " + messageId + " has no body reference");
        }
    }

    /** A {@link SpamFeedback} event as a judgement. */
    public static Judgement of(SpamFeedback f) {
        return new Judgement(f.feedbackId(), f.messageId(), f.tenant(), f.label(), f.source(), f.actor(), f.body());
    }

    /** A RELEASED quarantine event as a ham judgement ({@code release:<messageId>}). */
    public static Judgement released(QuarantineEvent e) {
        String actor = e.actor() == null || e.actor().isBlank() ? "system" : e.actor();
        return new Judgement("release:" + e.messageId(), e.messageId(), e.tenant(), SpamFeedback.Label.HAM,
                SpamFeedback.Source.RELEASE, actor, e.body());
    }

    private static void requireId(String what, String value) {
        if (value == null || value.isBlank() || value.length() > MAX_ID
                || value.chars().anyMatch(c -> c < 0x20 || c == 0x7f)) {
            throw new LearnFailure("judgement has no valid " + what);
        }
    }

    private static String safe(String id) {
        return id == null ? "(none)" : id.length() > MAX_ID ? id.substring(0, MAX_ID) : id;
    }
}
