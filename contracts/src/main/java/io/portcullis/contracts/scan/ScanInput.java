package io.portcullis.contracts.scan;

import io.portcullis.contracts.events.Envelope;
import java.util.List;

/**
 * What every engine is given: the envelope and every decoded item of the message (unpacked by the scanner).
 *
 * @param messageId queue id (for logs)
 * @param tenant    the message's tenant (engines with per-tenant data, e.g. learned spam counts, use it);
 *                  {@value #DEFAULT_TENANT} when none is named
 * @param envelope  the SMTP envelope (null for a synchronous scan without one)
 * @param items     the raw message first, then MIME parts and archive entries
 */
public record ScanInput(String messageId, String tenant, Envelope envelope, List<ScanItem> items) {
    /** The tenant of messages and scans that name none. */
    public static final String DEFAULT_TENANT = "default";

    public ScanInput {
        tenant = tenant == null || tenant.isBlank() ? DEFAULT_TENANT : tenant;
        items = List.copyOf(items);
    }

    /** Input of the default tenant. */
    public ScanInput(String messageId, Envelope envelope, List<ScanItem> items) {
        this(messageId, DEFAULT_TENANT, envelope, items);
    }
}
