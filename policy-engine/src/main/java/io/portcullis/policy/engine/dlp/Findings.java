package io.portcullis.policy.engine.dlp;

import java.util.ArrayList;
import java.util.List;

/** Collects a scan's count, samples and score. */
final class Findings {

    private final List<DlpMatch> samples = new ArrayList<>(DlpTemplates.MAX_SAMPLES);
    private int count;
    private boolean limitReached;
    private double score;

    /** Records one match; returns false once the count cap is reached and the scan should stop. */
    boolean add(String redacted, int offset) {
        count++;
        if (samples.size() < DlpTemplates.MAX_SAMPLES) {
            samples.add(new DlpMatch(redacted, offset));
        }
        return count < DlpTemplates.COUNT_CAP;
    }

    /** Counts one match without a sample; returns false once the count cap is reached. */
    boolean addUnsampled() {
        count++;
        return count < DlpTemplates.COUNT_CAP;
    }

    /** Adds a sample without counting (e.g. a dictionary's top terms). */
    void sample(String redacted, int offset) {
        if (samples.size() < DlpTemplates.MAX_SAMPLES) {
            samples.add(new DlpMatch(redacted, offset));
        }
    }

    /** Marks the scan as stopped early at an internal limit (reported as truncated). */
    void limitReached() {
        limitReached = true;
    }

    boolean isLimitReached() {
        return limitReached;
    }

    void score(double value) {
        score = value;
    }

    void count(int value) {
        count = value;
    }

    int count() {
        return count;
    }

    double score() {
        return score;
    }

    List<DlpMatch> samples() {
        return samples;
    }
}
