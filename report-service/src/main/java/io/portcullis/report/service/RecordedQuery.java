package io.portcullis.report.service;

/**
 * A validated query for recorded verdicts (rule simulation).
 *
 * @param tenant only this tenant's messages, or null for all
 * @param limit  most messages, newest first
 */
public record RecordedQuery(String tenant, int limit) {
    /** Most messages one query returns. */
    public static final int MAX_LIMIT = 10_000;
    /** Messages returned without {@code limit}. */
    public static final int DEFAULT_LIMIT = 1000;
    static final int MAX_TENANT_LENGTH = 64;

    /** Parses raw query parameters; every failure names its parameter. */
    public static RecordedQuery parse(String tenant, String limit) {
        return new RecordedQuery(tenant(tenant), limit(limit));
    }

    private static String tenant(String value) {
        if (value == null || value.isEmpty()) {
            return null;
        }
        if (value.length() > MAX_TENANT_LENGTH || value.chars().anyMatch(Character::isISOControl)) {
            throw new InvalidQueryException("tenant", "tenant must be at most " + MAX_TENANT_LENGTH
                    + " characters without control characters");
        }
        return value;
    }

    private static int limit(String value) {
        if (value == null || value.isEmpty()) {
            return DEFAULT_LIMIT;
        }
        int limit;
        try {
            limit = Integer.parseInt(value);
        } catch (NumberFormatException e) {
            limit = -1;
        }
        if (limit < 1 || limit > MAX_LIMIT) {
            throw new InvalidQueryException("limit", "limit must be a whole number from 1 to " + MAX_LIMIT);
        }
        return limit;
    }
}
