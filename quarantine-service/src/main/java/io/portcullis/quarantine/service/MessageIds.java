package io.portcullis.quarantine.service;

import java.util.regex.Pattern;

/**
 * What a message id may look like. Ids become S3 keys and URL path segments, so only a safe alphabet is accepted:
 * letters, digits, '.', '_', '-', 1 to 128 characters, starting with a letter or digit, no "..".
 */
public final class MessageIds {
    private static final Pattern SAFE = Pattern.compile("^[A-Za-z0-9][A-Za-z0-9._-]{0,127}$");

    private MessageIds() {
    }

    public static boolean isValid(String messageId) {
        return messageId != null && SAFE.matcher(messageId).matches() && !messageId.contains("..");
    }

    /** A quarantine item id: a message id, or {@code <message id>.q<n>} for the n-th quarantined group. */
    public static boolean isValidItemId(String itemId) {
        if (itemId == null) {
            return false;
        }
        int q = itemId.lastIndexOf(".q");
        if (q > 0 && itemId.length() - q <= 6 && itemId.substring(q + 2).matches("[1-9][0-9]{0,3}")) {
            return isValid(itemId.substring(0, q));
        }
        return isValid(itemId);
    }

    /** The id of the n-th (1-based) quarantined group of a message. */
    public static String itemId(String messageId, int ordinal) {
        if (ordinal < 1 || ordinal > 9999) {
            throw new IllegalArgumentException("group ordinal out of range: " + ordinal);
        }
        return ordinal == 1 ? messageId : messageId + ".q" + ordinal;
    }
}
