package io.portcullis.contracts.policy;

/**
 * One safe-sender or blocked-sender entry.
 *
 * @param owner  whose list it is: {@code *} (the whole tenant), a domain ({@code example.com}, every recipient at it)
 *               or a recipient address ({@code user@example.com}); lower case
 * @param sender who is listed: an address ({@code alice@partner.com}), a domain ({@code partner.com}, addresses at
 *               exactly that domain) or a domain wildcard ({@code *.partner.com}: the domain and all its subdomains);
 *               lower case
 * @param kind   safe or blocked
 */
public record SenderListEntry(String owner, String sender, Kind kind) {

    public enum Kind {
        SAFE, BLOCKED
    }
}
