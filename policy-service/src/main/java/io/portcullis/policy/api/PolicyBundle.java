package io.portcullis.policy.api;

import java.time.Instant;
import java.util.List;

/**
 * A policy bundle as exported, before it is signed (the signed JSON adds
 * {@code "signature": {"algorithm": "HMAC-SHA256", "value": base64}}).
 */
public record PolicyBundle(int format, String source, Instant created, long policyVersion, boolean outbreak,
        Instant expiresAt, List<BundleRule> rules) {
}
