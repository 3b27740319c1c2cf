package io.portcullis.scanner.mime;

import io.portcullis.contracts.scan.Finding;
import io.portcullis.contracts.scan.ScanItem;
import java.util.List;
import java.util.Map;

/**
 * A message taken apart.
 *
 * @param items           the raw message first, then decoded MIME leaf parts and archive entries
 * @param findings        structural findings (limits, malformed MIME, corrupt or encrypted archives)
 * @param subject         the decoded top-level Subject, or null
 * @param headerMessageId the top-level Message-ID header, or null
 * @param headers         top-level header fields: lower-case name to unfolded, decoded values in order (bounded)
 * @param charsets        item path → charset its MIME Content-Type declares (MIME parts with a charset parameter only;
 *                        item content is transfer-decoded bytes, not text)
 */
public record Decomposition(List<ScanItem> items, List<Finding> findings, String subject, String headerMessageId,
        Map<String, List<String>> headers, Map<String, String> charsets) {
    public Decomposition {
        items = List.copyOf(items);
        findings = List.copyOf(findings);
        headers = headers == null ? Map.of() : Map.copyOf(headers);
        charsets = charsets == null ? Map.of() : Map.copyOf(charsets);
    }

    /** A decomposition without the header map and declared charsets. */
    public Decomposition(List<ScanItem> items, List<Finding> findings, String subject, String headerMessageId) {
        this(items, findings, subject, headerMessageId, Map.of(), Map.of());
    }
}
