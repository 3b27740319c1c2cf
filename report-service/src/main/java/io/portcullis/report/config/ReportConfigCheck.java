package io.portcullis.report.config;

import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

/** Refuses to start with configuration that cannot work. */
@ApplicationScoped
public class ReportConfigCheck {

    void onStart(@Observes StartupEvent event, ReportConfig config) {
        check(config);
    }

    /** @throws IllegalArgumentException naming the key at fault */
    public static void check(ReportConfig config) {
        int max = config.tracking().maxLimit();
        int def = config.tracking().defaultLimit();
        if (max < 1 || max > 100_000) {
            throw new IllegalArgumentException("portcullis.report.tracking.max-limit must be 1..100000, is " + max);
        }
        if (def < 1 || def > max) {
            throw new IllegalArgumentException(
                    "portcullis.report.tracking.default-limit must be 1..max-limit, is " + def);
        }
        if (config.consumer().initialBackoff().isNegative() || config.consumer().initialBackoff().isZero()) {
            throw new IllegalArgumentException("portcullis.report.consumer.initial-backoff must be positive");
        }
        if (config.consumer().maxBackoff().compareTo(config.consumer().initialBackoff()) < 0) {
            throw new IllegalArgumentException(
                    "portcullis.report.consumer.max-backoff must not be below initial-backoff");
        }
    }
}
