package io.portcullis.scanner.release;

import io.portcullis.contracts.events.AttachmentMeta;
import io.portcullis.contracts.scan.Finding;
import java.util.List;
import java.util.Map;

/**
 * What the rescan of a released message found.
 *
 * @param result          clean, a threat, or not scannable
 * @param findings        decomposition findings, then the threat engines' findings (failures included)
 * @param engineVersions  engine name → data version used (the antivirus engine: the signature bundle)
 * @param subject         the decoded Subject, or null
 * @param headerMessageId the Message-ID header, or null
 * @param messageSize     bytes scanned
 * @param attachments     names, true types and sizes
 * @param scans           how many scans it took (more than one after engine failures)
 */
public record RescanOutcome(Result result, List<Finding> findings, Map<String, String> engineVersions, String subject,
        String headerMessageId, long messageSize, List<AttachmentMeta> attachments, int scans) {
    public RescanOutcome {
        findings = List.copyOf(findings);
        engineVersions = Map.copyOf(engineVersions);
        attachments = List.copyOf(attachments);
    }

    /** The three ways a rescan ends. */
    public enum Result {
        /** Nothing found: deliver to the released recipients. */
        CLEAN,
        /** A threat category was found: back to quarantine, area {@code virus}. */
        THREAT,
        /** Not fully scanned (engine failure after retries, a limit, an unreadable body): area {@code unscannable}. */
        UNSCANNABLE
    }
}
