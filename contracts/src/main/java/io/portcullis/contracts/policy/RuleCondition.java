package io.portcullis.contracts.policy;

import java.util.List;

/**
 * One condition of a rule; a rule matches when all its conditions hold. The types and which parameters each takes are
 * listed in docs/policy.md; policy-service refuses a rule whose condition does not fit its type, naming the field.
 *
 * @param type      {@code class}, {@code symbol}, {@code spam-score}, {@code attachment-name},
 *                  {@code attachment-extension}, {@code attachment-type}, {@code attachment-size},
 *                  {@code attachment-count}, {@code message-size}, {@code recipient-count}, {@code header},
 *                  {@code keywords}, {@code regex}, {@code dictionary}, {@code dlp}, {@code time-of-day}
 * @param field     what a text condition reads ({@code subject}, {@code body}, {@code attachments}, {@code all}),
 *                  the header name of a {@code header} condition, or the time zone of {@code time-of-day}; else null
 * @param operator  comparison of a numeric condition: {@code >}, {@code >=}, {@code <}, {@code <=}, {@code ==},
 *                  {@code !=}; else null
 * @param values    the values, any one of which suffices (classes, symbols, names, patterns, terms, templates, windows)
 * @param threshold the number a numeric condition compares with, or the count/score a content condition needs
 * @param negate    the rule requires that this condition does NOT hold
 */
public record RuleCondition(String type, String field, String operator, List<String> values, Double threshold,
        boolean negate) {

    public RuleCondition {
        values = values == null ? List.of() : List.copyOf(values);
    }

    /** A condition with values only (e.g. {@code class VIRUS}). */
    public static RuleCondition of(String type, String... values) {
        return new RuleCondition(type, null, null, List.of(values), null, false);
    }

    /** A numeric condition (e.g. {@code message-size > 10485760}). */
    public static RuleCondition compare(String type, String operator, double threshold) {
        return new RuleCondition(type, null, operator, List.of(), threshold, false);
    }
}
