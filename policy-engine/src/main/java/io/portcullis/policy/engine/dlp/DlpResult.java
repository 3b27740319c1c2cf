package io.portcullis.policy.engine.dlp;

import java.util.List;
import java.util.OptionalDouble;

/**
 * Outcome of one {@link DlpTemplate#scan}. When {@code timedOut} or {@code truncated} is set, count, score and hit
 * cover only the part of the text that was scanned: the caller must treat that as a failure (e.g. a DLP_FAIL
 * finding), never as "no match".
 *
 * @param template the template id
 * @param count matches found (distinct addresses/numbers for the list templates), at most
 *     {@link DlpTemplates#COUNT_CAP}; a rule may apply its own minimum count to it
 * @param score the weighted score for dictionary templates, empty for the others
 * @param hit the template's own threshold is met: {@code count >= 1} for the built-in templates, the spec's
 *     threshold for custom ones
 * @param samples at most {@link DlpTemplates#MAX_SAMPLES} redacted samples, in text order
 * @param timedOut the deadline passed before the whole text was scanned
 * @param truncated the text was longer than the maximum and only its start was scanned
 */
public record DlpResult(String template, int count, OptionalDouble score, boolean hit, List<DlpMatch> samples,
        boolean timedOut, boolean truncated) {

    public DlpResult {
        samples = List.copyOf(samples);
    }

    /** True when the whole text was scanned in time. */
    public boolean complete() {
        return !timedOut && !truncated;
    }
}
