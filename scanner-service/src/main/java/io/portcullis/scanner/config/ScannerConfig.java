package io.portcullis.scanner.config;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

/**
 * All configuration of a scanner worker. Keys are {@code portcullis.<group>.<key>}; environment variables are
 * mapped in application.properties. Values are checked at start-up ({@link ScannerConfigCheck}).
 */
@ConfigMapping(prefix = "portcullis")
public interface ScannerConfig {

    /** Scanning: size limits, engines, decomposition limits. */
    Scanner scanner();

    /** Where policy-service is and how often the snapshot is refreshed. */
    Policy policy();

    /** Object storage holding bodies too large to travel inline. */
    S3 s3();

    interface Scanner {
        /** Largest message accepted by {@code POST /api/v1/scan}, in bytes (413 above it). */
        @WithDefault("26214400")
        long maxMessageBytes();

        /**
         * Largest body loaded for a {@code MailReceived} record, in bytes. Larger bodies are scanned up to this size
         * and get a MIME_LIMIT failure finding. Above the edge's 25 MiB to leave room for its Received header.
         */
        @WithDefault("27262976")
        long maxQueuedBodyBytes();

        /** Whether a loaded body must match the SHA-256 in its BodyRef (a mismatch is never scanned). */
        @WithDefault("true")
        boolean verifyBodySha256();

        /** Time allowed to each engine per message; a slower engine yields its failure symbol. */
        @WithDefault("30S")
        Duration engineTimeout();

        /** Threads running engines (shared by all messages in flight). */
        @WithDefault("8")
        int engineThreads();

        /** Limits of MIME and archive decomposition. */
        Limits limits();

        /** Signature databases of the antivirus engine (in addition to the bundled base database). */
        Signatures signatures();

        /** The optional second antivirus engine: a clamd daemon over INSTREAM. */
        Clamd clamd();

        /** Smart Scan: whole-file hashes asked from the central hash-reputation service instead of held locally. */
        SmartScan smartScan();

        /** Limits of the active-content engines (macros, PDF, HTML). */
        ActiveContent activeContent();

        /** Email reputation: DNS blocklist lookups of the client IP and of link domains. */
        Dnsbl dnsbl();

        /** The statistical spam classifier (Robinson-Fisher Bayes, spam-engine). */
        Bayes bayes();

        /** Safe and blocked senders from the policy snapshot. */
        SenderLists senderLists();

        /** Sender authentication: SPF, DKIM and DMARC. */
        Auth auth();

        /** The spam rule engine (header, body, URI, raw and meta rules; spam-engine's rule files). */
        Rules rules();

        /** Text extraction for content rules (subject, body, attachment text through Apache Tika). */
        Text text();

        /** The rescan of messages released from quarantine (see docs/adr/0010-release-rescan.md). */
        Release release();
    }

    interface Release {
        /**
         * Finding categories that make a released message a threat on rescan: it goes back to quarantine (area
         * {@code virus}) instead of being delivered. Only signature-driven classes by default; SPAM, INFO and FAILURE
         * are not allowed here (a failure is never clean and has its own path).
         */
        @WithDefault("VIRUS,GRAYWARE")
        List<io.portcullis.contracts.scan.Category> threatCategories();

        /** Scans tried when an engine fails or times out, before the release goes back to quarantine as unscannable. */
        @WithDefault("3")
        int attempts();

        /** Wait before the first repeated scan after an engine failure; doubled for each further one. */
        @WithDefault("2S")
        Duration retryDelay();

        /** Releases remembered as already rescanned, so a duplicated RELEASED record is not delivered twice. */
        @WithDefault("100000")
        int dedupeMaxEntries();

        /** How long a rescanned release is remembered (see {@code dedupe-max-entries}). */
        @WithDefault("24H")
        Duration dedupeTtl();
    }

    interface Text {
        /** Characters of text kept per body part or attachment (TRUNCATED beyond; Tika's write limit, never buffered). */
        @WithDefault("1000000")
        int maxAttachmentChars();

        /** Characters of text kept per message, body and attachments together (the rest is LIMIT or TRUNCATED). */
        @WithDefault("4000000")
        int maxMessageChars();

