package io.portcullis.policy.spam;

import io.opentelemetry.instrumentation.annotations.WithSpan;
import io.portcullis.contracts.events.BodyRef;
import io.portcullis.contracts.events.EventJson;
import io.portcullis.contracts.events.SpamFeedback;
import io.portcullis.contracts.events.Topics;
import io.portcullis.policy.config.PolicyConfig;
import io.portcullis.policy.service.InvalidPolicyException;
import io.portcullis.policy.service.TooLargeException;
import io.portcullis.policy.service.UnavailableException;
import io.portcullis.policy.storage.ObjectStore;
import io.portcullis.policy.storage.ObjectStoreException;
import io.smallrye.reactive.messaging.kafka.api.OutgoingKafkaRecordMetadata;
import jakarta.enterprise.context.ApplicationScoped;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.DigestOutputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.HexFormat;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.regex.Pattern;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.eclipse.microprofile.reactive.messaging.Channel;
import org.eclipse.microprofile.reactive.messaging.Emitter;
import org.eclipse.microprofile.reactive.messaging.Message;
import org.eclipse.microprofile.reactive.messaging.Metadata;
import org.jboss.logging.Logger;

/**
 * {@code POST /api/v1/spam/feedback}: a reported message (raw RFC 822) is checked, stored in S3 bucket
 * {@code portcullis-feedback} first, then announced as a {@link SpamFeedback} event, which is the source of truth:
 * the spam learner consumes it like any other judgement. Nothing is written to PostgreSQL here, so there is no dual
 * write. The answer comes only after Kafka acknowledged the event.
 */
@ApplicationScoped
public class FeedbackIntake {
    /** Outgoing channel (topic portcullis.spam.feedback.v1). */
    public static final String CHANNEL = "spam-feedback-out";
    /** Message ids a report may name: like queue ids, no separators or control characters. */
    public static final Pattern MESSAGE_ID = Pattern.compile("^[A-Za-z0-9][A-Za-z0-9._@+:-]{0,254}$");
    /** Actors: user or admin names. */
    public static final Pattern ACTOR = Pattern.compile("^[A-Za-z0-9][A-Za-z0-9._@+-]{0,127}$");
    /** Bytes of the header section looked at to decide whether the body is a message at all. */
    static final int HEADER_PEEK = 64 * 1024;
    private static final Pattern FIELD = Pattern.compile("^[!-9;-~]{1,100}:.*", Pattern.DOTALL);
    private static final DateTimeFormatter DAY = DateTimeFormatter.ofPattern("yyyy/MM/dd").withZone(ZoneOffset.UTC);
    private static final Logger LOG = Logger.getLogger(FeedbackIntake.class);

    /**
     * What was accepted.
     *
     * @param feedbackId the judgement's id
     * @param messageId  the message id it is learned under
     * @param tenant     the message's tenant
     * @param label      {@code spam} or {@code ham}
     * @param bucket     where the message is stored
     * @param key        its object key
     * @param size       its size in bytes
     * @param sha256     its SHA-256
     */
    public record Accepted(String feedbackId, String messageId, String tenant, String label, String bucket,
            String key, long size, String sha256) {
    }

    private final Emitter<byte[]> emitter;
    private final ObjectStore store;
    private final String bucket;
    private final long maxBytes;
    private final String defaultTenant;
    private final java.time.Duration publishTimeout;
    private final Clock clock = Clock.systemUTC();
    private volatile boolean bucketReady;

    public FeedbackIntake(@Channel(CHANNEL) Emitter<byte[]> emitter, ObjectStore store, PolicyConfig config) {
        this.emitter = emitter;
        this.store = store;
        this.bucket = config.spamLearning().bucket();
        this.maxBytes = config.spamLearning().maxMessageBytes().asLongValue();
        this.defaultTenant = config.tenant();
        this.publishTimeout = config.spamLearning().publishTimeout();
        if (maxBytes < 1) {
            throw new IllegalArgumentException("portcullis.policy.spam-learning.max-message-bytes must be positive");
        }
        if (!bucket.matches("^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$")) {
            throw new IllegalArgumentException("portcullis.policy.spam-learning.bucket is not a valid bucket name: "
                    + bucket);
        }
        if (!config.spamLearning().readBuckets().contains(bucket)) {
            throw new IllegalArgumentException("portcullis.policy.spam-learning.read-buckets must contain the "
                    + "feedback bucket " + bucket);
        }
    }

