package io.portcullis.policy.engine.content;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;

/**
 * Weighted terms and a threshold: score = sum of weight x occurrences, where occurrences per term are capped at
 * {@link #MAX_OCCURRENCES_PER_TERM} so that one word repeated can't dominate; a hit when score &gt;= threshold.
 * Terms are matched like {@link KeywordMatcher} terms (case-insensitive, whole-word, phrases
 * whitespace-insensitive). Immutable and thread-safe once compiled.
 */
public final class WeightedDictionary {

    /** Occurrences of one term that count towards the score; further ones are ignored. */
    public static final int MAX_OCCURRENCES_PER_TERM = 10;

    /** Contributions reported in {@link DictionaryResult#top()}. */
    public static final int TOP_TERMS = 5;

    private final KeywordMatcher matcher;
    private final double[] weights;
    private final double threshold;

    private WeightedDictionary(KeywordMatcher matcher, double[] weights, double threshold) {
        this.matcher = matcher;
        this.weights = weights;
        this.threshold = threshold;
    }

    /**
     * Compiles the dictionary; term errors name {@code terms[i]} (see {@link KeywordMatcher#compile(String, List)}).
     *
     * @throws IllegalArgumentException for a bad term, a weight that is not finite, or a threshold that is not finite
     */
    public static WeightedDictionary compile(List<WeightedTerm> terms, double threshold) {
        if (terms == null || terms.isEmpty()) {
            throw new IllegalArgumentException("terms: at least one term is required");
        }
        if (!Double.isFinite(threshold)) {
            throw new IllegalArgumentException("threshold: must be a finite number");
        }
        List<String> words = new ArrayList<>(terms.size());
        double[] weights = new double[terms.size()];
        for (int i = 0; i < terms.size(); i++) {
            WeightedTerm term = terms.get(i);
            if (term == null) {
                throw new IllegalArgumentException("terms[" + i + "]: empty term");
            }
            if (!Double.isFinite(term.weight())) {
                throw new IllegalArgumentException("terms[" + i + "]: weight must be a finite number");
            }
            words.add(term.term());
            weights[i] = term.weight();
        }
        return new WeightedDictionary(KeywordMatcher.compile("terms", words), weights, threshold);
    }

    /** The score at or above which the dictionary hits. */
    public double threshold() {
        return threshold;
    }

    /** Scores at most {@link ContentLimits#DEFAULT_MAX_CHARS} of {@code text} before the deadline. */
    public DictionaryResult match(CharSequence text, long deadlineNanos) {
        return match(text, deadlineNanos, ContentLimits.DEFAULT_MAX_CHARS);
    }

    /** Scores at most {@code maxChars} of {@code text} before the deadline; never throws for hostile input. */
    public DictionaryResult match(CharSequence text, long deadlineNanos, int maxChars) {
        boolean truncated = text.length() > maxChars;
        int[] counts = new int[weights.length];
        int[] firstOffsets = new int[weights.length];
        Arrays.fill(firstOffsets, -1);
        boolean timedOut = false;
        try {
            matcher.scan(BoundedText.of(text, maxChars, deadlineNanos), hit -> {
                int term = hit.term();
                if (counts[term] < MAX_OCCURRENCES_PER_TERM) {
                    counts[term]++;
                }
                if (firstOffsets[term] < 0) {
                    firstOffsets[term] = hit.start();
                }
                return true;
            });
        } catch (DeadlineExceededException e) {
            timedOut = true;
        }
        double score = 0;
        int occurrences = 0;
        List<TermContribution> contributions = new ArrayList<>();
        for (int i = 0; i < counts.length; i++) {
            if (counts[i] > 0) {
                double contribution = weights[i] * counts[i];
                score += contribution;
                occurrences += counts[i];
                contributions.add(new TermContribution(matcher.terms().get(i), counts[i], weights[i], contribution,
                        firstOffsets[i]));
            }
        }
        contributions.sort(Comparator.comparingDouble((TermContribution c) -> -Math.abs(c.contribution())));
        List<TermContribution> top = contributions.subList(0, Math.min(TOP_TERMS, contributions.size()));
        return new DictionaryResult(score, score >= threshold, occurrences, top, timedOut, truncated);
    }
}
