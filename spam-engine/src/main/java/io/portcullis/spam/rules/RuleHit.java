package io.portcullis.spam.rules;

/**
 * A scored rule that matched a message.
 *
 * @param name rule name (the finding's symbol)
 * @param score its score (may be negative)
 * @param description its {@code describe} text, or null
 */
public record RuleHit(String name, double score, String description) {
}