    /** Parses the label parameter: {@code spam} or {@code ham}, any case. */
    public static SpamFeedback.Label label(String value) {
        if (value == null || value.isBlank()) {
            throw new InvalidPolicyException("label", "label is required: spam or ham");
        }
        return switch (value.toLowerCase(Locale.ROOT)) {
            case "spam" -> SpamFeedback.Label.SPAM;
            case "ham" -> SpamFeedback.Label.HAM;
            default -> throw new InvalidPolicyException("label", "label must be spam or ham");
        };
    }

    /** Parses the source parameter: {@code user_report} (default) or {@code admin}; releases only come from Kafka. */
    public static SpamFeedback.Source source(String value) {
        if (value == null) {
            return SpamFeedback.Source.USER_REPORT;
        }
        return switch (value.toLowerCase(Locale.ROOT)) {
            case "user_report" -> SpamFeedback.Source.USER_REPORT;
            case "admin" -> SpamFeedback.Source.ADMIN;
            default -> throw new InvalidPolicyException("source", "source must be user_report or admin");
        };
    }

    /** A tenant parameter, or this instance's tenant when absent. */
    public String tenant(String value) {
        if (value == null) {
            return defaultTenant;
        }
        if (!Judgement.TENANT.matcher(value).matches()) {
            throw new InvalidPolicyException("tenant", "tenant must be 1-64 of A-Z a-z 0-9 . _ -");
        }
        return value;
    }

    /**
     * Checks, stores and announces one reported message.
     *
     * @param messageId the message judged, or null: then {@code report-<first 32 hex digits of its SHA-256>}, so the
     *                  same file reported twice is learned once
     */
    @WithSpan("FeedbackIntake.accept")
    public Accepted accept(SpamFeedback.Label label, String tenant, String messageId, SpamFeedback.Source source,
            String actor, InputStream body) {
        if (messageId != null && !MESSAGE_ID.matcher(messageId).matches()) {
            throw new InvalidPolicyException("messageId", "messageId must be 1-255 of A-Z a-z 0-9 . _ @ + : - "
                    + "starting with a letter or digit");
        }
        String who = actor == null ? "api" : actor;
        if (!ACTOR.matcher(who).matches()) {
            throw new InvalidPolicyException("actor", "actor must be 1-128 of A-Z a-z 0-9 . _ @ + -");
        }
        if (body == null) {
            throw new InvalidPolicyException("body", "the raw message is required as the request body");
        }
        Path file = tempFile();
        try {
            Copied copied = copy(body, file);
            if (copied.size() == 0) {
                throw new InvalidPolicyException("body", "the raw message is empty");
            }
            requireMessage(file);
            String id = messageId != null ? messageId : "report-" + copied.sha256().substring(0, 32);
            String feedbackId = UUID.randomUUID().toString();
            Instant now = clock.instant();
            String key = DAY.format(now) + "/" + feedbackId + ".eml";
            storeFile(key, file, copied, feedbackId);
            SpamFeedback event = new SpamFeedback(feedbackId, id, tenant, now, label, source, who,
                    BodyRef.stored(bucket, key, copied.size(), copied.sha256()));
            publish(event);
            LOG.infof("spam feedback %s accepted: message %s, tenant %s, %s, %d bytes (%s)", feedbackId, id, tenant,
                    label, copied.size(), source);
            return new Accepted(feedbackId, id, tenant, label.name().toLowerCase(Locale.ROOT), bucket, key,
                    copied.size(), copied.sha256());
        } finally {
            try {
                Files.deleteIfExists(file);
            } catch (IOException e) {
                LOG.warnf("temporary feedback file %s not deleted: %s", file, e.getMessage());
            }
        }
    }

