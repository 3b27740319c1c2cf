package io.portcullis.policy.signatures;

import io.portcullis.policy.config.PolicyConfig;
import io.quarkus.runtime.Startup;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.net.URI;
import java.time.Duration;
import java.util.regex.Pattern;

/**
 * The checked signature, S3 and reputation settings. Created at start-up, so bad values stop the service before it
 * serves anything.
 */
@Startup
@ApplicationScoped
public class SignatureSettings {
    /** Largest bundle that can be configured: a ustar entry holds at most 8 GiB. */
    static final long MAX_CONFIGURABLE_BYTES = 8L << 30;
    private static final Pattern BUCKET = Pattern.compile("^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$");

    private final String bucket;
    private final long maxBytes;
    private final int maxFiles;
    private final Duration refreshInterval;

    @Inject
    public SignatureSettings(PolicyConfig config) {
        this(config.signatures().bucket(), config.signatures().maxBytes().asLongValue(),
                config.signatures().maxFiles(), config.reputation().refreshInterval(), config.s3().endpoint());
    }

    SignatureSettings(String bucket, long maxBytes, int maxFiles, Duration refreshInterval, String s3Endpoint) {
        if (bucket == null || !BUCKET.matcher(bucket).matches() || bucket.contains("..")) {
            throw new IllegalArgumentException("portcullis.policy.signatures.bucket is not a valid S3 bucket name: "
                    + bucket);
        }
        if (maxBytes < 1024 || maxBytes > MAX_CONFIGURABLE_BYTES) {
            throw new IllegalArgumentException("portcullis.policy.signatures.max-bytes must be 1K..8G, is " + maxBytes);
        }
        if (maxFiles < 1 || maxFiles > 100_000) {
            throw new IllegalArgumentException("portcullis.policy.signatures.max-files must be 1..100000, is "
                    + maxFiles);
        }
        if (refreshInterval == null || refreshInterval.isNegative() || refreshInterval.isZero()) {
            throw new IllegalArgumentException("portcullis.policy.reputation.refresh-interval must be positive");
        }
        URI endpoint;
        try {
            endpoint = URI.create(s3Endpoint);
        } catch (IllegalArgumentException | NullPointerException e) {
            throw new IllegalArgumentException("portcullis.policy.s3.endpoint is not a URL: " + s3Endpoint);
        }
        if (!"http".equals(endpoint.getScheme()) && !"https".equals(endpoint.getScheme())
                || endpoint.getHost() == null) {
            throw new IllegalArgumentException("portcullis.policy.s3.endpoint must be an http(s) URL: " + s3Endpoint);
        }
        this.bucket = bucket;
        this.maxBytes = maxBytes;
        this.maxFiles = maxFiles;
        this.refreshInterval = refreshInterval;
    }

    /** Bucket of the bundles. */
    public String bucket() {
        return bucket;
    }

    /** Limit of the upload body and of the uncompressed tar, in bytes. */
    public long maxBytes() {
        return maxBytes;
    }

    /** Most database files per bundle. */
    public int maxFiles() {
        return maxFiles;
    }

    /** How often every instance checks which bundle is active. */
    public Duration refreshInterval() {
        return refreshInterval;
    }
}
