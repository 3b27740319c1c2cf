package io.portcullis.policy.engine.condition;

import io.portcullis.policy.engine.EvaluationContext;
import io.portcullis.policy.engine.PolicyValidationException;
import io.portcullis.policy.engine.VerdictClass;
import java.util.EnumSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/** {@code class}: the message is in one of the verdict classes (VIRUS, SPAM, SCAN_FAILURE, ...). */
final class ClassCondition implements Condition {
    private final Set<VerdictClass> classes;

    ClassCondition(List<String> values, String field) {
        if (values.isEmpty()) {
            throw new PolicyValidationException(field + ".values", "name at least one class of "
                    + List.of(VerdictClass.values()));
        }
        Set<VerdictClass> set = EnumSet.noneOf(VerdictClass.class);
        for (int i = 0; i < values.size(); i++) {
            String v = values.get(i) == null ? "" : values.get(i).strip().toUpperCase(Locale.ROOT).replace('-', '_');
            try {
                set.add(VerdictClass.valueOf(v));
            } catch (IllegalArgumentException e) {
                throw new PolicyValidationException(field + ".values[" + i + "]", "unknown class '" + values.get(i)
                        + "' (one of " + List.of(VerdictClass.values()) + ")");
            }
        }
        this.classes = set;
    }

    @Override
    public boolean test(EvaluationContext ctx) {
        for (VerdictClass c : classes) {
            if (ctx.classes().contains(c)) {
                return true;
            }
        }
        return false;
    }
}
