package io.portcullis.contracts.events;

import java.time.Instant;
import java.util.List;

/**
 * What policy decided for some of a message's recipients. A verdict holds one per group of recipients that were
 * treated alike; when the groups differ, delivery, quarantine and reports act on each group separately (the message
 * is split).
 *
 * @param recipients     the envelope recipients of this group
 * @param action         DELIVER, QUARANTINE, DELETE or REJECT ({@code TAG} is not used here: a tag is a
 *                       modification of DELIVER)
 * @param ruleId         the rule that decided, {@code builtin-fail-safe}, or null for the default
 * @param modifications  changes to apply when delivering (subject tag, headers, removed attachments)
 * @param quarantineArea for QUARANTINE: the area the rule named, or null for the default area of the message's class
 * @param redirectTo     for DELIVER: deliver to these addresses instead of the recipients (empty: the recipients)
 * @param deferUntil     for DELIVER: not before this instant (the opening of the rule's delivery window), or null
 * @param bcc            send a copy (with the modifications) to these addresses too, whatever the action
 * @param notifications  notices to send, whatever the action
 * @param matchedRules   ids of every rule that matched for this group, in evaluation order
 */
public record RecipientDecision(List<String> recipients, Action action, String ruleId, Modifications modifications,
        String quarantineArea, List<String> redirectTo, Instant deferUntil, List<String> bcc,
        List<Notification> notifications, List<String> matchedRules) {
    public RecipientDecision {
        recipients = List.copyOf(recipients);
        modifications = modifications == null ? Modifications.NONE : modifications;
        redirectTo = redirectTo == null ? List.of() : List.copyOf(redirectTo);
        bcc = bcc == null ? List.of() : List.copyOf(bcc);
        notifications = notifications == null ? List.of() : List.copyOf(notifications);
        matchedRules = matchedRules == null ? List.of() : List.copyOf(matchedRules);
    }
}
