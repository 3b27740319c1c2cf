package io.portcullis.policy.engine.condition;

import io.portcullis.policy.engine.AttachmentInfo;
import io.portcullis.policy.engine.EvaluationContext;
import io.portcullis.policy.engine.PolicyValidationException;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Predicate;

/**
 * A condition on single attachments; it holds when at least one attachment fits, and those are the ones
 * {@code strip-attachments} removes:
 * {@code attachment-name} (globs on the file name, e.g. {@code invoice*.pdf}), {@code attachment-extension}
 * (extensions without the dot), {@code attachment-type} (true types from the content, globs allowed, e.g.
 * {@code application/vnd.ms-*}), {@code attachment-size} (bytes, with an operator and a threshold).
 */
final class AttachmentCondition implements Condition {
    private final Predicate<AttachmentInfo> fits;

    private AttachmentCondition(Predicate<AttachmentInfo> fits) {
        this.fits = fits;
    }

    static AttachmentCondition byName(List<String> values, String field) {
        List<Glob> globs = globs(values, field, 255);
        return new AttachmentCondition(a -> a.filename() != null && globs.stream().anyMatch(g -> g.matches(a.filename())));
    }

    static AttachmentCondition byExtension(List<String> values, String field) {
        List<String> exts = new ArrayList<>();
        for (int i = 0; i < nonEmpty(values, field).size(); i++) {
            String v = values.get(i) == null ? "" : values.get(i).strip().toLowerCase(java.util.Locale.ROOT);
            v = v.startsWith(".") ? v.substring(1) : v;
            if (v.isEmpty() || v.length() > 32 || v.chars().anyMatch(c -> c <= ' ' || c == '.' || c == '/')) {
                throw new PolicyValidationException(field + ".values[" + i + "]", "'" + values.get(i)
                        + "' is not a file extension");
            }
            exts.add(v);
        }
        return new AttachmentCondition(a -> exts.contains(a.extension()));
    }

    static AttachmentCondition byType(List<String> values, String field) {
        List<Glob> globs = globs(values, field, 255);
        return new AttachmentCondition(a -> a.trueType() != null && globs.stream().anyMatch(g -> g.matches(a.trueType())));
    }

    static AttachmentCondition bySize(String operator, Double threshold, String field) {
        Comparison c = Comparison.parse(operator, field);
        double t = Comparison.threshold(threshold, field);
        if (t < 0) {
            throw new PolicyValidationException(field + ".threshold", "must not be negative");
        }
        return new AttachmentCondition(a -> c.test(a.size(), t));
    }

    private static List<String> nonEmpty(List<String> values, String field) {
        if (values.isEmpty()) {
            throw new PolicyValidationException(field + ".values", "name at least one value");
        }
        return values;
    }

    private static List<Glob> globs(List<String> values, String field, int maxLength) {
        List<Glob> out = new ArrayList<>();
        for (int i = 0; i < nonEmpty(values, field).size(); i++) {
            String v = values.get(i) == null ? "" : values.get(i).strip();
            if (v.isEmpty() || v.length() > maxLength) {
                throw new PolicyValidationException(field + ".values[" + i + "]", "empty or longer than " + maxLength
                        + " characters");
            }
            out.add(new Glob(v));
        }
        return List.copyOf(out);
    }

    @Override
    public boolean test(EvaluationContext ctx) {
        return ctx.input().attachments().stream().anyMatch(fits);
    }

    @Override
    public boolean aboutAttachments() {
        return true;
    }

    @Override
    public List<String> attachments(EvaluationContext ctx) {
        return ctx.input().attachments().stream().filter(fits).map(AttachmentInfo::path).toList();
    }
}
