package io.portcullis.scanner.content;

import io.portcullis.contracts.scan.Category;
import io.portcullis.contracts.scan.Finding;
import io.portcullis.policy.engine.MessageText;
import io.portcullis.policy.engine.dlp.DlpMatch;
import io.portcullis.policy.engine.dlp.DlpResult;
import io.portcullis.policy.engine.dlp.DlpTemplate;
import io.portcullis.policy.engine.dlp.DlpTemplates;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.stream.Collectors;

/**
 * Runs the DLP templates a policy names over a message's subject, body and attachment text and reports what it found:
 * {@code DLP_<TEMPLATE>} (CONTENT, score = number of matches, detail = up to five redacted samples, never the
 * secret) per template with matches, and {@code DLP_FAIL} (FAILURE) per template that could not finish in time or
 * read all the text. Engines report; the {@code dlp} conditions of the policy decide.
 */
@ApplicationScoped
public class DlpScanner {
    /** A template that could not finish. */
    public static final String FAILURE_SYMBOL = "DLP_FAIL";
    /** Time the templates of one message may take together. */
    static final long BUDGET_NANOS = 5_000_000_000L;

    /** Findings for {@code templates} over {@code text} (nothing when no template is named). */
    public List<Finding> scan(MessageText text, Collection<String> templates) {
        if (templates.isEmpty()) {
            return List.of();
        }
        String all = text.field("all");
        long deadline = System.nanoTime() + BUDGET_NANOS;
        List<Finding> out = new ArrayList<>();
        for (String id : templates) {
            DlpTemplate t = DlpTemplates.builtIn(id, Math.max(all.length(), 1));
            DlpResult r = t.scan(all, deadline);
            if (r.count() > 0) {
                out.add(new Finding(DlpTemplates.findingSymbol(id), Category.CONTENT, r.count(), r.count() + " match(es): "
                        + r.samples().stream().map(DlpMatch::redacted).collect(Collectors.joining(", "))));
            }
            if (!r.complete()) {
                out.add(new Finding(FAILURE_SYMBOL, Category.FAILURE, 0, id + (r.timedOut() ? " timed out" : " cut")
                        + " after " + r.count() + " match(es)"));
            }
        }
        return out;
    }
}
