package io.portcullis.quarantine.service;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Base64;

/**
 * A keyset position in the newest-first order {@code (quarantinedAt DESC, itemId DESC)}: the next page starts after
 * it. Its text form is opaque to clients (base64url of {@code <epoch micros>:<itemId>}).
 */
public record Cursor(Instant quarantinedAt, String itemId) {
    private static final int MAX_TEXT = 300;

    public static Cursor after(Instant quarantinedAt, String itemId) {
        return new Cursor(quarantinedAt.truncatedTo(ChronoUnit.MICROS), itemId);
    }

    public String encode() {
        long micros = ChronoUnit.MICROS.between(Instant.EPOCH, quarantinedAt);
        return Base64.getUrlEncoder().withoutPadding()
                .encodeToString((micros + ":" + itemId).getBytes(StandardCharsets.US_ASCII));
    }

    /** @throws QuarantineProblem INVALID naming {@code cursor} for anything this class did not encode */
    public static Cursor decode(String text) {
        try {
            if (text == null || text.length() > MAX_TEXT) {
                throw new IllegalArgumentException();
            }
            String plain = new String(Base64.getUrlDecoder().decode(text), StandardCharsets.US_ASCII);
            int colon = plain.indexOf(':');
            long micros = Long.parseLong(plain.substring(0, colon));
            String itemId = plain.substring(colon + 1);
            if (!MessageIds.isValidItemId(itemId)) {
                throw new IllegalArgumentException();
            }
            return new Cursor(Instant.EPOCH.plus(micros, ChronoUnit.MICROS), itemId);
        } catch (RuntimeException e) {
            throw QuarantineProblem.invalid("cursor", "cursor is not one this service handed out");
        }
    }
}
