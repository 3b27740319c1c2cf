package io.portcullis.policy.engine.content;

import java.util.List;

/**
 * Outcome of {@link KeywordMatcher#match}. When {@code timedOut} or {@code truncated} is set the counts cover only
 * the part of the text that was looked at: the caller must treat that as a failure, not as "no match".
 *
 * @param count occurrences of all terms together
 * @param termsHit distinct terms that occurred, as configured, in order of first occurrence
 * @param timedOut the deadline passed before the whole text was scanned
 * @param truncated the text was longer than the maximum and only its start was scanned
 */
public record KeywordResult(int count, List<String> termsHit, boolean timedOut, boolean truncated) {

    public KeywordResult {
        termsHit = List.copyOf(termsHit);
    }

    /** True when the whole text was scanned in time. */
    public boolean complete() {
        return !timedOut && !truncated;
    }
}
