package io.portcullis.policy.simulation;

import io.portcullis.contracts.events.AttachmentMeta;
import io.portcullis.contracts.scan.Category;
import io.portcullis.contracts.scan.Finding;
import io.portcullis.policy.engine.AttachmentInfo;
import io.portcullis.policy.engine.PolicyInput;
import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * One verdict as report-service recorded it ({@code GET /api/v1/tracking/recorded}); unknown fields are ignored.
 *
 * @param size 0 when the scanner did not record it (then attachments were not recorded either)
 */
public record RecordedMessage(String messageId, String tenant, Instant receivedAt, Instant scannedAt, String sender,
        List<String> recipients, String subject, long size, List<Recorded> findings, List<AttachmentMeta> attachments,
        List<String> matchedRules, String action, String ruleId, Long policyVersion) {

    public RecordedMessage {
        sender = sender == null ? "" : sender;
        recipients = recipients == null ? List.of() : List.copyOf(recipients);
        findings = findings == null ? List.of() : List.copyOf(findings);
        attachments = attachments == null ? List.of() : List.copyOf(attachments);
        matchedRules = matchedRules == null ? List.of() : List.copyOf(matchedRules);
    }

    /**
     * A recorded finding (no detail text); score null when it was not a finite number. The category is read as text
     * so that a category this version doesn't know (a newer engine's) counts as INFO: its symbol still matches
     * {@code symbol} conditions, but it puts the message in no class.
     */
    public record Recorded(String symbol, String category, Double score) {
        Category known() {
            if (category == null) {
                return null;
            }
            try {
                return Category.valueOf(category);
            } catch (IllegalArgumentException e) {
                return Category.INFO;
            }
        }
    }

    /**
     * Whether size and attachments were recorded: scanners before issue 5 left size 0 and no attachments, and a
     * real message is never 0 bytes.
     */
    public boolean detailsRecorded() {
        return size > 0 || !attachments.isEmpty();
    }

    /** What rules see of this message: no headers (not recorded), evaluated at the time it was received. */
    public PolicyInput input() {
        List<Finding> f = findings.stream().filter(x -> x.symbol() != null && x.known() != null)
                .map(x -> new Finding(x.symbol(), x.known(), x.score() == null ? 0 : x.score(), null)).toList();
        List<AttachmentInfo> a = attachments.stream()
                .map(x -> new AttachmentInfo(x.path(), x.filename(), x.trueType(), x.size())).toList();
        return new PolicyInput(sender, recipients, size, f, Map.of(), a, receivedAt);
    }
}
