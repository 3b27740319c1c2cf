package io.portcullis.policy.engine.condition;

import io.portcullis.policy.engine.EvaluationContext;
import io.portcullis.policy.engine.PolicyValidationException;
import io.portcullis.policy.engine.content.PatternMatcher;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * {@code header}: the header named in {@code field} is present (no values) or one of its instances matches one of the
 * regular expressions (RE2 syntax: linear time, no backtracking; see {@link Patterns}). Values are read up to 8,192
 * characters.
 */
final class HeaderCondition implements Condition {
    static final int MAX_VALUE_CHARS = 8192;
    private final String name;
    private final List<PatternMatcher> patterns = new ArrayList<>();

    HeaderCondition(String field, List<String> values, String path) {
        if (field == null || field.isBlank() || field.length() > 76
                || !field.strip().chars().allMatch(c -> c > 32 && c < 127 && c != ':')) {
            throw new PolicyValidationException(path + ".field", "a header condition needs a header name in field");
        }
        this.name = field.strip().toLowerCase(Locale.ROOT);
        for (int i = 0; i < values.size(); i++) {
            patterns.add(Patterns.compile(values.get(i), path + ".values[" + i + "]"));
        }
    }

    @Override
    public boolean test(EvaluationContext ctx) {
        List<String> found = ctx.input().header(name);
        if (patterns.isEmpty()) {
            return !found.isEmpty();
        }
        for (String v : found) {
            String s = v.length() > MAX_VALUE_CHARS ? v.substring(0, MAX_VALUE_CHARS) : v;
            for (PatternMatcher p : patterns) {
                if (p.find(s)) {
                    return true;
                }
            }
        }
        return false;
    }

    /**
     * Admin-written patterns: at most 1,000 characters, then {@link PatternMatcher}'s checks (RE2 syntax, program
     * size estimated before compiling, so nested counted repetitions can't exhaust the heap, then checked exactly).
     */
    static final class Patterns {
        private Patterns() {
        }

        static PatternMatcher compile(String regex, String field) {
            if (regex == null || regex.isEmpty()) {
                throw new PolicyValidationException(field, "empty regular expression");
            }
            if (regex.length() > 1000) {
                throw new PolicyValidationException(field, "regular expression longer than 1,000 characters");
            }
            try {
                return PatternMatcher.compile(field, regex, false);
            } catch (IllegalArgumentException e) {
                throw new PolicyValidationException(field, e.getMessage().substring(field.length() + 2));
            }
        }
    }
}
