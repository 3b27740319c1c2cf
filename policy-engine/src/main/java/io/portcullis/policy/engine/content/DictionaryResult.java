package io.portcullis.policy.engine.content;

import java.util.List;

/**
 * Outcome of {@link WeightedDictionary#match}. When {@code timedOut} or {@code truncated} is set, score and hit
 * cover only the part of the text that was looked at: the caller must treat that as a failure, not as "no match".
 *
 * @param score sum over terms of weight times (capped) occurrences
 * @param hit {@code score >= threshold}
 * @param occurrences occurrences counted over all terms (each term capped)
 * @param top the terms with the largest absolute contributions, largest first, at most
 *     {@link WeightedDictionary#TOP_TERMS}
 * @param timedOut the deadline passed before the whole text was scanned
 * @param truncated the text was longer than the maximum and only its start was scanned
 */
public record DictionaryResult(double score, boolean hit, int occurrences, List<TermContribution> top,
        boolean timedOut, boolean truncated) {

    public DictionaryResult {
        top = List.copyOf(top);
    }

    /** True when the whole text was scanned in time. */
    public boolean complete() {
        return !timedOut && !truncated;
    }
}
