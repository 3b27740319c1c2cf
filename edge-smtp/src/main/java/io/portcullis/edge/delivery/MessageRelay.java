package io.portcullis.edge.delivery;

import java.util.List;

/** Relays one message, verbatim, to a next hop. Blocking: call it on a worker thread, never an event loop. */
public interface MessageRelay {

    /**
     * Runs one SMTP transaction. Never throws for remote or network trouble: every failure is a per-recipient
     * {@link RecipientResult} (connection and timeout errors are temporary).
     *
     * @param mailFrom   reverse path without brackets, empty for the null sender
     * @param recipients forward paths
     */
    RelayResult relay(NextHop hop, String mailFrom, List<String> recipients, OutgoingMessage message);
}
