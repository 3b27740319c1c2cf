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

    /** Base URL of policy-service ({@code PORTCULLIS_POLICY_URL}): sender lists for "approve sender". */
    @WithDefault("http://localhost:8083")
    java.net.URI policyUrl();

    /** The end-user API ({@code /api/v1/user-quarantine}): preview limits and owner headers. */
    User user();

    /** Quarantine digests: schedule, mail, signed one-use links. */
    Digest digest();

    interface User {
        /** A stored message larger than this is not parsed for a preview (the preview says so). */
        @WithDefault("26214400")
        long previewMaxBytes();

        /** Most MIME parts read for a preview or an attachment; parsing stops there (the preview says so). */
        @WithDefault("200")
        int previewMaxParts();

        /** Deepest multipart / message nesting read for a preview. */
        @WithDefault("10")
        int previewMaxDepth();

        /** Most characters of the plain text and of the sanitised HTML in a preview. */
        @WithDefault("200000")
        int previewMaxChars();

        /** Most addresses one owner header may carry (an address plus its aliases). */
        @WithDefault("50")
        int maxOwnerAddresses();
    }

    interface Digest {
        /** Whether the scheduler sends digests on its own ({@code PORTCULLIS_DIGEST_ENABLED}); the admin run works either way. */
        @WithDefault("true")
        boolean enabled();

        /** How often the scheduler looks for users whose digest is due. */
        @WithDefault("15m")
        Duration checkInterval();

        /** Schedule of a user who never chose one: {@code off}, {@code daily} or {@code weekly}. */
        @WithDefault("daily")
        String defaultSchedule();

        /** SMTP server digests go to, {@code host:port} ({@code PORTCULLIS_DIGEST_SMTP}; default the development sink). */
        @WithDefault("localhost:2526")
        String smtp();

        /** Envelope sender and From address of digests ({@code PORTCULLIS_DIGEST_FROM}). */
        @WithDefault("quarantine-digest@portcullis.invalid")
        String from();

        /** admin-api's public base URL the links point at ({@code PORTCULLIS_PUBLIC_URL}). */
        @WithDefault("http://localhost:8080")
        java.net.URI publicUrl();

        /**
         * HMAC-SHA256 key of the links ({@code PORTCULLIS_DIGEST_KEY}), at least 32 characters; required outside the
         * dev and test profiles.
         */
        java.util.Optional<String> key();

        /** How long a link works. */
        @WithDefault("7d")
        Duration linkTtl();

        /** Most items listed in one digest (the oldest wait for the next one). */
        @WithDefault("100")
        int maxItems();

        /** Sending attempts of one digest before it is given up (FAILED). */
        @WithDefault("5")
        int maxAttempts();

        /** Longest wait for the SMTP server to take one digest. */
        @WithDefault("30s")
        Duration smtpTimeout();
    }

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