        /**
         * Bytes of one body part or attachment handed to Tika: text is cut to this size (TRUNCATED), any other larger
         * item is not parsed (LIMIT).
         */
        @WithDefault("10485760")
        long maxAttachmentBytes();

        /** Time for extracting the text of one body part or attachment (TIMEOUT beyond). */
        @WithDefault("10S")
        Duration attachmentTimeout();

        /** Time for extracting all text of one message (parts not done by then are TIMEOUT). */
        @WithDefault("30S")
        Duration messageTimeout();

        /**
         * Deepest item whose text is extracted: 1 for MIME parts, +1 per archive layer, and +1 per document embedded
         * in a document (deeper ones are LIMIT, or TRUNCATED for an embedded document).
         */
        @WithDefault("5")
        int maxDepth();

        /** Attachments, archive entries and embedded documents extracted per message (LIMIT or TRUNCATED beyond). */
        @WithDefault("200")
        int maxEmbedded();

        /** Threads running Tika parses (shared by all messages in flight). */
        @WithDefault("2")
        int threads();

        /**
         * Parses waiting for a thread; beyond it a part is FAILED at once ("extraction busy"), so a parser that never
         * returns cannot pile up work.
         */
        @WithDefault("32")
        int queue();
    }

    interface Rules {
        /**
         * Whether the spam rule engine runs (env {@code PORTCULLIS_SPAM_RULES}). Off: it is not run at all (no result,
         * not a clean one) and no rules are loaded.
         */
        @WithDefault("true")
        boolean enabled();

        /**
         * Directories whose {@code *.cf} rule files are applied after the shipped rules, in directory then file-name
         * order, comma-separated (env {@code PORTCULLIS_SPAM_RULE_DIRS}); none by default. A later file may redefine a
         * rule or set its score. A missing directory or a bad file fails start-up; later a bad file keeps the set in
         * use (see {@code GET /api/v1/spam/rules/status}).
         */
        Optional<List<Path>> dirs();

        /** How often the directories are checked for changed, added or removed files. */
        @WithDefault("10S")
        Duration reloadInterval();

        /** Time for evaluating the rules on one message (RULES_FAIL beyond); below {@code engine-timeout}. */
        @WithDefault("5S")
        Duration timeout();
    }

    interface SenderLists {
        /**
         * Whether the sender-list engine runs (env {@code PORTCULLIS_SCANNER_SENDER_LISTS_ENABLED}). Off: it is not
         * run at all, so no message is reported as from a safe or blocked sender.
         */
        @WithDefault("true")
        boolean enabled();
    }

    interface Auth {
        /**
         * Whether the SPF/DKIM/DMARC engine runs (env {@code PORTCULLIS_AUTH}). Off: it is not run at all (no
         * result, not a clean one).
         */
        @WithDefault("true")
        boolean enabled();

        /**
         * The DNS server asked, {@code host:port} ({@code [v6]:port} for IPv6; port 53 when omitted). Default: the
         * system resolvers (/etc/resolv.conf).
         */
        Optional<String> resolver();

        /** Time for one DNS query (the check it belongs to is TEMPERROR beyond, never a pass). */
        @WithDefault("2S")
        Duration timeout();

        /** Time for all SPF, DKIM and DMARC lookups of one message; at least {@code timeout}, below engine-timeout. */
        @WithDefault("5S")
        Duration deadline();

        /** Answers (records, NODATA, NXDOMAIN) kept in the lookup cache. */
        @WithDefault("10000")
        long cacheSize();

        /** Longest time an answer is cached; the record's TTL (or the zone's negative TTL) wins when shorter. */
        @WithDefault("10M")
        Duration cacheTtl();

        /** DKIM-Signature fields verified per message (from the top); the others are not looked at. */
        @WithDefault("5")
        int maxSignatures();
    }

    interface Bayes {
        /**
         * Whether the Bayes engine runs (env {@code PORTCULLIS_BAYES}). Off: it is not run at all (no result, not a
         * clean one) and no model is loaded.
         */
        @WithDefault("true")
        boolean enabled();

