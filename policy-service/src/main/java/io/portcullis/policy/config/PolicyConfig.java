package io.portcullis.policy.config;

import io.quarkus.runtime.configuration.MemorySize;
import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

/**
 * All configuration of policy-service. Keys are {@code portcullis.policy.<key>}; env variables are mapped in
 * application.properties. {@link io.portcullis.policy.messaging.OutboxRelay} checks the outbox values and
 * {@link io.portcullis.policy.signatures.SignatureSettings} the signature, S3 and reputation values at start-up.
 */
@ConfigMapping(prefix = "portcullis.policy")
public interface PolicyConfig {

    /** Tenant id this instance serves; the snapshot's tenant and the Kafka key of every PolicyChanged. */
    @WithDefault("default")
    String tenant();

    /** The transactional outbox relay. */
    Outbox outbox();

    interface Outbox {
        /**
         * How often the relay looks for unpublished rows besides the after-commit trigger (a run is skipped while
         * the previous one runs). The simple scheduler ticks once a second, so values below 1s act as 1s.
         */
        @WithDefault("1s")
        Duration interval();

        /** Most rows read from the outbox per database round trip. */
        @WithDefault("100")
        int batchSize();

        /**
         * How long the relay waits for Kafka's acknowledgement of one row before it gives up for this run and
         * retries the row later. Keep it above the producer's {@code delivery.timeout.ms}.
         */
        @WithDefault("35s")
        Duration ackTimeout();
    }

    /** Policy bundles: signed export and import of rules between clusters; checked by {@code BundleSigner}. */
    Bundles bundles();

    interface Bundles {
        /**
         * HMAC-SHA256 key (at least 32 characters, env {@code PORTCULLIS_POLICY_BUNDLE_KEY}) that signs exported
         * bundles and verifies imported ones: every cluster that exchanges bundles is given the same key. Unset:
         * bundle export and import answer 503.
         */
        Optional<String> key();

        /** This cluster's name, written as {@code source} into exported bundles (env {@code PORTCULLIS_CLUSTER_NAME}). */
        @WithDefault("local")
        String source();

        /** How often rules past their {@code expiresAt} (outbreak rules) are removed. */
        @WithDefault("30s")
        Duration expiryInterval();

        /** Most rules in one bundle. */
        @WithDefault("5000")
        int maxRules();
    }

    /** Object storage (S3 API: MinIO, S3Proxy, AWS) holding the signature bundles. */
    S3 s3();

    /** Signature bundles (the pattern file): upload limits and where they are stored. */
    Signatures signatures();

    /** The Smart Scan hash-reputation service. */
    Reputation reputation();

    interface S3 {
        /** S3 endpoint URL. */
        @WithDefault("http://localhost:9000")
        String endpoint();

        /** S3 access key. */
        @WithDefault("portcullis")
        String accessKey();

        /** S3 secret key. */
        @WithDefault("portcullis-secret")
        String secretKey();

        /** S3 region sent with requests (MinIO and S3Proxy accept any). */
        @WithDefault("us-east-1")
        String region();
    }

    interface Signatures {
        /** Bucket of the bundles (object key {@code bundles/<version>.tar}); created at start-up when missing. */
        @WithDefault("portcullis-signatures")
        String bucket();

        /**
         * Largest bundle accepted: both the upload body and the uncompressed tar it contains (so the sum of the
         * database files) must stay within it, else 413. Also the HTTP body limit of the service.
         */
        @WithDefault("512M")
        MemorySize maxBytes();

        /** Most database files in one bundle. */
        @WithDefault("1000")
        int maxFiles();
    }

    /** Safe and blocked sender lists. */
    SenderLists senderLists();

    interface SenderLists {
        /**
         * Most sender-list entries of the tenant (every scanner fetches them all with the snapshot); adding beyond
         * it answers 413. Must be positive.
         */
        @WithDefault("50000")
        int maxEntries();
    }

    /** Rule simulation on recorded mail ({@code POST /api/v1/policy/simulate}). */
    Simulation simulation();

