package io.portcullis.scanner.signatures;

import io.portcullis.contracts.events.SignatureBundleActivated;
import java.util.Locale;
import java.util.regex.Pattern;

/**
 * A signature bundle to load: where it is and what it must hash to. Built from a {@link SignatureBundleActivated}
 * event or from policy-service's {@code GET /api/v1/signatures/active}; every field is checked, because the values
 * end up in logs, metric tags and S3 requests.
 *
 * @param version   bundle version (letters, digits, {@code . _ -}; at most 64 characters)
 * @param bucket    S3 bucket
 * @param objectKey S3 object key (no {@code ..} segment, no leading slash, no control characters)
 * @param sha256    lower-case hex SHA-256 of the whole object
 * @param size      object size in bytes (positive)
 * @param reason    why it is active: {@code publish}, {@code rollback}, {@code active} (found by asking), ...
 */
public record BundleRef(String version, String bucket, String objectKey, String sha256, long size, String reason) {
    private static final Pattern VERSION = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,63}");
    private static final Pattern SHA256 = Pattern.compile("[0-9a-f]{64}");
    private static final Pattern BUCKET = Pattern.compile("[a-z0-9][a-z0-9.-]{1,62}");

    /** @throws IllegalArgumentException naming the first invalid field */
    public BundleRef {
        if (version == null || !VERSION.matcher(version).matches()) {
            throw new IllegalArgumentException("invalid bundle version");
        }
        if (bucket == null || !BUCKET.matcher(bucket).matches()) {
            throw new IllegalArgumentException("invalid bucket for bundle " + version);
        }
        if (objectKey == null || objectKey.isEmpty() || objectKey.length() > 1024 || objectKey.startsWith("/")
                || objectKey.chars().anyMatch(c -> c < 0x20 || c == 0x7f)
                || ("/" + objectKey + "/").contains("/../") || ("/" + objectKey + "/").contains("/./")) {
            throw new IllegalArgumentException("invalid object key for bundle " + version);
        }
        sha256 = sha256 == null ? null : sha256.toLowerCase(Locale.ROOT);
        if (sha256 == null || !SHA256.matcher(sha256).matches()) {
            throw new IllegalArgumentException("invalid sha256 for bundle " + version);
        }
        if (size <= 0) {
            throw new IllegalArgumentException("invalid size " + size + " for bundle " + version);
        }
        reason = reason == null || reason.isBlank() ? "unknown" : shorten(reason);
    }

    /** @throws IllegalArgumentException when the event carries an invalid field */
    public static BundleRef of(SignatureBundleActivated event) {
        return new BundleRef(event.version(), event.bucket(), event.objectKey(), event.sha256(), event.size(),
                event.reason());
    }

    /** {@code bucket/objectKey}. */
    public String location() {
        return bucket + "/" + objectKey;
    }

    private static String shorten(String reason) {
        String printable = reason.replaceAll("\\p{Cntrl}", "?");
        return printable.length() <= 200 ? printable : printable.substring(0, 200) + "...";
    }
}