        /**
         * Model file written by {@code ./portcullis spam train --out FILE}, loaded once at start-up (a missing, bad,
         * corrupt or other-version file fails start-up). Default: the shipped model, classpath resource
         * {@code spam/portcullis-spam.model}.
         */
        Optional<Path> model();

        /** Learned counts from feedback on top of the model (policy-service's spam learner). */
        Learning learning();
    }

    interface Learning {
        /**
         * Whether learned counts are used (env {@code PORTCULLIS_SPAM_LEARNING}): fetched per tenant from
         * policy-service at start-up and followed on portcullis.spam.model.v1. Off: the shipped model alone.
         */
        @WithDefault("true")
        boolean enabled();

        /**
         * Kafka consumer group of this instance on portcullis.spam.model.v1 (env
         * {@code PORTCULLIS_SPAM_MODEL_GROUP_ID}); must differ per instance so that every scanner applies every
         * update. Default in application.properties: {@code portcullis-scanner-spam-<random uuid>}.
         */
        @WithDefault("portcullis-scanner-spam")
        String groupId();

        /**
         * How long the mail pipeline waits at start-up for the first fetch of the learned counts (success or a first
         * failure) before scanning with what it holds, so that mail after a restart is not scored without them.
         */
        @WithDefault("10S")
        Duration startupWait();

        /** Connect and read timeout of {@code GET /api/v1/spam/learned}. */
        @WithDefault("30S")
        Duration timeout();

        /** First delay before retrying a failed fetch; doubled after each failure up to {@code max-backoff}. */
        @WithDefault("2S")
        Duration retryBackoff();

        /** Longest delay between fetch retries. */
        @WithDefault("2M")
        Duration maxBackoff();

        /** Largest learned-counts answer accepted, in bytes (a bigger answer is a failed fetch). */
        @WithDefault("268435456")
        long maxFetchBytes();
    }

    interface Dnsbl {
        /**
         * Whether the DNS blocklist engine runs (env {@code PORTCULLIS_DNSBL}). Off: it is not run at all (no
         * result, not a clean one).
         */
        @WithDefault("false")
        boolean enabled();

        /**
         * The DNS server asked, {@code host:port} ({@code [v6]:port} for IPv6; port 53 when omitted). Default: the
         * system resolvers (/etc/resolv.conf). Use a resolver of your own: public resolvers are refused by Spamhaus.
         */
        Optional<String> resolver();

        /**
         * Zones the client IP is looked up in (reversed octets or IPv6 nibbles), comma-separated
         * {@code zone=SYMBOL:score}, e.g. {@code zen.spamhaus.org=RBL_ZEN:4}. None by default.
         */
        Optional<List<String>> ipZones();

        /**
         * Zones the domains of links in text parts are looked up in (host and its parents down to the registrable
         * domain), comma-separated {@code zone=SYMBOL:score}, e.g. {@code dbl.spamhaus.org=URIBL_DBL:5}. None by
         * default.
         */
        Optional<List<String>> domainZones();

        /** Time for one DNS query (DNSBL_TIMEOUT beyond, never a listing and never clean). */
        @WithDefault("2S")
        Duration timeout();

        /** Time for all lookups of one message; must be below {@code engine-timeout} and at least {@code timeout}. */
        @WithDefault("4S")
        Duration deadline();

        /** Distinct domain names (hosts and parents) looked up per message; the rest are not looked up. */
        @WithDefault("20")
        int maxDomains();

        /** Bytes of one text part searched for links. */
        @WithDefault("1048576")
        int maxScanBytes();

        /** Answers (listed and not listed) kept in the lookup cache. */
        @WithDefault("10000")
        long cacheSize();

        /** Longest time an answer is cached; the record's TTL (or the zone's negative TTL) wins when shorter. */
        @WithDefault("10M")
        Duration cacheTtl();
    }

    interface Clamd {
        /**
         * Whether the clamd engine runs (env {@code PORTCULLIS_CLAMD}). Off: it is not run at all (no result, not a
         * clean one).
         */
        @WithDefault("false")
        boolean enabled();

