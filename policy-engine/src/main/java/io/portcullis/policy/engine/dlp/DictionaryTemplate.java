package io.portcullis.policy.engine.dlp;

import io.portcullis.policy.engine.content.DictionaryResult;
import io.portcullis.policy.engine.content.TermContribution;
import io.portcullis.policy.engine.content.WeightedDictionary;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.OptionalDouble;

/**
 * Custom weighted dictionary template: the {@link WeightedDictionary} score (occurrences capped per term) with a
 * hit at the threshold. Count is the number of (capped) term occurrences; samples are the top contributing terms as
 * configured, e.g. {@code "confidential x3 (+6.0)"}, at their first offset.
 */
final class DictionaryTemplate implements DlpTemplate {

    private final String id;
    private final WeightedDictionary dictionary;
    private final int maxChars;

    DictionaryTemplate(String id, WeightedDictionary dictionary, int maxChars) {
        this.id = id;
        this.dictionary = dictionary;
        if (maxChars < 1) {
            throw new IllegalArgumentException("maxChars must be positive: " + maxChars);
        }
        this.maxChars = maxChars;
    }

    @Override
    public String id() {
        return id;
    }

    @Override
    public DlpResult scan(CharSequence text, long deadlineNanos) {
        Objects.requireNonNull(text, "text");
        DictionaryResult result = dictionary.match(text, deadlineNanos, maxChars);
        List<DlpMatch> samples = new ArrayList<>();
        for (TermContribution c : result.top()) {
            if (samples.size() == DlpTemplates.MAX_SAMPLES) {
                break;
            }
            samples.add(new DlpMatch(String.format(Locale.ROOT, "%s x%d (%+.1f)", c.term(), c.occurrences(),
                    c.contribution()), c.firstOffset()));
        }
        return new DlpResult(id, result.occurrences(), OptionalDouble.of(result.score()), result.hit(), samples,
                result.timedOut(), result.truncated());
    }
}
