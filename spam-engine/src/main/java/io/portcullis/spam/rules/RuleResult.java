package io.portcullis.spam.rules;

import java.util.List;

/**
 * Rules that hit one message.
 *
 * @param hits scored rules that matched, in rule-set order (sub-rules and rules scored 0 are never listed)
 * @param score sum of the hits' scores
 * @param partial whether the rules saw only part of the message (a size limit, or MIME that did not parse)
 */
public record RuleResult(List<RuleHit> hits, double score, boolean partial) {
    public RuleResult {
        hits = List.copyOf(hits);
    }
}
