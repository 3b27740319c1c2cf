package io.portcullis.policy.engine.content;

/**
 * What one dictionary term added to a score.
 *
 * @param term the term as configured
 * @param occurrences occurrences counted, at most {@link WeightedDictionary#MAX_OCCURRENCES_PER_TERM}
 * @param weight the term's weight
 * @param contribution {@code weight * occurrences}
 * @param firstOffset offset of the term's first occurrence in the text
 */
public record TermContribution(String term, int occurrences, double weight, double contribution, int firstOffset) {
}
