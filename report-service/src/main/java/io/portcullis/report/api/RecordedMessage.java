package io.portcullis.report.api;

import io.portcullis.contracts.events.AttachmentMeta;
import java.time.Instant;
import java.util.List;

/**
 * One recorded verdict with what rule simulation needs. Headers are not recorded (verdicts don't carry them).
 *
 * @param messageId     queue id
 * @param tenant        tenant id
 * @param receivedAt    when the edge accepted it
 * @param scannedAt     when the verdict was issued
 * @param sender        envelope sender ("" for the null sender)
 * @param recipients    envelope recipients (at most 1,000 are recorded)
 * @param subject       decoded Subject (cleaned, cut to 2,000 characters), or null
 * @param size          message size in bytes; 0 when the verdict did not record it (older scanners)
 * @param findings      every finding of the verdict, without detail text
 * @param attachments   attachment names, true types and sizes; empty when none or not recorded (size 0)
 * @param matchedRules  ids of the rules that matched, in evaluation order (empty from older scanners)
 * @param action        what policy decided
 * @param ruleId        the rule that decided, or null
 * @param policyVersion the policy version used
 */
public record RecordedMessage(String messageId, String tenant, Instant receivedAt, Instant scannedAt, String sender,
        List<String> recipients, String subject, long size, List<RecordedFinding> findings,
        List<AttachmentMeta> attachments, List<String> matchedRules, String action, String ruleId,
        Long policyVersion) {
}
