package io.portcullis.policy.engine.condition;

import io.portcullis.policy.engine.EvaluationContext;
import io.portcullis.policy.engine.PolicyValidationException;
import io.portcullis.policy.engine.content.DictionaryResult;
import io.portcullis.policy.engine.content.KeywordMatcher;
import io.portcullis.policy.engine.content.KeywordResult;
import io.portcullis.policy.engine.content.PatternMatcher;
import io.portcullis.policy.engine.content.PatternResult;
import io.portcullis.policy.engine.content.WeightedDictionary;
import io.portcullis.policy.engine.content.WeightedTerm;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * A condition on the message's text ({@code field}: {@code subject}, {@code body}, {@code attachments} or
 * {@code all}, the default):
 * <ul>
 * <li>{@code keywords}: words and phrases (whole words, any case); holds with at least {@code threshold} (default 1)
 * occurrences;</li>
 * <li>{@code regex}: RE2 regular expressions; holds with at least {@code threshold} (default 1) matches in all;</li>
 * <li>{@code dictionary}: {@code term=weight} entries; holds when the weighted score reaches {@code threshold}.</li>
 * </ul>
 * A scan that ran out of time or was cut at the size limit HOLDS (fails closed): a content rule errs towards acting,
 * never towards letting unread text through as clean; so does a condition on {@code attachments} or {@code all} when
 * some attachment's text could not be read ({@link io.portcullis.policy.engine.MessageText#complete()}).
 */
final class ContentCondition implements Condition {
    static final Set<String> FIELDS = Set.of("subject", "body", "attachments", "all");

    private final String field;
    private final Matcher matcher;

    @FunctionalInterface
    private interface Matcher {
        /** Whether the condition holds for the text, scanning until the deadline. */
        boolean holds(CharSequence text, long deadlineNanos);
    }

    private ContentCondition(String field, Matcher matcher) {
        this.field = field;
        this.matcher = matcher;
    }

    static String field(String field, String path) {
        String f = field == null ? "all" : field.strip().toLowerCase(Locale.ROOT);
        if (!FIELDS.contains(f)) {
            throw new PolicyValidationException(path + ".field", "'" + field + "' is not one of " + new java.util.TreeSet<>(FIELDS));
        }
        return f;
    }

    private static int minimum(Double threshold, String path) {
        if (threshold == null) {
            return 1;
        }
        if (threshold.isNaN() || threshold < 1 || threshold > 1_000_000 || threshold != Math.floor(threshold)) {
            throw new PolicyValidationException(path + ".threshold", "a count from 1 to 1,000,000");
        }
        return threshold.intValue();
    }

    static ContentCondition keywords(String field, List<String> values, Double threshold, String path) {
        int min = minimum(threshold, path);
        KeywordMatcher m;
        try {
            m = KeywordMatcher.compile(path + ".values", values);
        } catch (IllegalArgumentException e) {
            throw named(e, path + ".values");
        }
        return new ContentCondition(field(field, path), (text, deadline) -> {
            KeywordResult r = m.match(text, deadline);
            return !r.complete() || r.count() >= min;
        });
    }

    static ContentCondition regex(String field, List<String> values, Double threshold, String path) {
        int min = minimum(threshold, path);
        if (values.isEmpty()) {
            throw new PolicyValidationException(path + ".values", "name at least one regular expression");
        }
        List<PatternMatcher> patterns = new ArrayList<>();
        for (int i = 0; i < values.size(); i++) {
            try {
                patterns.add(PatternMatcher.compile(path + ".values[" + i + "]", values.get(i), false));
            } catch (IllegalArgumentException e) {
                throw named(e, path + ".values[" + i + "]");
            }
        }
        return new ContentCondition(field(field, path), (text, deadline) -> {
            int count = 0;
            for (PatternMatcher p : patterns) {
                PatternResult r = p.match(text, deadline);
                if (!r.complete()) {
                    return true;
                }
                count += r.count();
                if (count >= min) {
                    return true;
                }
            }
            return false;
        });
    }

    static ContentCondition dictionary(String field, List<String> values, Double threshold, String path) {
        if (threshold == null || threshold.isNaN() || threshold.isInfinite()) {
            throw new PolicyValidationException(path + ".threshold", "a dictionary needs the score it must reach");
        }
        List<WeightedTerm> terms = new ArrayList<>();
        for (int i = 0; i < values.size(); i++) {
            String v = values.get(i) == null ? "" : values.get(i);
            int eq = v.lastIndexOf('=');
            double weight;
            try {
                weight = eq < 0 ? 1 : Double.parseDouble(v.substring(eq + 1).strip());
            } catch (NumberFormatException e) {
                throw new PolicyValidationException(path + ".values[" + i + "]", "'" + v + "' is not term=weight");
            }
            if (Double.isNaN(weight) || Double.isInfinite(weight) || Math.abs(weight) > 1e6) {
                throw new PolicyValidationException(path + ".values[" + i + "]", "weight out of range");
            }
            terms.add(new WeightedTerm(eq < 0 ? v : v.substring(0, eq), weight));
        }
        WeightedDictionary d;
        try {
            d = WeightedDictionary.compile(terms, threshold);
        } catch (IllegalArgumentException e) {
            throw named(e, path + ".values");
        }
        return new ContentCondition(field(field, path), (text, deadline) -> {
            DictionaryResult r = d.match(text, deadline);
            return !r.complete() || r.hit();
        });
    }

    /** The library's message starts with the field it names ({@code terms[3]: ...}); keep it under our path. */
    private static PolicyValidationException named(IllegalArgumentException e, String base) {
        String msg = e.getMessage() == null ? "invalid" : e.getMessage();
        int colon = msg.indexOf(": ");
        if (colon > 0 && msg.startsWith(base)) {
            return new PolicyValidationException(msg.substring(0, colon), msg.substring(colon + 2));
        }
        if (colon > 0 && msg.startsWith("terms")) {
            return new PolicyValidationException(base + msg.substring("terms".length(), colon),
                    msg.substring(colon + 2));
        }
        return new PolicyValidationException(base, msg);
    }

    /** The field this condition reads. */
    String field() {
        return field;
    }

    @Override
    public boolean test(EvaluationContext ctx) {
        if (!ctx.input().text().complete() && (field.equals("attachments") || field.equals("all"))) {
            return true;
        }
        return matcher.holds(ctx.input().text().field(field), ctx.contentDeadlineNanos());
    }
}
