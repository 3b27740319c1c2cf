package io.portcullis.quarantine.service;

import io.portcullis.contracts.events.VerdictIssued;
import io.portcullis.contracts.scan.Category;
import io.portcullis.contracts.scan.Finding;
import java.util.LinkedHashSet;
import java.util.Set;

/**
 * Why a message was quarantined, in one short line: the deciding rule and the symbols that mattered, e.g.
 * {@code rule=block-virus symbols=EICAR_TEST,AV_FAIL}. INFO findings are left out; details never are included (they
 * may hold names from the message).
 */
public final class ReasonFormatter {
    static final int MAX_LENGTH = 500;

    private ReasonFormatter() {
    }

    public static String reason(VerdictIssued verdict) {
        return reason(verdict, verdict.ruleId());
    }

    /** The reason with the rule that decided for one group of recipients. */
    public static String reason(VerdictIssued verdict, String ruleId) {
        Set<String> symbols = new LinkedHashSet<>();
        for (Finding finding : verdict.findings()) {
            if (finding != null && finding.category() != Category.INFO && finding.symbol() != null
                    && !finding.symbol().isBlank()) {
                symbols.add(clean(finding.symbol()));
            }
        }
        StringBuilder reason = new StringBuilder();
        reason.append("rule=").append(ruleId == null || ruleId.isBlank() ? "default" : clean(ruleId));
        if (!symbols.isEmpty()) {
            reason.append(" symbols=").append(String.join(",", symbols));
        }
        return reason.length() <= MAX_LENGTH ? reason.toString() : reason.substring(0, MAX_LENGTH - 3) + "...";
    }

    /** Keeps printable ASCII without spaces: symbols and rule ids are identifiers. */
    private static String clean(String value) {
        StringBuilder out = new StringBuilder(Math.min(value.length(), 100));
        for (int i = 0; i < value.length() && out.length() < 100; i++) {
            char c = value.charAt(i);
            out.append(c > 0x20 && c < 0x7f && c != ',' ? c : '_');
        }
        return out.toString();
    }
}
