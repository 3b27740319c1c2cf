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
}
