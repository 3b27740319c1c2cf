package io.portcullis.report.api;

import java.time.Instant;
import java.util.List;

/**
 * What policy decided for one recipient of a message (from the verdict's per-recipient decisions; a verdict without
 * them gives every recipient its one action and rule).
 *
 * @param recipient      the envelope recipient
 * @param group          1-based number of the decision group it was in (recipients treated alike share one)
 * @param action         DELIVER, QUARANTINE, DELETE or REJECT
 * @param ruleId         the rule that decided, or null for the default
 * @param quarantineArea for QUARANTINE: the area the rule named, or null for the default area
 * @param redirectTo     for DELIVER: the addresses delivered to instead (empty: the recipient)
 * @param deferUntil     for DELIVER: not before this instant, or null
 * @param bcc            addresses a copy was sent to
 * @param matchedRules   every rule that matched for the group, in evaluation order
 */
public record RecipientDecisionView(String recipient, int group, String action, String ruleId, String quarantineArea,
        List<String> redirectTo, Instant deferUntil, List<String> bcc, List<String> matchedRules) {
}
