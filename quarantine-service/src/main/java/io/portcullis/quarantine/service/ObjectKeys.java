package io.portcullis.quarantine.service;

import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;

/**
 * Object keys in the quarantine bucket: {@code yyyy/MM/dd/<itemId>.eml}, the date (UTC) of receipt; the item id is
 * the message id for a message's first (usually only) quarantine item.
 */
public final class ObjectKeys {
    private static final DateTimeFormatter DAY = DateTimeFormatter.ofPattern("yyyy/MM/dd").withZone(ZoneOffset.UTC);

    private ObjectKeys() {
    }

    /** Deterministic for a message, so a redelivered verdict writes the same key. */
    public static String quarantineKey(Instant receivedAt, String itemId) {
        if (!MessageIds.isValidItemId(itemId)) {
            throw new IllegalArgumentException("unsafe message id");
        }
        return DAY.format(receivedAt) + "/" + itemId + ".eml";
    }
}