    private record Copied(long size, String sha256) {
    }

    /** Streams the body into the file, counting and hashing; 413 as soon as it passes the limit. */
    private Copied copy(InputStream body, Path file) {
        MessageDigest sha;
        try {
            sha = MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
        long size = 0;
        byte[] buf = new byte[1 << 16];
        try (OutputStream out = new DigestOutputStream(Files.newOutputStream(file), sha)) {
            int n;
            while ((n = body.read(buf)) > 0) {
                size += n;
                if (size > maxBytes) {
                    throw new TooLargeException("body", "the message is larger than the limit of " + maxBytes
                            + " bytes (portcullis.policy.spam-learning.max-message-bytes)");
                }
                out.write(buf, 0, n);
            }
        } catch (IOException e) {
            throw new InvalidPolicyException("body", "the request body could not be read completely");
        }
        return new Copied(size, HexFormat.of().formatHex(sha.digest()));
    }

    /**
     * The body must look like an RFC 822 message: an optional mbox {@code From } line, then a header field
     * ({@code Name: value}) first, no NUL byte in the header section.
     */
    private static void requireMessage(Path file) {
        byte[] head;
        try (InputStream in = Files.newInputStream(file)) {
            head = in.readNBytes(HEADER_PEEK);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        String text = new String(head, StandardCharsets.ISO_8859_1);
        int start = text.startsWith("From ") ? text.indexOf('\n') + 1 : 0;
        if (start <= 0 && text.startsWith("From ")) {
            throw new InvalidPolicyException("body", "not an RFC 822 message: no header after the mbox From line");
        }
        int end = text.indexOf("\n\n", start);
        int crlf = text.indexOf("\r\n\r\n", start);
        if (crlf >= 0 && (end < 0 || crlf < end)) {
            end = crlf;
        }
        String headers = text.substring(start, end < 0 ? text.length() : end);
        if (headers.indexOf('\0') >= 0) {
            throw new InvalidPolicyException("body", "not an RFC 822 message: NUL byte in the header section");
        }
        String first = headers.lines().findFirst().orElse("");
        if (!FIELD.matcher(first).matches()) {
            throw new InvalidPolicyException("body", "not an RFC 822 message: it must start with a header field "
                    + "(Name: value)");
        }
    }

    private void storeFile(String key, Path file, Copied copied, String feedbackId) {
        try {
            if (!bucketReady) {
                store.createBucketIfMissing(bucket);
                bucketReady = true;
            }
            store.put(bucket, key, file, "message/rfc822", Map.of("sha256", copied.sha256(), "feedback-id",
                    feedbackId));
        } catch (ObjectStoreException e) {
            throw new UnavailableException("object storage unavailable, feedback not stored: " + e.getMessage());
        }
    }

    private void publish(SpamFeedback event) {
        CompletableFuture<Void> acked = new CompletableFuture<>();
        Message<byte[]> message = Message.of(EventJson.write(event),
                Metadata.of(OutgoingKafkaRecordMetadata.<String>builder().withKey(event.messageId())
                        .withHeaders(new RecordHeaders().add(Topics.HEADER_MESSAGE_ID,
                                event.messageId().getBytes(StandardCharsets.UTF_8)))
                        .build()),
                () -> {
                    acked.complete(null);
                    return CompletableFuture.completedFuture(null);
                },
                failure -> {
                    acked.completeExceptionally(failure);
                    return CompletableFuture.completedFuture(null);
                });
        try {
            emitter.send(message);
            acked.get(publishTimeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (ExecutionException | TimeoutException | RuntimeException e) {
            throw new UnavailableException("Kafka did not accept the feedback event (the message is stored, report "
                    + "it again): " + e.getClass().getSimpleName());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new UnavailableException("interrupted while publishing the feedback event");
        }
    }

    private static Path tempFile() {
        try {
            return Files.createTempFile("portcullis-feedback-", ".eml");
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create a temporary feedback file", e);
        }
    }
}
