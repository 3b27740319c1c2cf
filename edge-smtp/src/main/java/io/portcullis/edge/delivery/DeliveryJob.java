package io.portcullis.edge.delivery;

import io.portcullis.contracts.events.BodyRef;
import io.portcullis.contracts.events.Modifications;
import java.time.Instant;
import java.util.List;
import java.util.Objects;

/**
 * One message to relay.
 *
 * @param source        what asked for it ("verdict" or "release"), part of the in-flight key
 * @param messageId     queue id
 * @param tenant        tenant id
 * @param receivedAt    when the edge accepted it (Arrival-Date of a DSN), or null
 * @param mailFrom      envelope sender, empty for the null sender
 * @param recipients    envelope recipients
 * @param body          where the bytes are
 * @param modifications changes to apply on the way out
 */
public record DeliveryJob(String source, String messageId, String tenant, Instant receivedAt, String mailFrom,
        List<String> recipients, BodyRef body, Modifications modifications) {

    public DeliveryJob {
        Objects.requireNonNull(source, "source");
        Objects.requireNonNull(messageId, "messageId");
        Objects.requireNonNull(body, "body");
        mailFrom = mailFrom == null ? "" : mailFrom;
        recipients = List.copyOf(recipients);
        modifications = modifications == null ? Modifications.NONE : modifications;
    }

    /** Identifies a job among those in flight: the same record consumed twice joins the first run. */
    String key() {
        return source + ":" + messageId;
    }
}