    interface Simulation {
        /** Base URL of report-service, where recorded verdicts are read (env {@code PORTCULLIS_REPORT_URL}). */
        @WithDefault("http://localhost:8085")
        java.net.URI reportUrl();

        /** How long one read of recorded verdicts from report-service may take (connect and answer). */
        @WithDefault("10s")
        Duration timeout();

        /** Most changed and most uncertain messages listed each in one simulation answer (totals count all). */
        @WithDefault("1000")
        int maxListed();
    }

    /** Learning from spam feedback (quarantine releases as ham, "this is spam" reports). */
    SpamLearning spamLearning();

    interface SpamLearning {
        /**
         * Learn every tenant's feedback into one shared model {@code *} instead of one model per tenant (env
         * {@code PORTCULLIS_SPAM_LEARNING_SHARED}).
         */
        @WithDefault("false")
        boolean shared();

        /**
         * Largest message learned: {@code POST /api/v1/spam/feedback} answers 413 above it, a feedback or release
         * event whose body is larger goes to the dead-letter topic.
         */
        @WithDefault("25M")
        MemorySize maxMessageBytes();

        /** Bucket where {@code POST /api/v1/spam/feedback} stores reported messages; created when missing. */
        @WithDefault("portcullis-feedback")
        String bucket();

        /**
         * The only buckets message bodies are read from for learning (comma-separated); a body elsewhere is refused
         * and dead-lettered.
         */
        @WithDefault("portcullis-feedback,portcullis-quarantine,portcullis-spool")
        java.util.List<String> readBuckets();

        /** First pause after a transient failure (S3 or PostgreSQL down) of the learner; doubled per retry. */
        @WithDefault("1s")
        Duration retryBackoff();

        /** Longest pause between retries of the learner. */
        @WithDefault("60s")
        Duration maxBackoff();

        /** How long {@code POST /api/v1/spam/feedback} waits for Kafka to acknowledge the SpamFeedback event. */
        @WithDefault("30s")
        Duration publishTimeout();
    }

    interface Reputation {
        /**
         * How often every instance compares the active bundle in PostgreSQL with the one it holds in memory and
         * loads the new one when they differ (the instance that activates a bundle swaps it in at once).
         */
        @WithDefault("10s")
        Duration refreshInterval();
    }

    // --- Directory (LDAP); checked at start-up by io.portcullis.policy.directory.DirectorySettings ---

    /** The LDAP directory: users, aliases and (nested) groups for recipient validation and rule scopes. */
    Directory directory();

    interface Directory {
        /** Whether look-ups go to a directory; off, the look-up endpoint answers 503 "not configured". */
        @WithDefault("false")
        boolean enabled();

        /**
         * Directory servers, {@code ldap://host[:389]} or {@code ldaps://host[:636]} (comma-separated); the first
         * reachable one is used (fail-over in order). Required when enabled.
         */
        Optional<List<String>> urls();

        /** DN to bind as (simple bind); anonymous when absent. */
        Optional<String> bindDn();

        /** Password of the bind DN; required with a bind DN. */
        Optional<String> bindPassword();

        /** Base DN under which users and groups are searched (subtree). Required when enabled. */
        Optional<String> baseDn();

        /**
         * {@code openldap} (inetOrgPerson, mail, mailAlternateAddress), {@code active-directory} (user,
         * proxyAddresses) or {@code domino} (dominoPerson, mail; dominoGroup): sets the defaults of the filter and
         * attribute keys below.
         */
        @WithDefault("openldap")
        String schema();

        /**
         * LDAP filter selecting user entries; default per schema ({@code (objectClass=inetOrgPerson)} /
         * {@code (objectClass=user)}).
         */
        Optional<String> userFilter();

        /** Attributes holding the primary address (comma-separated); default {@code mail}. */
        Optional<List<String>> mailAttributes();

        /**
         * Attributes holding aliases; default per schema ({@code mailAlternateAddress} / {@code proxyAddresses}). With
         * the active-directory schema their values are {@code type:address}: {@code SMTP:} is the primary address,
         * {@code smtp:} an alias, other types are ignored.
         */
        Optional<List<String>> aliasAttributes();

