package io.portcullis.edge.delivery;

import java.util.List;

/**
 * The outcome of one relay attempt, one entry per recipient in the order they were given.
 *
 * @param nextHop    where the attempt went
 * @param recipients per-recipient results
 * @param tls        whether the transaction ran under STARTTLS
 * @param reached    false when no SMTP session with the host came about (connection failed or timed out, the
 *                   greeting was not 2xx, or the TLS policy could not be met): another host of the destination may
 *                   be tried
 */
public record RelayResult(NextHop nextHop, List<RecipientResult> recipients, boolean tls, boolean reached) {
    public RelayResult {
        recipients = List.copyOf(recipients);
    }

    /** A result of a session that came about. */
    public RelayResult(NextHop nextHop, List<RecipientResult> recipients, boolean tls) {
        this(nextHop, recipients, tls, true);
    }

    public List<RecipientResult> with(RecipientResult.Outcome outcome) {
        return recipients.stream().filter(r -> r.outcome() == outcome).toList();
    }
}
