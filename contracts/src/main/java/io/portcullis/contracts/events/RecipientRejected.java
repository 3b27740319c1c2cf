package io.portcullis.contracts.events;

import java.time.Instant;

/**
 * The edge refused a recipient at RCPT time because it does not exist or is not ours: the IP Profiler counts these per
 * client IP (directory harvest). Keyed by client IP on {@link Topics#SMTP_EVENTS}.
 *
 * @param eventId         unique id (edge node, session and RCPT number): counted once even if published twice
 * @param edgeNode        the edge node
 * @param at              when the RCPT was refused
 * @param clientIp        the client's IP address
 * @param recipientDomain the refused recipient's domain (lower case), never the full address
 * @param reason          why it was refused
 * @param reply           the reply code sent (e.g. 550)
 */
public record RecipientRejected(String eventId, String edgeNode, Instant at, String clientIp, String recipientDomain,
        Reason reason, int reply) {

    public enum Reason {
        /** the domain is ours but the user does not exist */
        UNKNOWN_USER,
        /** the domain is not one we accept mail for */
        RELAY_DENIED
    }
}
