package io.portcullis.policy.api;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.portcullis.policy.entity.SignatureBundle;
import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * A signature bundle as the API shows it. {@code bucket} is only present on {@code GET /api/v1/signatures/active}
 * (what a scanner needs to fetch the object).
 */
public record SignatureBundleView(String version, String objectKey, String sha256, long size, List<String> files,
        Map<String, Integer> signatures, boolean active, Instant createdAt,
        @JsonInclude(JsonInclude.Include.NON_NULL) String bucket) {

    /** Without the bucket. */
    public static SignatureBundleView of(SignatureBundle b, boolean active) {
        return new SignatureBundleView(b.version, b.objectKey, b.sha256, b.size, b.files, b.signatures, active,
                b.createdAt, null);
    }

    /** With the bucket. */
    public static SignatureBundleView withBucket(SignatureBundle b, boolean active) {
        return new SignatureBundleView(b.version, b.objectKey, b.sha256, b.size, b.files, b.signatures, active,
                b.createdAt, b.bucket);
    }
}
