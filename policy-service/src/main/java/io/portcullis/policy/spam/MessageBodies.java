package io.portcullis.policy.spam;

import io.portcullis.contracts.events.BodyRef;
import io.portcullis.policy.config.PolicyConfig;
import io.portcullis.policy.storage.ObjectNotFoundException;
import io.portcullis.policy.storage.ObjectStore;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;

/**
 * Reads the bytes of a judged message from its {@link BodyRef}: inline, or from S3 (only from the configured
 * {@code read-buckets}), at most {@code max-message-bytes}, checked against the reference's size and SHA-256.
 * A body that is too large, missing, elsewhere or corrupt is a {@link LearnFailure}; S3 being unreachable is an
 * {@link io.portcullis.policy.storage.ObjectStoreException} (transient, the caller retries).
 */
@ApplicationScoped
public class MessageBodies {
    private final ObjectStore store;
    private final long maxBytes;
    private final List<String> buckets;

    @Inject
    public MessageBodies(ObjectStore store, PolicyConfig config) {
        this(store, config.spamLearning().maxMessageBytes().asLongValue(), config.spamLearning().readBuckets());
    }

    MessageBodies(ObjectStore store, long maxBytes, List<String> buckets) {
        this.store = store;
        this.maxBytes = maxBytes;
        this.buckets = List.copyOf(buckets);
    }

    public byte[] read(String messageId, BodyRef ref) {
        if (ref.size() > maxBytes) {
            throw new LearnFailure("message " + messageId + " is " + ref.size() + " bytes, larger than the learning "
                    + "limit of " + maxBytes + " bytes (portcullis.policy.spam-learning.max-message-bytes)");
        }
        byte[] bytes;
        if (ref.isInline()) {
            bytes = ref.inline();
        } else {
            if (!buckets.contains(ref.bucket())) {
                throw new LearnFailure("message " + messageId + ": body in bucket " + ref.bucket()
                        + " refused (not in portcullis.policy.spam-learning.read-buckets)");
            }
            bytes = fetch(messageId, ref);
        }
        if (bytes.length > maxBytes) {
            throw new LearnFailure("message " + messageId + " is larger than the learning limit of " + maxBytes
                    + " bytes");
        }
        if (ref.size() >= 0 && bytes.length != ref.size()) {
            throw new LearnFailure("message " + messageId + ": body has " + bytes.length + " bytes, its reference says "
                    + ref.size());
        }
        if (ref.sha256() != null && !ref.sha256().isBlank()
                && !sha256(bytes).equals(ref.sha256().toLowerCase(Locale.ROOT))) {
            throw new LearnFailure("message " + messageId + ": body SHA-256 does not match its reference");
        }
        return bytes;
    }

    private byte[] fetch(String messageId, BodyRef ref) {
        try (InputStream in = store.open(ref.bucket(), ref.key())) {
            byte[] bytes = in.readNBytes((int) Math.min(Integer.MAX_VALUE - 8, maxBytes + 1));
            if (bytes.length > maxBytes) {
                throw new LearnFailure("message " + messageId + " is larger than the learning limit of " + maxBytes
                        + " bytes");
            }
            return bytes;
        } catch (ObjectNotFoundException e) {
            throw new LearnFailure("message " + messageId + ": body " + ref.bucket() + "/" + ref.key()
                    + " not found in object storage", e);
        } catch (IOException e) {
            throw new UncheckedIOException("reading the body of message " + messageId + " failed", e);
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
