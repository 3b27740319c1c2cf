package io.portcullis.policy.engine.content;

/**
 * Outcome of {@link PatternMatcher#match}. When {@code timedOut} or {@code truncated} is set the count covers only
 * the part of the text that was looked at: the caller must treat that as a failure, not as "no match".
 *
 * @param count non-empty matches found, at most the cap
 * @param capped counting stopped at the cap (not a failure: there are at least {@code count} matches)
 * @param timedOut the deadline passed before the whole text was scanned
 * @param truncated the text was longer than the maximum and only its start was scanned
 */
public record PatternResult(int count, boolean capped, boolean timedOut, boolean truncated) {

    /** True when the whole text was scanned in time (or counting stopped at the cap). */
    public boolean complete() {
        return !timedOut && !truncated;
    }
}
