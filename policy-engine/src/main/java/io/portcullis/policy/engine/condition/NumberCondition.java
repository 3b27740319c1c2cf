package io.portcullis.policy.engine.condition;

import io.portcullis.policy.engine.EvaluationContext;
import io.portcullis.policy.engine.PolicyValidationException;
import java.util.function.ToDoubleFunction;

/**
 * A number of the whole message compared with a threshold: {@code spam-score}, {@code message-size} (bytes),
 * {@code recipient-count}, {@code attachment-count}.
 */
final class NumberCondition implements Condition {
    private final ToDoubleFunction<EvaluationContext> value;
    private final Comparison comparison;
    private final double threshold;

    NumberCondition(ToDoubleFunction<EvaluationContext> value, String operator, Double threshold, boolean nonNegative,
            String field) {
        this.value = value;
        this.comparison = Comparison.parse(operator, field);
        this.threshold = Comparison.threshold(threshold, field);
        if (nonNegative && this.threshold < 0) {
            throw new PolicyValidationException(field + ".threshold", "must not be negative");
        }
    }

    @Override
    public boolean test(EvaluationContext ctx) {
        return comparison.test(value.applyAsDouble(ctx), threshold);
    }
}
