package io.portcullis.edge.config;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

/**
 * All configuration of an edge node: the SMTP listener, durable acceptance (spool), delivery and the
 * development sink. Keys are {@code portcullis.<group>.<key>}; env variables are mapped in application.properties.
 */
@ConfigMapping(prefix = "portcullis")
public interface EdgeConfig {

    /** The SMTP listener. */
    Smtp smtp();

    /** Durable acceptance: Kafka and object storage. */
    Spool spool();

    /** Delivery to the next hop. */
    Delivery delivery();

    /** The development sink (a local SMTP server writing files), used when no next hop is set. */
    Sink sink();

    /** Where policy-service is (accepted domains). */
    Policy policy();

    interface Smtp {
        /** Address to listen on. */
        @WithDefault("127.0.0.1")
        String host();

        /** Port to listen on. */
        @WithDefault("2525")
        int port();

        /** Host name used in the greeting and in Received headers. */
        @WithDefault("localhost")
        String hostname();

        /** Largest message accepted, in bytes (advertised with SIZE; 552 above it). */
        @WithDefault("26214400")
        long maxMessageBytes();

        /** Most recipients per transaction (452 beyond). */
        @WithDefault("100")
        int maxRecipients();

        /** Idle time allowed between commands before 421 and close. */
        @WithDefault("5M")
        Duration commandTimeout();

        /** Idle time allowed inside DATA before 421 and close. */
        @WithDefault("10M")
        Duration dataTimeout();

        /** Most simultaneous connections from one client IP (421 beyond). */
        @WithDefault("20")
        int maxConnectionsPerIp();

        /** Most simultaneous connections in all (421 beyond). */
        @WithDefault("1000")
        int maxConnections();

        /** Domains accepted before the first policy snapshot arrives (and if policy-service is unreachable). */
        @WithDefault("example.com,example.org")
        List<String> bootstrapDomains();

        /** PEM certificate for STARTTLS; a self-signed one is generated when absent. */
        Optional<String> tlsCertPath();

        /** PEM private key for STARTTLS. */
        Optional<String> tlsKeyPath();

        /**
         * Port of a second listener (same host, limits and TLS) for a load balancer that sends the HAProxy PROXY
         * protocol header (v1 or v2): its source address becomes the client address for relay control, the IP
         * Profiler, limits and the Received header. Off when absent. Anyone who can reach this port can claim any
         * address: expose it to the load balancer only.
         */
        Optional<Integer> proxyPort();
    }

    interface Spool {
        /** Bodies up to this size travel inline in the Kafka record; larger ones go to S3 first. */
        @WithDefault("262144")
        int inlineMaxBytes();

        /** Bucket for bodies stored in S3. */
        @WithDefault("portcullis-spool")
        String bucket();

        /** How long DATA may wait for Kafka (and S3) before answering 451. */
        @WithDefault("15S")
        Duration ackTimeout();

        /** Tenant id stamped on records. */
        @WithDefault("default")
        String tenant();

        /** This node's name (Received header, edgeNode). */
        @WithDefault("edge-1")
        String node();
    }

    interface Delivery {
        /**
         * Where mail goes by default: {@code host:port} of a smart host, {@code mx} to deliver by MX look-up of each
         * recipient domain, or empty for the development sink. {@link #routes()} override it per domain.
         */
        Optional<String> nextHop();

        /**
         * Static routes per recipient domain, overriding {@link #nextHop()}: {@code domain=host:port} entries such as
         * {@code example.com=[10.0.0.5]:25} (a bracketed host is used as is, never looked up as MX). A domain matches
         * itself only; {@code .example.com} matches its subdomains.
         */
        Optional<List<String>> routes();

        /**
         * TLS towards the next hop per recipient domain ({@code domain=opportunistic|required|verify}); a domain not
         * listed gets opportunistic TLS (STARTTLS when offered, certificate not checked). {@code required}: STARTTLS
         * must be offered and succeed, else a temporary failure (never cleartext); {@code verify}: required plus the
         * certificate chain checked against {@link #tlsTrustStore()} and the next hop's host name.
         */
        Optional<List<String>> tlsPolicy();

        /** PEM file of CA certificates trusted for {@code verify}; the JVM's default trust store when absent. */
        Optional<String> tlsTrustStore();

        /** DNS resolver for MX and address look-ups, {@code host:port} or {@code [v6]:port}; the system's when absent. */
        Optional<String> dnsResolver();

        /** Longest wait for one DNS answer; a look-up that times out is a temporary failure. */
        @WithDefault("5S")
        Duration dnsTimeout();

        /** TCP port of hosts found by MX look-up (25; only tests change it). */
        @WithDefault("25")
        int mxPort();

        /** Relay attempts to one destination (domain, route or smart host) running at the same time on this node. */
        @WithDefault("4")
        int destinationConcurrency();

        /**
         * How long a destination none of whose hosts could be reached is considered down: messages for it skip the
         * quick in-process retries and go straight to the durable retry queue (0 turns this off).
         */
        @WithDefault("60S")
        Duration deadDestinationTtl();

        /**
         * DKIM signing keys, {@code domain:selector:/path/key.pem} entries (PKCS#8 PEM, RSA of at least 1024 bits or
         * Ed25519). A message whose From domain (or a parent domain of it) has a key is signed with it. A key that
         * cannot be read fails start-up.
         */
        Optional<List<String>> dkimKeys();

