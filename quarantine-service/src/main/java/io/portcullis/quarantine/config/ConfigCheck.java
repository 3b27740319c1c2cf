package io.portcullis.quarantine.config;

import io.quarkus.runtime.Startup;
import jakarta.annotation.PostConstruct;
import jakarta.enterprise.context.ApplicationScoped;
import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

/** Fails start-up on configuration that cannot work, instead of failing on the first message. */
@Startup
@ApplicationScoped
public class ConfigCheck {
    private static final Pattern BUCKET = Pattern.compile("^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$");

    private final QuarantineConfig config;

    public ConfigCheck(QuarantineConfig config) {
        this.config = config;
    }

    @PostConstruct
    void validate() {
        List<String> problems = problems(config);
        problems.addAll(digestProblems(config, io.quarkus.runtime.LaunchMode.current().isDevOrTest()));
        if (!problems.isEmpty()) {
            throw new IllegalStateException("invalid portcullis.quarantine configuration: " + String.join("; ", problems));
        }
    }

    static List<String> problems(QuarantineConfig config) {
        List<String> problems = new ArrayList<>();
        try {
            URI uri = URI.create(config.s3().endpoint());
            if (!"http".equals(uri.getScheme()) && !"https".equals(uri.getScheme()) || uri.getHost() == null) {
                problems.add("s3.endpoint must be an http(s) URL with a host");
            }
        } catch (IllegalArgumentException e) {
            problems.add("s3.endpoint is not a URL");
        }
        if (config.s3().accessKey().isBlank() || config.s3().secretKey().isBlank()) {
            problems.add("s3.access-key and s3.secret-key must not be blank");
        }
        if (!BUCKET.matcher(config.s3().bucket()).matches()) {
            problems.add("s3.bucket is not a valid bucket name");
        }
        if (config.retry().initialBackoff().isNegative() || config.retry().initialBackoff().isZero()) {
            problems.add("retry.initial-backoff must be positive");
        }
        if (config.retry().maxBackoff().compareTo(config.retry().initialBackoff()) < 0) {
            problems.add("retry.max-backoff must not be shorter than retry.initial-backoff");
        }
        if (config.api().defaultLimit() < 1 || config.api().defaultLimit() > config.api().maxLimit()) {
            problems.add("api.default-limit must be between 1 and api.max-limit");
        }
        if (config.publishTimeout().isNegative() || config.publishTimeout().isZero()) {
            problems.add("publish-timeout must be positive");
        }
        if (config.retention().interval().isNegative() || config.retention().interval().isZero()) {
            problems.add("retention.interval must be positive");
        }
        if (config.retention().batchSize() < 1 || config.retention().batchSize() > 10_000) {
            problems.add("retention.batch-size must be between 1 and 10000");
        }
        return problems;
    }

    /** Smallest accepted digest link key, in characters. */
    public static final int MIN_DIGEST_KEY = 32;
    private static final Pattern HOST_PORT = Pattern.compile("^[A-Za-z0-9.-]+:[0-9]{1,5}$|^\\[[0-9A-Fa-f:.]+]:[0-9]{1,5}$");

    /** The digest and end-user keys; {@code devOrTest}: the dev and test profiles may run without a link key. */
    static List<String> digestProblems(QuarantineConfig config, boolean devOrTest) {
        List<String> problems = new ArrayList<>();
        QuarantineConfig.Digest digest = config.digest();
        if (digest.key().isEmpty() || digest.key().get().isBlank()) {
            if (!devOrTest) {
                problems.add("digest.key (PORTCULLIS_DIGEST_KEY) is required: it signs the one-click links");
            }
        } else if (digest.key().get().length() < MIN_DIGEST_KEY) {
            problems.add("digest.key must be at least " + MIN_DIGEST_KEY + " characters");
        }
        if (!HOST_PORT.matcher(digest.smtp()).matches()) {
            problems.add("digest.smtp must be host:port");
        }
        if (!java.util.Set.of("off", "daily", "weekly").contains(digest.defaultSchedule())) {
            problems.add("digest.default-schedule must be off, daily or weekly");
        }
        if (!digest.from().matches("^[^@\\s<>]+@[^@\\s<>]+$")) {
            problems.add("digest.from must be an address");
        }
        URI publicUrl = digest.publicUrl();
        if (!("http".equals(publicUrl.getScheme()) || "https".equals(publicUrl.getScheme()))
                || publicUrl.getHost() == null) {
            problems.add("digest.public-url must be an http(s) URL with a host");
        }
        if (digest.linkTtl().isNegative() || digest.linkTtl().isZero()) {
            problems.add("digest.link-ttl must be positive");
        }
        if (digest.checkInterval().compareTo(java.time.Duration.ofSeconds(1)) < 0) {
            problems.add("digest.check-interval must be at least 1s");
        }
        if (digest.maxItems() < 1 || digest.maxAttempts() < 1) {
            problems.add("digest.max-items and digest.max-attempts must be positive");
        }
        QuarantineConfig.User user = config.user();
        if (user.previewMaxBytes() < 1 || user.previewMaxParts() < 1 || user.previewMaxDepth() < 1
                || user.previewMaxChars() < 1 || user.maxOwnerAddresses() < 1) {
            problems.add("user.preview-* and user.max-owner-addresses must be positive");
        }
        URI policy = config.policyUrl();
        if (!("http".equals(policy.getScheme()) || "https".equals(policy.getScheme())) || policy.getHost() == null) {
            problems.add("policy-url must be an http(s) URL with a host");
        }
        return problems;
    }
}
