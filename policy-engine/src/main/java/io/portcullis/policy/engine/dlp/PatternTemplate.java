package io.portcullis.policy.engine.dlp;

import io.portcullis.policy.engine.content.BoundedText;
import io.portcullis.policy.engine.content.PatternMatcher;

/**
 * Custom pattern template: counts non-empty matches of an RE2 pattern; a hit when the count reaches
 * {@code minCount}. A match may be a secret of any shape, so samples mask letters and digits except the last
 * {@code min(4, n / 3)} of them.
 */
final class PatternTemplate extends BoundedTemplate {

    private final PatternMatcher matcher;
    private final int minCount;

    PatternTemplate(String id, PatternMatcher matcher, int minCount, int maxChars) {
        super(id, maxChars);
        this.matcher = matcher;
        this.minCount = minCount;
    }

    @Override
    void scan(BoundedText text, Findings findings) {
        matcher.scan(text, (start, end) -> findings.add(Redaction.generic(text.subSequence(start, end)), start));
    }

    @Override
    boolean hit(Findings findings) {
        return findings.count() >= minCount;
    }
}
