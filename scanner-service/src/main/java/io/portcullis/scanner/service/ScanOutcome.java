package io.portcullis.scanner.service;

import io.portcullis.contracts.events.AttachmentMeta;
import io.portcullis.contracts.scan.Finding;
import io.portcullis.scanner.policy.PolicyDecision;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;

/**
 * The result of scanning one message.
 *
 * @param messageId       the id the scan ran under
 * @param findings        decomposition findings, then every engine's findings (failures included)
 * @param decision        what policy decided
 * @param subject         the decoded Subject, or null
 * @param headerMessageId the Message-ID header, or null
 * @param engineVersions  engine name → version of the data it used for this message (e.g. {@code antivirus} → the
 *                        signature set version); engines that report no version are absent
 * @param messageSize     size of the scanned bytes
 * @param attachments     the attachments' names, true types and sizes
 */
public record ScanOutcome(String messageId, List<Finding> findings, PolicyDecision decision, String subject,
        String headerMessageId, Map<String, String> engineVersions, long messageSize,
        List<AttachmentMeta> attachments) {
    public ScanOutcome {
        findings = List.copyOf(findings);
        engineVersions = engineVersions == null ? Map.of() : Map.copyOf(engineVersions);
        attachments = attachments == null ? List.of() : List.copyOf(attachments);
    }

    /** An outcome without size and attachments. */
    public ScanOutcome(String messageId, List<Finding> findings, PolicyDecision decision, String subject,
            String headerMessageId, Map<String, String> engineVersions) {
        this(messageId, findings, decision, subject, headerMessageId, engineVersions, 0, List.of());
    }

    /** An outcome without engine versions. */
    public ScanOutcome(String messageId, List<Finding> findings, PolicyDecision decision, String subject,
            String headerMessageId) {
        this(messageId, findings, decision, subject, headerMessageId, Map.of());
    }

    /** Distinct finding symbols in the order found. */
    public List<String> symbols() {
        LinkedHashSet<String> symbols = new LinkedHashSet<>();
        findings.forEach(f -> symbols.add(f.symbol()));
        return List.copyOf(symbols);
    }
}
