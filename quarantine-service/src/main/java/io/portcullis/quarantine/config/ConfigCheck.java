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
}