        /**
         * Object classes of group entries; default per schema ({@code groupOfNames,groupOfUniqueNames} /
         * {@code group}).
         */
        Optional<List<String>> groupObjectClasses();

        /**
         * Attributes of a group listing its member DNs (users or groups); default per schema
         * ({@code member,uniqueMember} / {@code member}).
         */
        Optional<List<String>> memberAttributes();

        /** Most levels of group nesting followed (1 = only groups the user is a direct member of); 1..50. */
        @WithDefault("10")
        int maxGroupDepth();

        /** Timeout of a TCP (and TLS) connection to a directory server. */
        @WithDefault("3s")
        Duration connectTimeout();

        /** Timeout of one LDAP operation (search or bind); also the longest wait for a free pooled connection. */
        @WithDefault("5s")
        Duration responseTimeout();

        /** Most pooled connections to the directory (1..100). */
        @WithDefault("4")
        int poolSize();

        /** How long a found entry is cached. */
        @WithDefault("5m")
        Duration cacheTtl();

        /** How long "no such address" is cached (shorter: a new mailbox should work soon). Outages are never cached. */
        @WithDefault("1m")
        Duration negativeCacheTtl();

        /** Most addresses cached (found and not found together). */
        @WithDefault("10000")
        long cacheMaxEntries();
    }

    // --- IP Profiler (Kafka Streams); checked at start-up by io.portcullis.policy.ipprofiler.ProfilerSettings ---

    /** The IP Profiler: per-client-IP counts of spam, viruses, refused recipients and bounces, and the block list. */
    IpProfiler ipProfiler();

    interface IpProfiler {
        /**
         * Whether this instance runs the Kafka Streams application (instances share the work by partition). The
         * REST endpoints and the in-memory view of the block and allow lists work either way.
         */
        @WithDefault("true")
        boolean enabled();

        /**
         * Whether this instance follows the block and control topics in memory for the REST reads (a plain
         * consumer without group). Off only in tests.
         */
        @WithDefault("true")
        boolean followTopics();

        /** Kafka bootstrap servers of the Streams application, the topic follower and the topic creation. */
        @WithDefault("localhost:9092")
        String bootstrapServers();

        /** Kafka Streams {@code application.id} (consumer group, prefix of internal topics). */
        @WithDefault("portcullis-ip-profiler")
        String applicationId();

        /** Directory of the local state stores (RocksDB), relative to the working directory unless absolute. */
        @WithDefault(".portcullis/state/ip-profiler")
        String stateDir();

        /** Replication factor of the block and control topics and of the Streams internal topics. */
        @WithDefault("1")
        short replicationFactor();

        /**
         * IPs and CIDR blocks that are never counted nor blocked (comma-separated); empty for none. Loopback by
         * default.
         */
        Optional<List<String>> exempt();

        /**
         * How often (wall-clock) expired blocks are lifted with a tombstone and allow-list entries and UNBLOCK
         * commands are applied to the current blocks and counts.
         */
        @WithDefault("5s")
        Duration checkInterval();

        /**
         * How long a message id or event id is remembered so a re-emitted verdict or event is not counted twice;
         * at least the longest window.
         */
        @WithDefault("24h")
        Duration dedupeRetention();

        /** Spam verdicts per client IP. */
        Limit spam();

        /** Virus verdicts per client IP. */
        Limit virus();

        /** Recipients refused at RCPT (directory harvest) per client IP. */
        Limit harvest();

        /** Messages from the null sender (bounces) per client IP. */
        Limit bounce();

        /** Threshold, window, block duration and response of one kind (defaults in application.properties). */
        interface Limit {
            /** Events within the window that block the IP (reaching it blocks). */
            int threshold();

            /** Length of the sliding window. */
            Duration window();

            /** How long the block lasts. */
            Duration block();

            /** TEMPFAIL: 421 at connect; REJECT: 550 to every RCPT. */
            io.portcullis.contracts.events.IpBlock.Response response();
        }
    }
}
