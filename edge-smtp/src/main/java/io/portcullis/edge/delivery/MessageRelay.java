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

    /**
     * Runs one SMTP transaction under a TLS policy. An implementation that talks to a real next hop must honour it
     * ({@link SmtpRelayClient} does); the default, for relays that do not speak TLS (test doubles), ignores it.
     */
    default RelayResult relay(NextHop hop, String mailFrom, List<String> recipients, OutgoingMessage message,
            TlsPolicy tls) {
        return relay(hop, mailFrom, recipients, message);
    }
}
