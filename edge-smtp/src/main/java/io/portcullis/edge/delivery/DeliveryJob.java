package io.portcullis.edge.delivery;

import io.portcullis.contracts.events.BodyRef;
import io.portcullis.contracts.events.DeliveryKind;
import io.portcullis.contracts.events.Modifications;
import java.time.Instant;
import java.util.List;
import java.util.Objects;

/**
 * One message to relay.
 *
 * @param source        what asked for it ("verdict", "release", "retry", or {@value #BCC_SOURCE} for a policy's
 *                      copy), part of the in-flight key
 * @param messageId     queue id
 * @param tenant        tenant id
 * @param receivedAt    when the edge accepted it (Arrival-Date of a DSN), or null
 * @param mailFrom      envelope sender, empty for the null sender
 * @param recipients    envelope recipients
 * @param body          where the bytes are
 * @param modifications changes to apply on the way out
 * @param firstAttemptAt when delivery first tried this message (from a queued retry), or null for a first delivery
 *                       (then the run's start); the queue lifetime is measured from it
 * @param previousAttempts attempts already made (0 for a first delivery); attempt numbers continue from it
 * @param kind          which delivery this is, written into its events and queued retries (a retry keeps the kind
 *                      of the delivery it continues)
 */
public record DeliveryJob(String source, String messageId, String tenant, Instant receivedAt, String mailFrom,
        List<String> recipients, BodyRef body, Modifications modifications, Instant firstAttemptAt,
        int previousAttempts, DeliveryKind kind) {

    /** Source of a policy's BCC copy; its delivery events' replies start with {@link #BCC_REPLY_PREFIX}. */
    public static final String BCC_SOURCE = "bcc";
    /** Source of a quarantine release. */
    public static final String RELEASE_SOURCE = "release";
    /**
     * Starts the replies of a BCC copy's delivery events; kept for readers of the first releases, which had no
     * {@link io.portcullis.contracts.events.DeliveryEvent#kind()}.
     */
    public static final String BCC_REPLY_PREFIX = "bcc copy: ";

    /** A first delivery (from a verdict or a release); the kind follows from the source. */
    public DeliveryJob(String source, String messageId, String tenant, Instant receivedAt, String mailFrom,
            List<String> recipients, BodyRef body, Modifications modifications) {
        this(source, messageId, tenant, receivedAt, mailFrom, recipients, body, modifications, null, 0);
    }

    /** A delivery whose kind follows from the source ({@value #BCC_SOURCE}, {@value #RELEASE_SOURCE}, or MESSAGE). */
    public DeliveryJob(String source, String messageId, String tenant, Instant receivedAt, String mailFrom,
            List<String> recipients, BodyRef body, Modifications modifications, Instant firstAttemptAt,
            int previousAttempts) {
        this(source, messageId, tenant, receivedAt, mailFrom, recipients, body, modifications, firstAttemptAt,
                previousAttempts, kindOf(source));
    }

    private static DeliveryKind kindOf(String source) {
        if (BCC_SOURCE.equals(source)) {
            return DeliveryKind.BCC_COPY;
        }
        return RELEASE_SOURCE.equals(source) ? DeliveryKind.RELEASE : DeliveryKind.MESSAGE;
    }

    public DeliveryJob {
        Objects.requireNonNull(source, "source");
        Objects.requireNonNull(messageId, "messageId");
        Objects.requireNonNull(body, "body");
        mailFrom = mailFrom == null ? "" : mailFrom;
        recipients = List.copyOf(recipients);
        modifications = modifications == null ? Modifications.NONE : modifications;
        kind = kind == null ? kindOf(source) : kind;
        if (previousAttempts < 0) {
            throw new IllegalArgumentException("previousAttempts must not be negative");
        }
    }

    /** Whether this job comes from the durable retry queue rather than a first delivery. */
    boolean queued() {
        return previousAttempts > 0;
    }

    /** Whether this is a policy's BCC copy (also when it comes back from the retry queue). */
    boolean bcc() {
        return kind == DeliveryKind.BCC_COPY;
    }

    /** The reply as written into this job's delivery events: a BCC copy's starts with {@link #BCC_REPLY_PREFIX}. */
    String markReply(String reply) {
        return bcc() ? BCC_REPLY_PREFIX + reply : reply;
    }

    /**
     * Identifies a job among those in flight: the same record consumed twice joins the first run. The recipients
     * and modifications are part of it, because one verdict may deliver several groups of the same message.
     */
    String key() {
        return source + ":" + messageId + ":" + String.join(",", recipients) + ":" + modifications.hashCode();
    }
}
