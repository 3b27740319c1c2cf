package io.portcullis.contracts.events;

import io.portcullis.contracts.scan.Finding;
import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * The scanner's verdict on one message: what the engines found and what policy decided.
 *
 * @param messageId     queue id
 * @param tenant        tenant id
 * @param receivedAt    when the edge accepted it
 * @param scannedAt     when the verdict was issued
 * @param envelope      the SMTP envelope
 * @param body          where the bytes are (same reference as in {@link MailReceived})
 * @param headerMessageId the Message-ID header, or null
 * @param subject       the decoded Subject, or null
 * @param action        what policy decided
 * @param ruleId        the id of the rule that decided, or null for the default
 * @param virus         whether any engine reported a virus
 * @param spam          whether the spam score reached the policy's threshold
 * @param spamScore     sum of the spam findings' scores
 * @param findings      every finding of every engine, failures included
 * @param modifications changes to apply when delivering (for TAG)
 * @param policyVersion the policy snapshot version used
 * @param engineVersions engine name → version of its data used for this message (e.g. {@code antivirus} → the
 *                      signature bundle version); engines without versioned data are absent
 * @param messageSize   size of the message in bytes (0 when not recorded)
 * @param attachments   the attachments' names, true types and sizes (no content)
 * @param matchedRules  ids of every policy rule that matched, in evaluation order
 * @param decisions     what policy decided per group of recipients; when present it is authoritative, and
 *                      {@code action}, {@code ruleId} and {@code modifications} repeat the first group's (for readers
 *                      of the first releases). Empty in verdicts of the first releases: then one group, all
 *                      recipients, with {@code action}/{@code ruleId}/{@code modifications} (see {@link #groups()})
 */
public record VerdictIssued(String messageId, String tenant, Instant receivedAt, Instant scannedAt, Envelope envelope,
        BodyRef body, String headerMessageId, String subject, Action action, String ruleId, boolean virus,
        boolean spam, double spamScore, List<Finding> findings, Modifications modifications, long policyVersion,
        Map<String, String> engineVersions, long messageSize, List<AttachmentMeta> attachments,
        List<String> matchedRules, List<RecipientDecision> decisions) {
    /**
     * Rule id of the verdict a scanner issues after rescanning a message released from quarantine (ADR 0010); its one
     * group holds the released recipients, and delivery marks its delivery as a release.
     */
    public static final String RELEASE_RESCAN_RULE = "release-rescan";

    public VerdictIssued {
        findings = findings == null ? List.of() : List.copyOf(findings);
        modifications = modifications == null ? Modifications.NONE : modifications;
        engineVersions = engineVersions == null ? Map.of() : Map.copyOf(engineVersions);
        attachments = attachments == null ? List.of() : List.copyOf(attachments);
        matchedRules = matchedRules == null ? List.of() : List.copyOf(matchedRules);
        decisions = decisions == null ? List.of() : List.copyOf(decisions);
    }

    /**
     * The decisions to act on: {@link #decisions()}, or for a verdict without them one group with every recipient
     * and the top-level action ({@code TAG} read as DELIVER with the modifications).
     */
    @com.fasterxml.jackson.annotation.JsonIgnore
    public List<RecipientDecision> groups() {
        if (!decisions.isEmpty()) {
            return decisions;
        }
        Action a = action == Action.TAG ? Action.DELIVER : action;
        Modifications m = action == Action.TAG ? modifications : Modifications.NONE;
        return List.of(new RecipientDecision(envelope == null ? List.of() : envelope.recipients(), a, ruleId, m, null,
                List.of(), null, List.of(), List.of(), matchedRules));
    }

    /** A verdict without size, attachments or matched rules (as the first releases wrote them). */
    public VerdictIssued(String messageId, String tenant, Instant receivedAt, Instant scannedAt, Envelope envelope,
            BodyRef body, String headerMessageId, String subject, Action action, String ruleId, boolean virus,
            boolean spam, double spamScore, List<Finding> findings, Modifications modifications, long policyVersion,
            Map<String, String> engineVersions) {
        this(messageId, tenant, receivedAt, scannedAt, envelope, body, headerMessageId, subject, action, ruleId, virus,
                spam, spamScore, findings, modifications, policyVersion, engineVersions, 0, List.of(), List.of(),
                List.of());
    }

    /** A verdict without engine versions (engines with unversioned data only). */
    public VerdictIssued(String messageId, String tenant, Instant receivedAt, Instant scannedAt, Envelope envelope,
            BodyRef body, String headerMessageId, String subject, Action action, String ruleId, boolean virus,
            boolean spam, double spamScore, List<Finding> findings, Modifications modifications, long policyVersion) {
        this(messageId, tenant, receivedAt, scannedAt, envelope, body, headerMessageId, subject, action, ruleId, virus,
                spam, spamScore, findings, modifications, policyVersion, Map.of());
    }
}
