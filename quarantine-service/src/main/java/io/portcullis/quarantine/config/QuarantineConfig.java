package io.portcullis.quarantine.config;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.time.Duration;

/** Everything quarantine-service reads from configuration ({@code portcullis.quarantine.*}). */
@ConfigMapping(prefix = "portcullis.quarantine")
public interface QuarantineConfig {

    /** Object storage holding the quarantined bodies. */
    S3 s3();

    /** Retry of transient failures (S3, database, Kafka acknowledgements) inside the consumers. */
    Retry retry();

    /** REST list paging. */
    Api api();

    /** The retention job that removes items past their area's retention. */
    Retention retention();

    /** How long a publisher waits for Kafka to acknowledge a QuarantineEvent before it gives up. */
    @WithDefault("30s")
    Duration publishTimeout();

    /**
     * How long a requested release or delete blocks a second request for the same message on this instance,
     * while the state consumer has not yet applied the first one.
     */
    @WithDefault("5m")
    Duration pendingTtl();

    interface S3 {
        /** S3 API endpoint (MinIO or S3Proxy), {@code PORTCULLIS_S3_ENDPOINT}. */
        String endpoint();

        /** S3 access key, {@code PORTCULLIS_S3_ACCESS_KEY}. */
        String accessKey();

        /** S3 secret key, {@code PORTCULLIS_S3_SECRET_KEY}. */
        String secretKey();

        /** S3 region sent in signed requests. */
        @WithDefault("us-east-1")
        String region();

        /** Bucket for quarantined bodies; created at start-up when missing. */
        @WithDefault("portcullis-quarantine")
        String bucket();
    }

    interface Retry {
        /** First pause after a transient failure. */
        @WithDefault("500ms")
        Duration initialBackoff();

        /** Longest pause between two attempts (the pause doubles up to this). */
        @WithDefault("30s")
        Duration maxBackoff();
    }

    interface Api {
        /** Page size when the list request gives no {@code limit}. */
        @WithDefault("50")
        int defaultLimit();

        /** Largest accepted {@code limit}. */
        @WithDefault("500")
        int maxLimit();
    }

    interface Retention {
        /** Whether this instance runs the job (several may: an advisory lock lets one at a time work). */
        @WithDefault("true")
        boolean enabled();

        /** How often the job runs, {@code PORTCULLIS_QUARANTINE_RETENTION_INTERVAL}. */
        @WithDefault("1h")
        Duration interval();

        /** Items handled per database round trip. */
        @WithDefault("500")
        int batchSize();
    }
}
