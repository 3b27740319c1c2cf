package io.portcullis.edge.delivery;

import java.util.List;

/**
 * The outcome of one relay attempt, one entry per recipient in the order they were given.
 *
 * @param nextHop    where the attempt went
 * @param recipients per-recipient results
 * @param tls        whether the transaction ran under STARTTLS
 */
public record RelayResult(NextHop nextHop, List<RecipientResult> recipients, boolean tls) {
    public RelayResult {
        recipients = List.copyOf(recipients);
    }

    public List<RecipientResult> with(RecipientResult.Outcome outcome) {
        return recipients.stream().filter(r -> r.outcome() == outcome).toList();
    }
}
