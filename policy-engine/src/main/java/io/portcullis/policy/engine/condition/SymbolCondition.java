package io.portcullis.policy.engine.condition;

import io.portcullis.contracts.scan.Finding;
import io.portcullis.policy.engine.EvaluationContext;
import io.portcullis.policy.engine.PolicyValidationException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * {@code symbol}: some finding has one of the symbols. A value may end in {@code *} to name a family, e.g.
 * {@code AUTH_DMARC_*} (authentication results) or {@code AV_*}.
 */
final class SymbolCondition implements Condition {
    private final List<String> exact = new ArrayList<>();
    private final List<String> prefixes = new ArrayList<>();

    SymbolCondition(List<String> values, String field) {
        if (values.isEmpty()) {
            throw new PolicyValidationException(field + ".values", "name at least one finding symbol");
        }
        for (int i = 0; i < values.size(); i++) {
            String v = values.get(i) == null ? "" : values.get(i).strip().toUpperCase(Locale.ROOT);
            String body = v.endsWith("*") ? v.substring(0, v.length() - 1) : v;
            if (body.isEmpty() || body.length() > 100 || !body.chars().allMatch(c -> c >= 'A' && c <= 'Z'
                    || c >= '0' && c <= '9' || c == '_' || c == '.' || c == '-')) {
                throw new PolicyValidationException(field + ".values[" + i + "]", "'" + values.get(i)
                        + "' is not a finding symbol (A-Z, 0-9, _ . -, optionally ending in *)");
            }
            (v.endsWith("*") ? prefixes : exact).add(body);
        }
    }

    @Override
    public boolean test(EvaluationContext ctx) {
        for (Finding f : ctx.input().findings()) {
            String s = f.symbol() == null ? "" : f.symbol().toUpperCase(Locale.ROOT);
            if (exact.contains(s)) {
                return true;
            }
            for (String p : prefixes) {
                if (s.startsWith(p)) {
                    return true;
                }
            }
        }
        return false;
    }
}
