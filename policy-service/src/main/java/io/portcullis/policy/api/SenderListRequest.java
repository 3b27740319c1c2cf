package io.portcullis.policy.api;

/**
 * A sender-list entry as a client sends it. Loose types on purpose: the validator checks each field and names the
 * one at fault.
 *
 * @param owner  {@code *} (the whole tenant), a recipient domain or a recipient address
 * @param sender an address, a domain, or {@code *.domain} (the domain and all its subdomains)
 * @param kind   {@code SAFE} or {@code BLOCKED}
 * @param note   optional free text for admins (at most 500 characters, no control characters)
 */
public record SenderListRequest(String owner, String sender, String kind, String note) {
}
