package io.portcullis.edge.smtp;

import java.time.Instant;

/**
 * A RCPT the server refused because of the recipient (not because of the client).
 *
 * @param sessionId  the connection's id (unique per server, 18 characters {@code [0-9A-Z]})
 * @param rcptNumber the RCPT command's number within the connection, from 1 (every RCPT counts, accepted or not)
 * @param clientIp   the client's address as the socket reports it
 * @param domain     the recipient's domain in lower case (never the full address)
 * @param verdict    {@link RecipientVerdict#RELAY_DENIED} or {@link RecipientVerdict#UNKNOWN_USER}
 * @param replyCode  the reply code sent, e.g. 550
 * @param at         when it was refused
 */
public record RefusedRecipient(String sessionId, int rcptNumber, String clientIp, String domain,
        RecipientVerdict verdict, int replyCode, Instant at) {
}
