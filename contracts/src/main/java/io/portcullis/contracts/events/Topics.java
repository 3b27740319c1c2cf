package io.portcullis.contracts.events;

/** Kafka topic names: {@code portcullis.<domain>.<event>.v<N>}, keyed by message id unless a topic says otherwise. */
public final class Topics {
    /** {@link MailReceived}: written by edge-smtp before it answers 250. */
    public static final String MAIL_RECEIVED = "portcullis.mail.received.v1";
    /** {@link VerdictIssued}: written by scanner-service, read by delivery, quarantine and report. */
    public static final String MAIL_VERDICT = "portcullis.mail.verdict.v1";
    /** {@link DeliveryEvent}: attempts, deliveries, deferrals, failures and DSNs. */
    public static final String DELIVERY_EVENTS = "portcullis.delivery.events.v1";
    /**
     * {@link DeliveryRetryScheduled}: delivery's durable retry queue, written and read by edge-smtp delivery
     * (group {@code delivery-retry}) for recipients still temporarily failing after the quick attempts.
     */
    public static final String DELIVERY_RETRY = "portcullis.delivery.retry.v1";
    /** {@link QuarantineEvent}: quarantined, released (read by delivery), deleted. */
    public static final String QUARANTINE_EVENTS = "portcullis.quarantine.events.v1";
    /** {@link PolicyChanged}: published by policy-service (outbox) after every change. */
    public static final String POLICY_CHANGED = "portcullis.policy.changed.v1";
    /**
     * Signature bundle activations ({@link SignatureBundleActivated}), keyed by tenant. Scanners read the active bundle
     * from policy-service at start-up and follow this topic from its end, so it needs no compaction.
     */
    public static final String SIGNATURES = "portcullis.signatures.v1";
    /** {@link SpamFeedback}: releases (ham) and "this is spam" reports, keyed by message id; read by the spam learner. */
    public static final String SPAM_FEEDBACK = "portcullis.spam.feedback.v1";
    /** {@link SpamModelUpdated}: learned token count changes, keyed by tenant, in sequence; read by every scanner. */
    public static final String SPAM_MODEL = "portcullis.spam.model.v1";
    /** {@link RecipientRejected}: RCPTs the edge refused, keyed by client IP; read by the IP Profiler. */
    public static final String SMTP_EVENTS = "portcullis.smtp.events.v1";
    /**
     * {@link IpBlock}: the IP Profiler's block list, compacted, keyed by IP, tombstone = lifted; every edge node reads
     * it whole at start-up and follows it.
     */
    public static final String IP_BLOCKS = "portcullis.ipprofiler.blocks.v1";
    /** {@link IpProfilerCommand}: allow list and unblock instructions, compacted, keyed by IP or CIDR. */
    public static final String IP_PROFILER_CONTROL = "portcullis.ipprofiler.control.v1";
    /** Poison records, with the failing topic and error in headers. Never dropped. */
    public static final String DEAD_LETTER = "portcullis.deadletter.v1";

    /** Kafka header carrying the message id on every record (also the record key). */
    public static final String HEADER_MESSAGE_ID = "portcullis-message-id";

    private Topics() {
    }
}
