package io.portcullis.contracts.policy;

import java.util.List;

/**
 * Whom a rule applies to. Every list holds address patterns, compared case-insensitively:
 * <ul>
 * <li>{@code *}: anyone;</li>
 * <li>{@code user@example.com}: one address (and, with a directory, its aliases);</li>
 * <li>{@code *@example.com} or {@code example.com}: everyone in the domain; {@code *.example.com}: its subdomains;</li>
 * <li>{@code group:NAME}: members of a directory group, by common name or DN, nested groups included.</li>
 * </ul>
 * An empty {@code senders} or {@code recipients} list means anyone. A sender or recipient that matches an
 * {@code except...} list is out of scope even when it matches the list before it.
 *
 * @param senders          envelope senders the rule applies to
 * @param recipients       recipients the rule applies to (rules are evaluated per recipient)
 * @param exceptSenders    senders excluded
 * @param exceptRecipients recipients excluded
 */
public record RuleScope(List<String> senders, List<String> recipients, List<String> exceptSenders,
        List<String> exceptRecipients) {

    /** Everyone. */
    public static final RuleScope ANYONE = new RuleScope(List.of(), List.of(), List.of(), List.of());

    public RuleScope {
        senders = senders == null ? List.of() : List.copyOf(senders);
        recipients = recipients == null ? List.of() : List.copyOf(recipients);
        exceptSenders = exceptSenders == null ? List.of() : List.copyOf(exceptSenders);
        exceptRecipients = exceptRecipients == null ? List.of() : List.copyOf(exceptRecipients);
    }
}
