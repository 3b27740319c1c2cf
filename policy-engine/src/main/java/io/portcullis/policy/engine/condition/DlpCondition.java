package io.portcullis.policy.engine.condition;

import io.portcullis.contracts.scan.Finding;
import io.portcullis.policy.engine.EvaluationContext;
import io.portcullis.policy.engine.PolicyValidationException;
import io.portcullis.policy.engine.dlp.DlpTemplates;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * {@code dlp}: the DLP engine found at least {@code threshold} (default 1) matches of one of the templates
 * ({@code credit-card}, {@code iban}, {@code us-ssn}, {@code email-list}, {@code phone-list}). The scanner runs the
 * templates a policy names over subject, body and attachment text and reports each as a finding
 * {@code DLP_<TEMPLATE>} whose score is the count and whose detail holds redacted samples; a template that could not
 * finish reports {@code DLP_FAIL}, a scan failure.
 */
final class DlpCondition implements Condition {
    private final List<String> templates = new ArrayList<>();
    private final List<String> symbols = new ArrayList<>();
    private final int minimum;

    DlpCondition(List<String> values, Double threshold, String path) {
        if (values.isEmpty()) {
            throw new PolicyValidationException(path + ".values", "name at least one template of "
                    + DlpTemplates.BUILT_IN_IDS);
        }
        for (int i = 0; i < values.size(); i++) {
            String id = values.get(i) == null ? "" : values.get(i).strip().toLowerCase(Locale.ROOT);
            if (!DlpTemplates.BUILT_IN_IDS.contains(id)) {
                throw new PolicyValidationException(path + ".values[" + i + "]", "unknown DLP template '"
                        + values.get(i) + "' (one of " + DlpTemplates.BUILT_IN_IDS + ")");
            }
            templates.add(id);
            symbols.add(DlpTemplates.findingSymbol(id));
        }
        if (threshold != null && (threshold.isNaN() || threshold < 1 || threshold > DlpTemplates.COUNT_CAP
                || threshold != Math.floor(threshold))) {
            throw new PolicyValidationException(path + ".threshold", "a count from 1 to " + DlpTemplates.COUNT_CAP);
        }
        this.minimum = threshold == null ? 1 : threshold.intValue();
    }

    /** The template ids this condition needs the scanner to run. */
    List<String> templates() {
        return List.copyOf(templates);
    }

    @Override
    public boolean test(EvaluationContext ctx) {
        for (Finding f : ctx.input().findings()) {
            if (f.symbol() != null && symbols.contains(f.symbol()) && f.score() >= minimum) {
                return true;
            }
        }
        return false;
    }
}
