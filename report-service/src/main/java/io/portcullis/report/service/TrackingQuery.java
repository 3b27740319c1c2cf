package io.portcullis.report.service;

import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.Locale;

/**
 * A validated tracking query. All filters are optional and combine with AND.
 *
 * @param messageId the queue id, or the Message-ID header value (exact)
 * @param sender    envelope sender, exact, case-insensitive (lower-cased here)
 * @param recipient one envelope recipient, exact, case-insensitive (lower-cased here)
 * @param from      first-seen time at or after (inclusive)
 * @param to        first-seen time before (exclusive)
 * @param limit     most rows, newest first
 */
public record TrackingQuery(String messageId, String sender, String recipient, Instant from, Instant to,
        int limit) {

    static final int MAX_FILTER_LENGTH = 998;

    /** Parses raw query parameters; every failure names its parameter. */
    public static TrackingQuery parse(String messageId, String sender, String recipient, String from, String to,
            String limit, int defaultLimit, int maxLimit) {
        Instant fromAt = instant("from", from);
        Instant toAt = instant("to", to);
        if (fromAt != null && toAt != null && !fromAt.isBefore(toAt)) {
            throw new InvalidQueryException("to", "to must be after from");
        }
        return new TrackingQuery(filter("messageId", messageId, false), filter("sender", sender, true),
                filter("recipient", recipient, true), fromAt, toAt, limit(limit, defaultLimit, maxLimit));
    }

    private static String filter(String name, String value, boolean lowerCase) {
        if (value == null || value.isEmpty()) {
            return null;
        }
        if (value.length() > MAX_FILTER_LENGTH) {
            throw new InvalidQueryException(name, name + " is longer than " + MAX_FILTER_LENGTH + " characters");
        }
        for (int i = 0; i < value.length(); i++) {
            if (Character.isISOControl(value.charAt(i))) {
                throw new InvalidQueryException(name, name + " may not contain control characters");
            }
        }
        return lowerCase ? value.toLowerCase(Locale.ROOT) : value;
    }

    private static Instant instant(String name, String value) {
        if (value == null || value.isEmpty()) {
            return null;
        }
        if (value.length() > 64) {
            throw new InvalidQueryException(name, name + " must be an ISO-8601 instant, e.g. 2026-01-31T12:00:00Z");
        }
        try {
            return Instant.parse(value);
        } catch (DateTimeParseException e) {
            throw new InvalidQueryException(name, name + " must be an ISO-8601 instant, e.g. 2026-01-31T12:00:00Z");
        }
    }

    private static int limit(String value, int defaultLimit, int maxLimit) {
        if (value == null || value.isEmpty()) {
            return defaultLimit;
        }
        int limit;
        try {
            limit = Integer.parseInt(value);
        } catch (NumberFormatException e) {
            throw new InvalidQueryException("limit", "limit must be a whole number from 1 to " + maxLimit);
        }
        if (limit < 1 || limit > maxLimit) {
            throw new InvalidQueryException("limit", "limit must be a whole number from 1 to " + maxLimit);
        }
        return limit;
    }
}
