package io.portcullis.contracts.scan;

import io.portcullis.contracts.events.Envelope;
import java.util.List;

/**
 * What every engine is given: the envelope and every decoded item of the message (unpacked by the scanner).
 *
 * @param messageId queue id (for logs)
 * @param envelope  the SMTP envelope (null for a synchronous scan without one)
 * @param items     the raw message first, then MIME parts and archive entries
 */
public record ScanInput(String messageId, Envelope envelope, List<ScanItem> items) {
    public ScanInput {
        items = List.copyOf(items);
    }
}
