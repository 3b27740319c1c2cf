package io.portcullis.report.config;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.time.Duration;

/**
 * All configuration of report-service. Keys are {@code portcullis.report.<key>}; env variables are mapped in
 * application.properties. Checked at start-up by {@link ReportConfigCheck}.
 */
@ConfigMapping(prefix = "portcullis.report")
public interface ReportConfig {

    /** The tracking query API. */
    Tracking tracking();

    /** The Kafka consumers. */
    Consumer consumer();

    interface Tracking {
        /** Rows returned by a tracking query without {@code limit}. */
        @WithDefault("100")
        int defaultLimit();

        /** Largest {@code limit} a tracking query may ask for (a larger one is a 400). */
        @WithDefault("1000")
        int maxLimit();
    }

    interface Consumer {
        /** First wait before retrying a record whose write failed for a transient reason (database down). */
        @WithDefault("200ms")
        Duration initialBackoff();

        /** Longest wait between such retries; the record is retried until it is written, never dropped. */
        @WithDefault("30s")
        Duration maxBackoff();
    }
}
