package io.portcullis.quarantine.digest;

import java.time.Instant;
import java.util.UUID;

/**
 * What a signed digest link carries: the item, the recipient it acts for, the action, when it expires and a unique id
 * (the one-use key).
 */
public record DigestLink(UUID id, String itemId, String recipient, DigestAction action, Instant expiresAt) {
}
