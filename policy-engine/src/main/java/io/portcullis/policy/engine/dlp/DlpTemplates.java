package io.portcullis.policy.engine.dlp;

import io.portcullis.policy.engine.content.ContentLimits;
import io.portcullis.policy.engine.content.KeywordMatcher;
import io.portcullis.policy.engine.content.PatternMatcher;
import io.portcullis.policy.engine.content.WeightedDictionary;
import io.portcullis.policy.engine.content.WeightedTerm;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Built-in DLP templates and the factory for custom ones. Every template reads at most {@code maxChars}
 * (default {@link ContentLimits#DEFAULT_MAX_CHARS}) chars, counts at most {@link #COUNT_CAP} matches and keeps at
 * most {@link #MAX_SAMPLES} redacted samples.
 */
public final class DlpTemplates {

    /** Samples kept per result. */
    public static final int MAX_SAMPLES = 5;

    /** Matches counted per scan; the scan stops there (the count is then "at least"). */
    public static final int COUNT_CAP = 10_000;

    /** Payment card numbers (Luhn and IIN ranges). */
    public static final String CREDIT_CARD = CreditCardTemplate.ID;
    /** IBANs (length per country, mod 97). */
    public static final String IBAN = IbanTemplate.ID;
    /** US social security numbers. */
    public static final String US_SSN = UsSsnTemplate.ID;
    /** Distinct email addresses. */
    public static final String EMAIL_LIST = EmailListTemplate.ID;
    /** Distinct phone numbers. */
    public static final String PHONE_LIST = PhoneListTemplate.ID;
    /** Keyword proximity (needs two term lists, see {@link #keywordProximity}). */
    public static final String KEYWORD_PROXIMITY = KeywordProximityTemplate.ID;

    /** Ids of the built-in templates that need no parameters ({@link #builtIn}). */
    public static final List<String> BUILT_IN_IDS = List.of(CREDIT_CARD, IBAN, US_SSN, EMAIL_LIST, PHONE_LIST);

    private static final Set<String> RESERVED_IDS = Set.of(CREDIT_CARD, IBAN, US_SSN, EMAIL_LIST, PHONE_LIST,
            KEYWORD_PROXIMITY);
    private static final Pattern ID_SYNTAX = Pattern.compile("[a-z0-9][a-z0-9._-]{0,63}");

    private DlpTemplates() {
    }

    /**
     * The finding symbol the scanner reports a template's matches under, which {@code dlp} rule conditions read:
     * {@code credit-card} → {@code DLP_CREDIT_CARD}.
     */
    public static String findingSymbol(String id) {
        return "DLP_" + id.toUpperCase(java.util.Locale.ROOT).replace('-', '_');
    }

    /** A built-in template by id, reading at most {@link ContentLimits#DEFAULT_MAX_CHARS} chars. */
    public static DlpTemplate builtIn(String id) {
        return builtIn(id, ContentLimits.DEFAULT_MAX_CHARS);
    }

    /**
     * A built-in template by id ({@link #BUILT_IN_IDS}).
     *
     * @throws IllegalArgumentException for an unknown id, or {@code keyword-proximity} (use {@link #keywordProximity})
     */
    public static DlpTemplate builtIn(String id, int maxChars) {
        if (id == null) {
            throw new IllegalArgumentException("template: id is required");
        }
        return switch (id) {
            case CreditCardTemplate.ID -> new CreditCardTemplate(maxChars);
            case IbanTemplate.ID -> new IbanTemplate(maxChars);
            case UsSsnTemplate.ID -> new UsSsnTemplate(maxChars);
            case EmailListTemplate.ID -> new EmailListTemplate(maxChars);
            case PhoneListTemplate.ID -> new PhoneListTemplate(maxChars);
            case KeywordProximityTemplate.ID -> throw new IllegalArgumentException(
                    "template: keyword-proximity needs two term lists and a distance (keywordProximity(...))");
            default -> throw new IllegalArgumentException("template: unknown built-in template '" + id
                    + "' (known: " + String.join(", ", BUILT_IN_IDS) + ")");
        };
    }

    /** All parameterless built-ins, in {@link #BUILT_IN_IDS} order. */
    public static List<DlpTemplate> builtIns() {
        List<DlpTemplate> all = new ArrayList<>();
        for (String id : BUILT_IN_IDS) {
            all.add(builtIn(id));
        }
        return List.copyOf(all);
    }

    /**
     * The {@code keyword-proximity} template: a term of {@code terms} within {@code distance} words of a term of
     * {@code nearTerms}; hits on one such occurrence. Errors name {@code terms[i]}, {@code nearTerms[i]} or
     * {@code distance}.
     */
    public static DlpTemplate keywordProximity(List<String> terms, List<String> nearTerms, int distance) {
        checkDistance(distance);
        return new KeywordProximityTemplate(KEYWORD_PROXIMITY, KeywordMatcher.compile("terms", terms),
                KeywordMatcher.compile("nearTerms", nearTerms), distance, 1, ContentLimits.DEFAULT_MAX_CHARS);
    }

    /** Compiles a custom template reading at most {@link ContentLimits#DEFAULT_MAX_CHARS} chars. */
    public static DlpTemplate compile(DlpTemplateSpec spec) {
        return compile(spec, ContentLimits.DEFAULT_MAX_CHARS);
    }

    /**
     * Compiles a custom template.
     *
     * @throws IllegalArgumentException whose message starts with the offending field, e.g. {@code terms[3]: empty
     *     term}, {@code pattern: invalid regular expression: ...}, {@code threshold: required for kind DICTIONARY}
     */
    public static DlpTemplate compile(DlpTemplateSpec spec, int maxChars) {
        if (spec == null) {
            throw new IllegalArgumentException("spec: required");
        }
        String id = checkId(spec.id());
        if (spec.kind() == null) {
            throw new IllegalArgumentException("kind: required (one of DICTIONARY, KEYWORD, PATTERN, PROXIMITY)");
        }
        DlpTemplateSpec.Kind kind = spec.kind();
        unused(kind, "weights", kind != DlpTemplateSpec.Kind.DICTIONARY && present(spec.weights()));
        unused(kind, "nearTerms", kind != DlpTemplateSpec.Kind.PROXIMITY && present(spec.nearTerms()));
        unused(kind, "pattern", kind != DlpTemplateSpec.Kind.PATTERN && spec.pattern() != null);
        unused(kind, "terms", kind == DlpTemplateSpec.Kind.PATTERN && present(spec.terms()));
        unused(kind, "distance", kind != DlpTemplateSpec.Kind.PROXIMITY && spec.distance() != null);
        return switch (kind) {
            case DICTIONARY -> new DictionaryTemplate(id, dictionary(spec), maxChars);
            case KEYWORD -> new KeywordTemplate(id, KeywordMatcher.compile("terms", spec.terms()),
                    minCount(kind, spec.threshold()), maxChars);
            case PATTERN -> new PatternTemplate(id, PatternMatcher.compile("pattern", spec.pattern(), false),
                    minCount(kind, spec.threshold()), maxChars);
            case PROXIMITY -> {
                if (spec.distance() == null) {
                    throw new IllegalArgumentException("distance: required for kind PROXIMITY");
                }
                checkDistance(spec.distance());
                yield new KeywordProximityTemplate(id, KeywordMatcher.compile("terms", spec.terms()),
                        KeywordMatcher.compile("nearTerms", spec.nearTerms()), spec.distance(),
                        minCount(kind, spec.threshold()), maxChars);
            }
        };
    }

    private static WeightedDictionary dictionary(DlpTemplateSpec spec) {
        List<String> terms = spec.terms();
        List<Double> weights = spec.weights();
        if (terms == null || terms.isEmpty()) {
            throw new IllegalArgumentException("terms: at least one term is required");
        }
        if (weights == null || weights.size() != terms.size()) {
            throw new IllegalArgumentException("weights: " + (weights == null ? 0 : weights.size())
                    + " weights for " + terms.size() + " terms (one weight per term)");
        }
        if (spec.threshold() == null) {
            throw new IllegalArgumentException("threshold: required for kind DICTIONARY");
        }
        List<WeightedTerm> weighted = new ArrayList<>(terms.size());
        for (int i = 0; i < terms.size(); i++) {
            Double weight = weights.get(i);
            if (weight == null || !Double.isFinite(weight)) {
                throw new IllegalArgumentException("weights[" + i + "]: must be a finite number");
            }
            weighted.add(new WeightedTerm(terms.get(i), weight));
        }
        return WeightedDictionary.compile(weighted, spec.threshold());
    }

    private static String checkId(String id) {
        if (id == null || id.isEmpty()) {
            throw new IllegalArgumentException("id: required");
        }
        if (!ID_SYNTAX.matcher(id).matches()) {
            throw new IllegalArgumentException("id: '" + id + "' must match [a-z0-9][a-z0-9._-]{0,63}");
        }
        if (RESERVED_IDS.contains(id)) {
            throw new IllegalArgumentException("id: '" + id + "' is the id of a built-in template");
        }
        return id;
    }

    private static int minCount(DlpTemplateSpec.Kind kind, Double threshold) {
        if (threshold == null) {
            return 1;
        }
        double value = threshold;
        if (value != Math.rint(value) || value < 1 || value > COUNT_CAP) {
            throw new IllegalArgumentException("threshold: must be a whole number from 1 to " + COUNT_CAP
                    + " (a minimum count) for kind " + kind);
        }
        return (int) value;
    }

    private static void checkDistance(int distance) {
        if (distance < 1 || distance > KeywordProximityTemplate.MAX_DISTANCE) {
            throw new IllegalArgumentException("distance: must be from 1 to " + KeywordProximityTemplate.MAX_DISTANCE
                    + " words, was " + distance);
        }
    }

    private static void unused(DlpTemplateSpec.Kind kind, String field, boolean present) {
        if (present) {
            throw new IllegalArgumentException(field + ": not used by kind " + kind);
        }
    }

    private static boolean present(List<?> list) {
        return list != null && !list.isEmpty();
    }
}