        /**
         * Where clamd listens: {@code tcp:host:port} or {@code unix:/absolute/path/clamd.ctl} (env
         * {@code PORTCULLIS_CLAMD_ADDRESS}); the default is Debian's clamav-daemon socket. Checked at start-up when
         * enabled.
         */
        @WithDefault("unix:/var/run/clamav/clamd.ctl")
        String address();

        /**
         * Time for one clamd request: connect, stream the message, read the reply (CLAMD_FAIL beyond). The lower of
         * this and {@code engine-timeout} wins.
         */
        @WithDefault("30S")
        Duration timeout();

        /**
         * Largest raw message streamed to clamd, in bytes; keep it at most clamd's {@code StreamMaxLength} (25 MB by
         * default). A larger message is not sent and gets a CLAMD_LIMIT failure finding.
         */
        @WithDefault("26214400")
        long maxStreamBytes();
    }

    interface ActiveContent {
        /** PDFs larger than this are not parsed (PDF_UNPARSABLE), only token-scanned. */
        @WithDefault("52428800")
        long pdfMaxBytes();

        /** Bytes of an HTML item parsed; the rest is not inspected (HTML_LIMIT). */
        @WithDefault("10485760")
        int htmlMaxBytes();

        /** Decompressed VBA source read per macro project for the auto-exec and suspicious-call notes. */
        @WithDefault("4194304")
        int macroMaxSourceBytes();
    }

    interface Signatures {
        /**
         * Directories whose {@code *.hdb/*.hsb/*.ndb/*.ldb/*.cvd/*.cld} files are loaded at start-up, comma-separated
         * (env {@code PORTCULLIS_SIGNATURE_DIRS}); none by default. A missing directory or a bad database fails start-up.
         */
        Optional<List<Path>> dirs();

        /** Live signature updates: the active bundle from policy-service and S3, announced on portcullis.signatures.v1. */
        Updates updates();
    }

    interface Updates {
        /**
         * Whether the active signature bundle is fetched at start-up, polled and followed on the signatures topic
         * (env {@code PORTCULLIS_SIGNATURE_UPDATES}). Off: only the bundled base database and {@code dirs}.
         */
        @WithDefault("true")
        boolean enabled();

        /** The only bucket bundles are read from (announcements naming another bucket are refused). */
        @WithDefault("portcullis-signatures")
        String bucket();

        /**
         * Kafka consumer group of this instance on portcullis.signatures.v1 (env
         * {@code PORTCULLIS_SIGNATURES_GROUP_ID}); must differ per instance so that every scanner sees every event.
         * Default in application.properties: {@code portcullis-scanner-signatures-<random uuid>}.
         */
        String groupId();

        /**
         * How often the active bundle is also asked from policy-service (a safety net for announcements missed while
         * down; it is also asked whenever the announcement consumer gets its partitions).
         */
        @WithDefault("1M")
        Duration pollInterval();

        /**
         * How long the mail pipeline waits at start-up for the active bundle before scanning with what it has (the
         * bundled base set): after a restart, mail is not scanned with an almost empty pattern file while the real one
         * loads. Not waited for when updates are off.
         */
        @WithDefault("60S")
        Duration startupWait();

        /** Connect and read timeout of {@code GET /api/v1/signatures/active}. */
        @WithDefault("10S")
        Duration timeout();

        /** First delay before retrying a failed load or lookup; doubled after each failure up to {@code max-backoff}. */
        @WithDefault("5S")
        Duration retryBackoff();

        /** Longest delay between retries. */
        @WithDefault("5M")
        Duration maxBackoff();

        /**
         * Load attempts of one announced version before giving up on it (the current set stays; the next poll or
         * announcement starts again).
         */
        @WithDefault("10")
        int maxAttempts();

        /** Largest bundle object accepted, in bytes (larger announcements are refused before downloading). */
        @WithDefault("536870912")
        long maxBundleBytes();
    }

