package io.portcullis.policy.engine.condition;

import io.portcullis.contracts.policy.RuleCondition;
import io.portcullis.policy.engine.EvaluationContext;
import io.portcullis.policy.engine.PolicyValidationException;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/** Compiles a rule's conditions, checking that each has exactly the parameters its type uses. */
public final class Conditions {
    /** Condition types and the parameters each uses (besides {@code negate}). */
    static final Map<String, Set<String>> PARAMETERS = Map.ofEntries(
            Map.entry("class", Set.of("values")),
            Map.entry("symbol", Set.of("values")),
            Map.entry("spam-score", Set.of("operator", "threshold")),
            Map.entry("message-size", Set.of("operator", "threshold")),
            Map.entry("recipient-count", Set.of("operator", "threshold")),
            Map.entry("attachment-count", Set.of("operator", "threshold")),
            Map.entry("attachment-name", Set.of("values")),
            Map.entry("attachment-extension", Set.of("values")),
            Map.entry("attachment-type", Set.of("values")),
            Map.entry("attachment-size", Set.of("operator", "threshold")),
            Map.entry("header", Set.of("field", "values")),
            Map.entry("time-of-day", Set.of("field", "values")),
            Map.entry("keywords", Set.of("field", "values", "threshold")),
            Map.entry("regex", Set.of("field", "values", "threshold")),
            Map.entry("dictionary", Set.of("field", "values", "threshold")),
            Map.entry("dlp", Set.of("values", "threshold")));

    private Conditions() {
    }

    /** All known condition types. */
    public static Set<String> types() {
        return PARAMETERS.keySet();
    }

    /** Compiles one condition; {@code path} (e.g. {@code conditions[2]}) prefixes the field named in errors. */
    public static Condition compile(RuleCondition c, String path) {
        if (c == null) {
            throw new PolicyValidationException(path, "missing condition");
        }
        String type = c.type() == null ? "" : c.type().strip().toLowerCase(Locale.ROOT);
        Set<String> uses = PARAMETERS.get(type);
        if (uses == null) {
            throw new PolicyValidationException(path + ".type", "unknown condition type '" + c.type() + "' (one of "
                    + new java.util.TreeSet<>(PARAMETERS.keySet()) + ")");
        }
        unused(uses, "field", c.field() != null, type, path);
        unused(uses, "operator", c.operator() != null, type, path);
        unused(uses, "values", !c.values().isEmpty(), type, path);
        unused(uses, "threshold", c.threshold() != null, type, path);
        if (c.values().size() > 1000) {
            throw new PolicyValidationException(path + ".values", "more than 1,000 values");
        }
        Condition compiled = switch (type) {
            case "class" -> new ClassCondition(c.values(), path);
            case "symbol" -> new SymbolCondition(c.values(), path);
            case "spam-score" -> new NumberCondition(EvaluationContext::spamScore, c.operator(), c.threshold(), false,
                    path);
            case "message-size" -> new NumberCondition(x -> x.input().messageSize(), c.operator(), c.threshold(), true,
                    path);
            case "recipient-count" -> new NumberCondition(x -> x.input().recipients().size(), c.operator(),
                    c.threshold(), true, path);
            case "attachment-count" -> new NumberCondition(x -> x.input().attachments().size(), c.operator(),
                    c.threshold(), true, path);
            case "attachment-name" -> AttachmentCondition.byName(c.values(), path);
            case "attachment-extension" -> AttachmentCondition.byExtension(c.values(), path);
            case "attachment-type" -> AttachmentCondition.byType(c.values(), path);
            case "attachment-size" -> AttachmentCondition.bySize(c.operator(), c.threshold(), path);
            case "header" -> new HeaderCondition(c.field(), c.values(), path);
            case "time-of-day" -> new TimeOfDayCondition(c.field(), c.values(), path);
            case "keywords" -> ContentCondition.keywords(c.field(), c.values(), c.threshold(), path);
            case "regex" -> ContentCondition.regex(c.field(), c.values(), c.threshold(), path);
            case "dictionary" -> ContentCondition.dictionary(c.field(), c.values(), c.threshold(), path);
            case "dlp" -> new DlpCondition(c.values(), c.threshold(), path);
            default -> throw new IllegalStateException(type);
        };
        return c.negate() ? new Not(compiled) : compiled;
    }

    private static void unused(Set<String> uses, String param, boolean present, String type, String path) {
        if (present && !uses.contains(param)) {
            throw new PolicyValidationException(path + "." + param, type + " conditions take no " + param
                    + " (they use " + new java.util.TreeSet<>(uses) + ")");
        }
    }

    /** Whether the condition is a {@code time-of-day} window (decidable before the message is read). */
    public static boolean isTimeOfDay(Condition c) {
        return c instanceof TimeOfDayCondition;
    }

    /** Whether the condition reads the message text (then the scanner must extract it). */
    public static boolean readsText(Condition c) {
        return (c instanceof Not n ? n.inner() : c) instanceof ContentCondition;
    }

    /** The DLP templates a condition needs run (empty for other conditions). */
    public static List<String> dlpTemplates(Condition c) {
        return (c instanceof Not n ? n.inner() : c) instanceof DlpCondition d ? d.templates() : List.of();
    }

    /** A negated condition; it selects no attachments. */
    private record Not(Condition inner) implements Condition {
        @Override
        public boolean test(EvaluationContext ctx) {
            return !inner.test(ctx);
        }
    }

    /**
     * The attachments a matching rule acts on: those that fit every attachment condition of the rule (when no single
     * attachment fits them all, those that fit any); all attachments when the rule has no attachment condition.
     */
    public static List<String> attachments(List<Condition> conditions, EvaluationContext ctx) {
        java.util.LinkedHashSet<String> all = new java.util.LinkedHashSet<>();
        java.util.LinkedHashSet<String> every = null;
        for (Condition c : conditions) {
            if (!c.aboutAttachments()) {
                continue;
            }
            List<String> fit = c.attachments(ctx);
            all.addAll(fit);
            if (every == null) {
                every = new java.util.LinkedHashSet<>(fit);
            } else {
                every.retainAll(fit);
            }
        }
        if (every == null) {
            return ctx.input().attachments().stream().map(io.portcullis.policy.engine.AttachmentInfo::path).toList();
        }
        return List.copyOf(every.isEmpty() ? all : every);
    }
}
