package io.portcullis.edge.smtp;

import io.portcullis.edge.smtp.protocol.SmtpReply;
import java.util.Optional;

/**
 * Refuses clients by their address, e.g. from a reputation block list. Called on the event loop: implementations
 * must answer from memory and must not throw (a throwing gate is treated as open).
 */
public interface ClientGate {

    /**
     * Checked once when a client connects, instead of the greeting.
     *
     * @param clientIp the client's address as the socket reports it
     * @return a reply (a 421) to send before closing the connection, or empty to greet the client
     */
    Optional<SmtpReply> atConnect(String clientIp);

    /**
     * Checked at every RCPT of a transaction, before the address is looked at. A refusal here is not a recipient
     * problem and is not reported to the {@link RecipientRefusalListener}.
     *
     * @param clientIp the client's address as the socket reports it
     * @return the reply (a 550) to give instead of looking at the recipient, or empty
     */
    Optional<SmtpReply> atRecipient(String clientIp);

    /** A gate that lets every client in. */
    static ClientGate open() {
        return new ClientGate() {
            @Override
            public Optional<SmtpReply> atConnect(String clientIp) {
                return Optional.empty();
            }

            @Override
            public Optional<SmtpReply> atRecipient(String clientIp) {
                return Optional.empty();
            }
        };
    }
}
