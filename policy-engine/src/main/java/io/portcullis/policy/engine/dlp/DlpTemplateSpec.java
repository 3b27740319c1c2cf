package io.portcullis.policy.engine.dlp;

import java.util.List;

/**
 * A custom template as an admin writes it (e.g. in a policy bundle); {@link DlpTemplates#compile} validates it.
 * Fields a kind does not use must be null (or empty lists).
 *
 * @param id lower-case id, {@code [a-z0-9][a-z0-9._-]{0,63}}, not a built-in id
 * @param kind what the template does
 * @param terms DICTIONARY, KEYWORD, PROXIMITY (list A): words or phrases
 * @param weights DICTIONARY: one weight per term, may be negative
 * @param nearTerms PROXIMITY: list B
 * @param pattern PATTERN: an RE2 regular expression
 * @param threshold DICTIONARY: the score that hits (required); KEYWORD, PATTERN, PROXIMITY: the minimum count that
 *     hits, a whole number, default 1
 * @param distance PROXIMITY: the most words between a list-A and a list-B term (1 = adjacent)
 */
public record DlpTemplateSpec(String id, Kind kind, List<String> terms, List<Double> weights, List<String> nearTerms,
        String pattern, Double threshold, Integer distance) {

    /** Custom template kinds. */
    public enum Kind {
        /** Weighted terms, score against a threshold. */
        DICTIONARY,
        /** Terms counted. */
        KEYWORD,
        /** An RE2 pattern, matches counted. */
        PATTERN,
        /** A term of {@code terms} within {@code distance} words of a term of {@code nearTerms}. */
        PROXIMITY
    }

    /** A DICTIONARY spec. */
    public static DlpTemplateSpec dictionary(String id, List<String> terms, List<Double> weights, double threshold) {
        return new DlpTemplateSpec(id, Kind.DICTIONARY, terms, weights, null, null, threshold, null);
    }

    /** A KEYWORD spec. */
    public static DlpTemplateSpec keyword(String id, List<String> terms, int minCount) {
        return new DlpTemplateSpec(id, Kind.KEYWORD, terms, null, null, null, (double) minCount, null);
    }

    /** A PATTERN spec. */
    public static DlpTemplateSpec pattern(String id, String pattern, int minCount) {
        return new DlpTemplateSpec(id, Kind.PATTERN, null, null, null, pattern, (double) minCount, null);
    }

    /** A PROXIMITY spec. */
    public static DlpTemplateSpec proximity(String id, List<String> terms, List<String> nearTerms, int distance,
            int minCount) {
        return new DlpTemplateSpec(id, Kind.PROXIMITY, terms, null, nearTerms, null, (double) minCount, distance);
    }
}
