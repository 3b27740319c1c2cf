package io.portcullis.policy.ipprofiler;

import io.portcullis.contracts.events.IpBlock.Kind;
import java.util.List;

/**
 * One countable event after re-keying by client IP (the value of the internal repartition topic): a verdict (one
 * message may count as several kinds) or a refused recipient.
 *
 * @param eventId the de-duplication key: {@code verdict:<messageId>} or {@code rcpt:<eventId>}
 * @param kinds   what it counts as, never empty
 */
public record ProfileEvent(String eventId, List<Kind> kinds) {
    public ProfileEvent {
        kinds = List.copyOf(kinds);
    }
}
