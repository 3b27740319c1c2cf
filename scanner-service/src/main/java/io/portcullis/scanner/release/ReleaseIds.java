package io.portcullis.scanner.release;

import io.portcullis.contracts.events.QuarantineEvent;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Locale;
import java.util.TreeSet;

/**
 * The message id of a release's rescan verdict: {@code <messageId>.r<10 hex>}, the hex from the SHA-256 of the
 * released item (its quarantine object) and the released recipients. A new id, because the rescan verdict is a new
 * pass through the pipeline: quarantine-service keys items by the verdict's message id, so a threat found now becomes
 * a new item instead of colliding with the released one, and deliveries and reports of the release are told apart
 * from the original's. The same release (a duplicated record, or the same RELEASED event published twice) always gets
 * the same id, which is what duplicates are recognised by; a later release of other recipients of the item gets
 * another.
 */
public final class ReleaseIds {
    /** Separator between the original message id and the release's hash. */
    public static final String MARKER = ".r";
    /** Longest original id: quarantine-service takes ids of up to 128 characters, the suffix adds 12. */
    static final int MAX_ORIGINAL_ID = 116;

    private ReleaseIds() {
    }

    /** @throws IllegalArgumentException when the event has no message id, body reference or envelope */
    public static String verdictId(QuarantineEvent released) {
        if (released.messageId() == null || released.body() == null || released.envelope() == null) {
            throw new IllegalArgumentException("released event without message id, body or envelope");
        }
        if (released.messageId().length() > MAX_ORIGINAL_ID) {
            throw new IllegalArgumentException("message id of a released message longer than " + MAX_ORIGINAL_ID);
        }
        StringBuilder identity = new StringBuilder();
        identity.append(released.messageId()).append('\n');
        identity.append(released.body().bucket()).append('/').append(released.body().key()).append('\n');
        identity.append(released.body().sha256()).append('\n');
        TreeSet<String> recipients = new TreeSet<>();
        released.envelope().recipients().forEach(r -> recipients.add(r.toLowerCase(Locale.ROOT)));
        recipients.forEach(r -> identity.append(r).append('\n'));
        try {
            byte[] hash = MessageDigest.getInstance("SHA-256").digest(identity.toString()
                    .getBytes(StandardCharsets.UTF_8));
            return released.messageId() + MARKER + HexFormat.of().formatHex(hash).substring(0, 10);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
