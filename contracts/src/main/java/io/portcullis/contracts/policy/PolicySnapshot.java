package io.portcullis.contracts.policy;

import java.util.List;

/**
 * Everything a scanner or an edge node needs from policy-service, fetched whole and cached.
 *
 * @param tenant            tenant id
 * @param version           increases with every change
 * @param acceptedDomains   domains the edge accepts mail for (lower case)
 * @param spamThreshold     spam score at or above which a message is spam
 * @param blockedExtensions attachment extensions (lower case, no dot) the attachment engine reports
 * @param rules             rules by ascending priority
 * @param senderLists       safe and blocked senders of the tenant, its domains and its users
 * @param notificationTemplates the admin-edited texts of policy notices (delivery falls back to its built-in
 *                          {@code default} for an id not here)
 */
public record PolicySnapshot(String tenant, long version, List<String> acceptedDomains, double spamThreshold,
        List<String> blockedExtensions, List<PolicyRule> rules, List<SenderListEntry> senderLists,
        List<NotificationTemplate> notificationTemplates) {
    public PolicySnapshot {
        acceptedDomains = List.copyOf(acceptedDomains);
        blockedExtensions = List.copyOf(blockedExtensions);
        rules = List.copyOf(rules);
        senderLists = senderLists == null ? List.of() : List.copyOf(senderLists);
        notificationTemplates = notificationTemplates == null ? List.of() : List.copyOf(notificationTemplates);
    }

    /** A snapshot without notification templates. */
    public PolicySnapshot(String tenant, long version, List<String> acceptedDomains, double spamThreshold,
            List<String> blockedExtensions, List<PolicyRule> rules, List<SenderListEntry> senderLists) {
        this(tenant, version, acceptedDomains, spamThreshold, blockedExtensions, rules, senderLists, List.of());
    }

    /** A snapshot without sender lists. */
    public PolicySnapshot(String tenant, long version, List<String> acceptedDomains, double spamThreshold,
            List<String> blockedExtensions, List<PolicyRule> rules) {
        this(tenant, version, acceptedDomains, spamThreshold, blockedExtensions, rules, List.of(), List.of());
    }
}
