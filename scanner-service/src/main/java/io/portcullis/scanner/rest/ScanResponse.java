package io.portcullis.scanner.rest;

import io.portcullis.contracts.events.AttachmentMeta;
import io.portcullis.contracts.events.RecipientDecision;
import io.portcullis.contracts.scan.Finding;
import io.portcullis.scanner.service.ScanOutcome;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * JSON answer of {@code POST /api/v1/scan}; {@code engineVersions} maps engine names to the version of the data each
 * used (e.g. {@code antivirus} → the signature set version); {@code decisions} is the policy's decision per group of
 * recipients (more than one when recipients' policies differ), {@code matchedRules} every rule that matched.
 */
public record ScanResponse(String action, boolean virus, boolean spam, double score, List<String> symbols,
        List<Finding> findings, String ruleId, long policyVersion, String subject, Map<String, String> engineVersions,
        List<RecipientDecision> decisions, List<String> matchedRules, List<AttachmentMeta> attachments) {

    static ScanResponse of(ScanOutcome o) {
        var d = o.decision();
        return new ScanResponse(d.action().name().toLowerCase(Locale.ROOT), d.virus(), d.spam(), d.spamScore(),
                o.symbols(), o.findings(), d.ruleId(), d.policyVersion(), o.subject(), o.engineVersions(), d.groups(),
                d.matchedRules(), o.attachments());
    }
}
