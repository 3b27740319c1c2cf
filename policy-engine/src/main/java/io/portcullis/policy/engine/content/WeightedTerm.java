package io.portcullis.policy.engine.content;

/**
 * A dictionary term (word or phrase, matched like a {@link KeywordMatcher} term) with its weight.
 *
 * @param term the word or phrase
 * @param weight added to the score per occurrence; may be negative (e.g. for words that signal a harmless context)
 */
public record WeightedTerm(String term, double weight) {
}