        /** Quick phase: first in-process retry delay after a temporary failure. */
        @WithDefault("2S")
        Duration retryInitialDelay();

        /** Quick phase: longest delay between in-process retries. */
        @WithDefault("60S")
        Duration retryMaxDelay();

        /**
         * Quick phase: in-process attempts of a first delivery before the recipients still temporarily failing go
         * to the durable retry queue (a queued retry makes one attempt).
         */
        @WithDefault("3")
        int maxAttempts();

        /** Durable retry queue: wait before the first queued retry; doubles with every further one. */
        @WithDefault("5M")
        Duration queueRetryInitialDelay();

        /** Durable retry queue: longest wait between queued retries. */
        @WithDefault("1H")
        Duration queueRetryMaxDelay();

        /**
         * How long, from its first attempt, a message may stay in the retry queue before its temporarily failing
         * recipients become FAILED with a DSN (RFC 5321 section 4.5.4.1: 4-5 days).
         */
        @WithDefault("5D")
        Duration maxQueueLifetime();

        /** Queued retries held in memory (waiting for their time or being attempted) before the consumer pauses. */
        @WithDefault("10000")
        int maxQueuedInMemory();

        /** Connect and reply timeout towards the next hop. */
        @WithDefault("30S")
        Duration timeout();

        /** Name sent in EHLO to the next hop. */
        @WithDefault("localhost")
        String heloName();

        /** Sender address of DSNs (the envelope sender of a DSN is always null). */
        @WithDefault("MAILER-DAEMON@localhost")
        String dsnFrom();

        /**
         * Address of policy notices to {@code admin} (a rule's notify action); unset: such notices are skipped with a
         * warning. Notices come from {@code postmaster@} the domain of {@code dsn-from}.
         */
        Optional<String> adminAddress();

        /** Relay attempts running at the same time (worker threads of delivery). */
        @WithDefault("8")
        int concurrency();

        /** Records per consumer being delivered (or waiting for a retry) at once before the consumer pauses. */
        @WithDefault("256")
        int maxInFlight();
    }

    interface Sink {
        /** Port of the development sink. */
        @WithDefault("2526")
        int port();

        /** Directory the development sink writes {@code <id>.eml} files to. */
        @WithDefault(".portcullis/sink")
        String dir();
    }

    interface Policy {
        /** Base URL of policy-service. */
        @WithDefault("http://localhost:8083")
        String url();

        /** Safety-net refresh interval in addition to change events. */
        @WithDefault("60S")
        Duration refreshInterval();
    }

    /** Recipient validation at RCPT, after relay control accepted the domain. */
    RecipientValidation recipientValidation();

    interface RecipientValidation {
        /** What validates recipients. */
        enum Mode {
            /** Nothing: every recipient in an accepted domain is accepted. */
            OFF,
            /** policy-service's directory look-up ({@code GET /api/v1/directory/lookup}). */
            DIRECTORY
        }

        /**
         * {@code off} or {@code directory} (env {@code PORTCULLIS_RECIPIENT_VALIDATION}). With {@code directory} an
         * unknown recipient gets {@code 550 5.1.1} (and a RecipientRejected event), an unavailable directory or
         * policy-service {@code 451 4.4.3}.
         */
        @WithDefault("off")
        Mode mode();

        /** Longest wait for one answer, queueing for a free look-up slot included; then 451 4.4.3. */
        @WithDefault("3S")
        Duration timeout();

        /** How long an existing recipient is remembered at this edge. */
        @WithDefault("5M")
        Duration cacheTtl();

        /** How long an unknown recipient is remembered at this edge. Outages are never remembered. */
        @WithDefault("1M")
        Duration negativeCacheTtl();

        /** Most recipients remembered at this edge. */
        @WithDefault("10000")
        long cacheMaxEntries();

        /** Most look-ups in flight to policy-service from this edge at once (the same address counts once). */
        @WithDefault("16")
        int maxConcurrentLookups();

        /** Most look-ups waiting for a slot; beyond it a RCPT gets 451 4.4.3 at once. */
        @WithDefault("1000")
        int maxWaitingLookups();

        /**
         * Domains whose recipients are validated, comma-separated, exact (no subdomains), case-insensitive (env
         * {@code PORTCULLIS_RECIPIENT_VALIDATION_DOMAINS}); other accepted domains are accepted unvalidated. Empty:
         * every accepted domain is validated.
         */
        Optional<List<String>> domains();
    }

    /** The IP Profiler's block list ({@code portcullis.ipprofiler.blocks.v1}), kept in memory and enforced. */
    IpBlocklist ipBlocklist();

    interface IpBlocklist {
        /** Read the block topic and enforce it (421 at connect, 550 at RCPT); off, no client IP is blocked. */
        @WithDefault("true")
        boolean enabled();

        /** Longest wait of one poll of the block topic: how soon a new block or lift is seen (10ms..1m). */
        @WithDefault("1S")
        Duration pollInterval();

        /** How often the topic's partitions are looked up again (a topic created or grown after start-up). */
        @WithDefault("30S")
        Duration rediscoverInterval();
    }

    /** S3 connection (spool bodies). */
    S3 s3();

    interface S3 {
        @WithDefault("http://localhost:9000")
        String endpoint();

        @WithDefault("portcullis")
        String accessKey();

        @WithDefault("portcullis-secret")
        String secretKey();

        @WithDefault("us-east-1")
        String region();
    }
}
