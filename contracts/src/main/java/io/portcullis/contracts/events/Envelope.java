package io.portcullis.contracts.events;

import java.util.List;

/**
 * The SMTP envelope as the edge accepted it.
 *
 * @param mailFrom   reverse path without angle brackets; empty string for the null sender {@code <>}
 * @param recipients forward paths, in RCPT order
 * @param helo       the name the client gave in EHLO/HELO
 * @param clientIp   the client's IP address
 * @param tls        whether the transaction ran under STARTTLS
 */
public record Envelope(String mailFrom, List<String> recipients, String helo, String clientIp, boolean tls) {
    public Envelope {
        recipients = List.copyOf(recipients);
    }
}
