package io.portcullis.policy.engine.condition;

import io.portcullis.policy.engine.EvaluationContext;
import io.portcullis.policy.engine.PolicyValidationException;
import io.portcullis.policy.engine.TimeWindow;
import java.util.ArrayList;
import java.util.List;

/**
 * {@code time-of-day}: the message is evaluated inside one of the weekly windows (e.g. {@code Mon-Fri 08:00-18:00});
 * {@code field} is the default time zone of the windows (UTC when absent).
 */
final class TimeOfDayCondition implements Condition {
    private final List<TimeWindow> windows = new ArrayList<>();

    TimeOfDayCondition(String zone, List<String> values, String field) {
        if (values.isEmpty()) {
            throw new PolicyValidationException(field + ".values", "name at least one time window, e.g. Mon-Fri 08:00-18:00");
        }
        for (int i = 0; i < values.size(); i++) {
            windows.add(TimeWindow.parse(values.get(i), zone, field + ".values[" + i + "]"));
        }
    }

    @Override
    public boolean test(EvaluationContext ctx) {
        return windows.stream().anyMatch(w -> w.contains(ctx.input().evaluatedAt()));
    }
}
