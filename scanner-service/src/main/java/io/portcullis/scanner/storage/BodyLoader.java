package io.portcullis.scanner.storage;

import io.portcullis.contracts.events.BodyRef;
import io.portcullis.scanner.config.ScannerConfig;
import io.portcullis.scanner.mime.BoundedRead;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.io.IOException;
import java.io.InputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.Arrays;
import java.util.HexFormat;
import org.jboss.logging.Logger;

/**
 * Loads the bytes a {@link BodyRef} points to: inline, or from object storage with retries (exponential backoff, capped)
 * for transient errors, by default until storage answers. A missing object, exhausted retries or a SHA-256 mismatch is a {@link BodyUnavailableException},
 * never an empty (clean-looking) body.
 */
@ApplicationScoped
public class BodyLoader {
    private static final Logger LOG = Logger.getLogger(BodyLoader.class);
    private static final Duration MAX_BACKOFF = Duration.ofSeconds(30);

    private final BodyStore store;
    private final long maxBytes;
    private final boolean verifySha256;
    private final int attempts;
    private final Duration backoff;

    @Inject
    public BodyLoader(BodyStore store, ScannerConfig config) {
        this(store, config.scanner().maxQueuedBodyBytes(), config.scanner().verifyBodySha256(),
                config.s3().readAttempts(), config.s3().readBackoff());
    }

    public BodyLoader(BodyStore store, long maxBytes, boolean verifySha256, int attempts, Duration backoff) {
        this.store = store;
        this.maxBytes = maxBytes;
        this.verifySha256 = verifySha256;
        this.attempts = attempts;
        this.backoff = backoff;
    }

    /** @throws IllegalArgumentException when the reference names neither inline bytes nor an object (poison) */
    public LoadedBody load(String messageId, BodyRef ref) throws BodyUnavailableException {
        if (ref == null) {
            throw new IllegalArgumentException("MailReceived without a body reference");
        }
        LoadedBody body;
        if (ref.isInline()) {
            byte[] inline = ref.inline();
            body = inline.length > maxBytes ? new LoadedBody(Arrays.copyOf(inline, (int) maxBytes), true)
                    : new LoadedBody(inline, false);
        } else if (ref.bucket() != null && ref.key() != null) {
            body = fromStore(messageId, ref.bucket(), ref.key());
        } else {
            throw new IllegalArgumentException("body reference has neither inline bytes nor bucket and key");
        }
        if (verifySha256 && !body.truncated() && ref.sha256() != null && !ref.sha256().isBlank()) {
            String actual = sha256(body.bytes());
            if (!actual.equalsIgnoreCase(ref.sha256().trim())) {
                throw new BodyUnavailableException("body of " + messageId + " does not match its SHA-256", null);
            }
        }
        return body;
    }

    private LoadedBody fromStore(String messageId, String bucket, String key) throws BodyUnavailableException {
        Duration delay = backoff;
        IOException last = null;
        for (int attempt = 1; attempts == 0 || attempt <= attempts; attempt++) {
            try (InputStream in = store.open(bucket, key)) {
                BoundedRead read = BoundedRead.of(in, maxBytes);
                if (read.error() != null) {
                    throw read.error();
                }
                return new LoadedBody(read.bytes(), read.exceeded());
            } catch (BodyStore.ObjectMissingException e) {
                throw new BodyUnavailableException("body of " + messageId + " is missing: " + e.getMessage(), e);
            } catch (IOException e) {
                last = e;
                LOG.warnf("reading the body of %s failed (attempt %d of %s): %s", messageId, attempt,
                        attempts == 0 ? "unbounded" : attempts, e.getMessage());
                if (attempts == 0 || attempt < attempts) {
                    sleep(delay);
                    delay = delay.multipliedBy(2).compareTo(MAX_BACKOFF) > 0 ? MAX_BACKOFF : delay.multipliedBy(2);
                }
            }
        }
        throw new BodyUnavailableException("body of " + messageId + " unreadable after " + attempts + " attempts",
                last);
    }

    private static void sleep(Duration d) throws BodyUnavailableException {
        try {
            Thread.sleep(d.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new BodyUnavailableException("interrupted while waiting to retry a body read", e);
        }
    }

    static String sha256(byte[] bytes) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
