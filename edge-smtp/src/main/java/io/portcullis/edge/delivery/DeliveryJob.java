package io.portcullis.edge.delivery;

import io.portcullis.contracts.events.BodyRef;
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
 */
public record DeliveryJob(String source, String messageId, String tenant, Instant receivedAt, String mailFrom,
        List<String> recipients, BodyRef body, Modifications modifications, Instant firstAttemptAt,
        int previousAttempts) {

    /** Source of a policy's BCC copy; its delivery events' replies start with {@link #BCC_REPLY_PREFIX}. */
    public static final String BCC_SOURCE = "bcc";
    /** Marks the delivery events of a BCC copy, so reports can tell it from the delivery to the recipients. */
    public static final String BCC_REPLY_PREFIX = "bcc copy: ";

    /** A first delivery (from a verdict or a release). */
    public DeliveryJob(String source, String messageId, String tenant, Instant receivedAt, String mailFrom,
            List<String> recipients, BodyRef body, Modifications modifications) {
        this(source, messageId, tenant, receivedAt, mailFrom, recipients, body, modifications, null, 0);
    }

    public DeliveryJob {
        Objects.requireNonNull(source, "source");
        Objects.requireNonNull(messageId, "messageId");
        Objects.requireNonNull(body, "body");
        mailFrom = mailFrom == null ? "" : mailFrom;
        recipients = List.copyOf(recipients);
        modifications = modifications == null ? Modifications.NONE : modifications;
        if (previousAttempts < 0) {
            throw new IllegalArgumentException("previousAttempts must not be negative");
        }
    }

    /** Whether this job comes from the durable retry queue rather than a first delivery. */
    boolean queued() {
        return previousAttempts > 0;
    }

    /** Whether this is a policy's BCC copy. */
    boolean bcc() {
        return BCC_SOURCE.equals(source);
    }

    /**
     * Identifies a job among those in flight: the same record consumed twice joins the first run. The recipients
     * and modifications are part of it, because one verdict may deliver several groups of the same message.
     */
    String key() {
        return source + ":" + messageId + ":" + String.join(",", recipients) + ":" + modifications.hashCode();
    }
}