    interface SmartScan {
        /**
         * Whether Smart Scan is on (env {@code PORTCULLIS_SMART_SCAN}): signature databases are loaded without their
         * whole-file hash signatures, and every item's MD5/SHA-1/SHA-256 is asked from policy-service
         * ({@code POST /api/v1/reputation/files}) through a local cache. Unanswered items get AV_SMART_SCAN_FAIL.
         */
        @WithDefault("false")
        boolean enabled();

        /** Entries (file hash and size → verdict) in the local reputation cache. */
        @WithDefault("100000")
        long cacheSize();

        /** How long a cached verdict is used (the cache is also cleared when the central version changes). */
        @WithDefault("1H")
        Duration cacheTtl();

        /** Connect and read timeout of one reputation request. */
        @WithDefault("5S")
        Duration timeout();
    }

    interface Limits {
        /** Deepest item: 1 for MIME parts, +1 per archive layer (ARCHIVE_DEPTH beyond). */
        @WithDefault("10")
        int maxDepth();

        /** Total decoded bytes of all parts and archive entries of one message (ARCHIVE_EXPANDED beyond). */
        @WithDefault("104857600")
        long maxTotalBytes();

        /** Archive entries per message, all archives together (ARCHIVE_ENTRIES beyond). */
        @WithDefault("10000")
        int maxArchiveEntries();

        /** Decoded bytes of one part or archive entry (scanned up to this size, limit finding beyond). */
        @WithDefault("26214400")
        long maxItemBytes();

        /** MIME entities (body parts and embedded messages) per message (MIME_LIMIT beyond). */
        @WithDefault("1000")
        int maxMimeParts();

        /** Header fields per MIME entity (MIME_LIMIT beyond). */
        @WithDefault("1000")
        int maxHeaderCount();

        /** Length of one header field including folded lines, in bytes (MIME_LIMIT beyond). */
        @WithDefault("65536")
        int maxHeaderBytes();

        /** Length of one line read by the MIME parser, in bytes (MIME_LIMIT beyond). */
        @WithDefault("65536")
        int maxLineBytes();

        /** Highest compression ratio (expanded : compressed) of one archive entry (ARCHIVE_RATIO beyond). */
        @WithDefault("100")
        int maxRatio();

        /** Entries expanding to at most this many bytes are never ratio findings (small files compress well). */
        @WithDefault("65536")
        long ratioMinBytes();

        /**
         * Time budget for unpacking the archives of one message, counted from the start of its decomposition
         * (ARCHIVE_TIME beyond; the rest is not unpacked).
         */
        @WithDefault("30S")
        Duration maxUnpackTime();
    }

    interface Policy {
        /** Base URL of policy-service ({@code GET /api/v1/policy/snapshot}). */
        @WithDefault("http://localhost:8083")
        String url();

        /** Refresh interval once a snapshot is loaded (in addition to PolicyChanged events). */
        @WithDefault("30S")
        Duration refreshInterval();

        /** Retry interval while still on the built-in default snapshot. */
        @WithDefault("5S")
        Duration retryInterval();

        /** Connect and read timeout of a snapshot fetch. */
        @WithDefault("5S")
        Duration timeout();

        /**
         * How long an address's aliases and directory groups (for rule scopes, from policy-service's
         * {@code GET /api/v1/directory/lookup}) are reused; unknown addresses are cached as long.
         */
        @WithDefault("60S")
        Duration directoryCacheTtl();

        /** Timeout of one directory look-up; a timeout counts as the directory being unavailable. */
        @WithDefault("2S")
        Duration directoryTimeout();
    }

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

        /** S3 region. */
        @WithDefault("us-east-1")
        String region();

        /** Bucket the edge spools large bodies to (checked by readiness). */
        @WithDefault("portcullis-spool")
        String spoolBucket();

        /**
         * Attempts to read a body before the record is nacked (dead-lettered, never delivered); 0 means retry until
         * object storage answers, holding the record unacknowledged (the default: an outage pauses scanning of
         * spooled bodies instead of dead-lettering mail that was already accepted).
         */
        @WithDefault("0")
        int readAttempts();

        /** First delay between read attempts; doubled after each failure. */
        @WithDefault("1S")
        Duration readBackoff();
    }
}
