package io.portcullis.scanner.mime;

import io.portcullis.contracts.scan.Finding;
import io.portcullis.contracts.scan.ScanItem;
import java.util.List;

/**
 * A message taken apart.
 *
 * @param items           the raw message first, then decoded MIME leaf parts and archive entries
 * @param findings        structural findings (limits, malformed MIME, corrupt or encrypted archives)
 * @param subject         the decoded top-level Subject, or null
 * @param headerMessageId the top-level Message-ID header, or null
 */
public record Decomposition(List<ScanItem> items, List<Finding> findings, String subject, String headerMessageId) {
    public Decomposition {
        items = List.copyOf(items);
        findings = List.copyOf(findings);
    }
}
