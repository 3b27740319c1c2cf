package io.portcullis.policy.engine.dlp;

import io.portcullis.policy.engine.content.BoundedText;
import io.portcullis.policy.engine.content.DeadlineExceededException;
import java.util.Objects;
import java.util.OptionalDouble;

/** Base of all templates: cuts the input, runs the scan under the deadline and turns limits into flags. */
abstract class BoundedTemplate implements DlpTemplate {

    private final String id;
    private final int maxChars;

    BoundedTemplate(String id, int maxChars) {
        this.id = Objects.requireNonNull(id, "id");
        if (maxChars < 1) {
            throw new IllegalArgumentException("maxChars must be positive: " + maxChars);
        }
        this.maxChars = maxChars;
    }

    @Override
    public final String id() {
        return id;
    }

    @Override
    public final DlpResult scan(CharSequence text, long deadlineNanos) {
        Objects.requireNonNull(text, "text");
        Findings findings = new Findings();
        boolean truncated = text.length() > maxChars;
        boolean timedOut = false;
        try {
            scan(BoundedText.of(text, maxChars, deadlineNanos), findings);
        } catch (DeadlineExceededException e) {
            timedOut = true;
        }
        return new DlpResult(id, findings.count(), score(findings), hit(findings), findings.samples(), timedOut,
                truncated || findings.isLimitReached());
    }

    /** Scans the bounded text; may throw {@link DeadlineExceededException}. Stops when {@code add} says so. */
    abstract void scan(BoundedText text, Findings findings);

    /** The template's own threshold; built-ins hit on any match. */
    boolean hit(Findings findings) {
        return findings.count() > 0;
    }

    /** The score, for scoring templates. */
    OptionalDouble score(Findings findings) {
        return OptionalDouble.empty();
    }
}
