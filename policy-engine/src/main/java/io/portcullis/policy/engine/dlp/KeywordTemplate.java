package io.portcullis.policy.engine.dlp;

import io.portcullis.policy.engine.content.BoundedText;
import io.portcullis.policy.engine.content.KeywordMatcher;

/**
 * Custom keyword template: counts occurrences of the terms ({@link KeywordMatcher} rules); a hit when the count
 * reaches {@code minCount}. Samples show the term as configured.
 */
final class KeywordTemplate extends BoundedTemplate {

    private final KeywordMatcher matcher;
    private final int minCount;

    KeywordTemplate(String id, KeywordMatcher matcher, int minCount, int maxChars) {
        super(id, maxChars);
        this.matcher = matcher;
        this.minCount = minCount;
    }

    @Override
    void scan(BoundedText text, Findings findings) {
        matcher.scan(text, hit -> findings.add(matcher.terms().get(hit.term()), hit.start()));
    }

    @Override
    boolean hit(Findings findings) {
        return findings.count() >= minCount;
    }
}
