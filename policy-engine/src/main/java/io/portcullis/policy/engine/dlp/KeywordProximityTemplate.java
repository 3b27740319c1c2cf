package io.portcullis.policy.engine.dlp;

import io.portcullis.policy.engine.content.BoundedText;
import io.portcullis.policy.engine.content.KeywordHit;
import io.portcullis.policy.engine.content.KeywordMatcher;
import java.util.ArrayList;
import java.util.List;

/**
 * Keyword proximity: counts occurrences of a list-A term that have a list-B term within {@code distance} words.
 * Words are counted as in {@link KeywordMatcher}; the distance between two occurrences is the first word of the
 * later one minus the last word of the earlier one, so adjacent terms are 1 word apart, "A x B" is 2 apart, and
 * overlapping occurrences are 0 apart. A hit when the count reaches {@code minCount}. Samples show the two terms as
 * configured (they are the admin's words, not a secret from the message). At most {@link #MAX_HITS} occurrences
 * per list are considered; beyond that the result is flagged truncated.
 */
final class KeywordProximityTemplate extends BoundedTemplate {

    static final String ID = "keyword-proximity";

    /** Largest allowed distance in words. */
    static final int MAX_DISTANCE = 200;

    /** Occurrences kept per list. */
    static final int MAX_HITS = 100_000;

    private final KeywordMatcher first;
    private final KeywordMatcher second;
    private final int distance;
    private final int minCount;

    KeywordProximityTemplate(String id, KeywordMatcher first, KeywordMatcher second, int distance, int minCount,
            int maxChars) {
        super(id, maxChars);
        this.first = first;
        this.second = second;
        this.distance = distance;
        this.minCount = minCount;
    }

    @Override
    void scan(BoundedText text, Findings findings) {
        List<KeywordHit> a = collect(first, text, findings);
        List<KeywordHit> b = collect(second, text, findings);
        if (a.isEmpty() || b.isEmpty()) {
            return;
        }
        int lower = 0;
        for (KeywordHit hit : a) {
            text.checkDeadline();
            // b is ordered by start offset, so by startWord; skip those that end too early for this and later hits
            // (endWord >= startWord, so startWord + MAX_TERM_CHARS words bounds their end)
            while (lower < b.size() && b.get(lower).startWord() + KeywordMatcher.MAX_TERM_CHARS
                    < hit.startWord() - distance) {
                lower++;
            }
            for (int k = lower; k < b.size() && b.get(k).startWord() <= hit.endWord() + distance; k++) {
                KeywordHit near = b.get(k);
                if (gap(hit, near) <= distance) {
                    String sample = first.terms().get(hit.term()) + " ~ " + second.terms().get(near.term());
                    if (!findings.add(sample, Math.min(hit.start(), near.start()))) {
                        return;
                    }
                    break;
                }
            }
        }
    }

    @Override
    boolean hit(Findings findings) {
        return findings.count() >= minCount;
    }

    static int gap(KeywordHit x, KeywordHit y) {
        if (y.startWord() > x.endWord()) {
            return y.startWord() - x.endWord();
        }
        if (x.startWord() > y.endWord()) {
            return x.startWord() - y.endWord();
        }
        return 0;
    }

    private static List<KeywordHit> collect(KeywordMatcher matcher, BoundedText text, Findings findings) {
        List<KeywordHit> hits = new ArrayList<>();
        matcher.scan(text, hit -> {
            hits.add(hit);
            if (hits.size() < MAX_HITS) {
                return true;
            }
            findings.limitReached();
            return false;
        });
        return hits;
    }
}
