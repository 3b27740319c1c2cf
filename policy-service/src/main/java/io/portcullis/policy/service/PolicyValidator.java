package io.portcullis.policy.service;

import io.portcullis.contracts.events.Action;
import io.portcullis.contracts.events.HeaderField;
import io.portcullis.contracts.policy.Direction;
import io.portcullis.contracts.policy.PolicyRule;
import io.portcullis.contracts.policy.RuleAction;
import io.portcullis.contracts.policy.RuleCondition;
import io.portcullis.policy.engine.CompiledRule;
import io.portcullis.policy.engine.PolicyValidationException;
import io.portcullis.policy.engine.RuleActions;
import io.portcullis.policy.api.ConditionRequest;
import io.portcullis.policy.api.RuleRequest;
import io.portcullis.policy.api.SettingsRequest;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.UUID;
import java.util.regex.Pattern;

/**
 * Checks every field a client may send and normalises it. Pure: no database, no clock (callers pass the time).
 * Lengths are checked before patterns so oversized input is refused cheaply. Every error names its field.
 */
@ApplicationScoped
public class PolicyValidator {

    public static final int MAX_DOMAIN_LENGTH = 253;
    public static final int MAX_RULE_ID_LENGTH = 64;
    public static final int MAX_NAME_LENGTH = 200;
    public static final int MAX_PRIORITY = 1_000_000;
    public static final int MAX_SYMBOL_LENGTH = 64;
    public static final int MAX_SUBJECT_PREFIX_LENGTH = 64;
    public static final int MAX_HEADERS = 20;
    public static final int MAX_HEADER_NAME_LENGTH = 64;
    public static final int MAX_HEADER_VALUE_LENGTH = 500;
    public static final double MAX_SPAM_THRESHOLD = 1000;
    public static final int MAX_EXTENSIONS = 200;
    public static final int MAX_EXTENSION_LENGTH = 16;

    /** The verdict classes a rule may match, besides {@code SYMBOL:<NAME>}. */
    public static final Set<String> MATCH_CLASSES = Set.of("VIRUS", "MASS_MAILER", "GRAYWARE", "SPAM",
            "BLOCKED_ATTACHMENT", "ACTIVE_CONTENT", "SCAN_FAILURE");

    /**
     * Header fields a rule may not add: a second copy of these changes who a message is from or to, how it is
     * parsed, or forges the trace.
     */
    public static final Set<String> RESERVED_HEADERS = Set.of("from", "sender", "reply-to", "to", "cc", "bcc",
            "subject", "date", "message-id", "received", "return-path", "mime-version", "content-type",
            "content-transfer-encoding", "content-disposition", "dkim-signature", "arc-seal",
            "arc-message-signature", "arc-authentication-results", "authentication-results");

    private static final Pattern LABEL = Pattern.compile("[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?");
    private static final Pattern RULE_ID = Pattern.compile("[a-z0-9][a-z0-9._-]{0,63}");
    private static final Pattern SYMBOL = Pattern.compile("[A-Z][A-Z0-9_]{0,63}");
    private static final Pattern EXTENSION = Pattern.compile("[a-z0-9]{1,16}");
    private static final String SYMBOL_PREFIX = "SYMBOL:";

    /**
     * An accepted domain: ASCII (internationalised names in their xn-- form), at least two labels of letters,
     * digits and inner hyphens, a top-level label that is not all digits (no IP addresses). Returned lower case.
     */
    public String domain(String raw) {
        String field = "domain";
        if (raw == null || raw.isEmpty()) {
            throw new InvalidPolicyException(field, "domain is required");
        }
        if (raw.length() > MAX_DOMAIN_LENGTH) {
            throw new InvalidPolicyException(field, "domain is longer than " + MAX_DOMAIN_LENGTH + " characters");
        }
        for (int i = 0; i < raw.length(); i++) {
            if (raw.charAt(i) > 0x7E) {
                throw new InvalidPolicyException(field,
                        "domain must be ASCII; give an internationalised domain in its xn-- (A-label) form");
            }
        }
        String domain = raw.toLowerCase(Locale.ROOT);
        String[] labels = domain.split("\\.", -1);
        if (labels.length < 2) {
            throw new InvalidPolicyException(field, "domain needs at least two labels, e.g. example.com");
        }
        for (String label : labels) {
            if (!LABEL.matcher(label).matches()) {
                throw new InvalidPolicyException(field,
                        "domain labels are 1-63 letters, digits or inner hyphens, separated by single dots");
            }
        }
        if (labels[labels.length - 1].chars().allMatch(Character::isDigit)) {
            throw new InvalidPolicyException(field, "the top-level label cannot be numeric");
        }
        return domain;
    }

    /**
     * A rule to create ({@code pathId} null) or to replace ({@code pathId} the id in the URL), in the full or the short
     * form; see {@link #rule(RuleRequest, String, Instant)}. No expiry check.
     */
    public ValidRule rule(RuleRequest request, String pathId) {
        return rule(request, pathId, null);
    }

    /**
     * A rule to create ({@code pathId} null) or to replace ({@code pathId} the id in the URL). The short form is
     * checked field by field as before and turned into the full form; then the whole rule is compiled by
     * policy-engine, whose errors name the field ({@code conditions[0].operator}). Header fields an
     * {@code add-header} action adds are checked like the short form's. {@code now}, when given, refuses an
     * {@code expiresAt} that has passed.
     */
    public ValidRule rule(RuleRequest request, String pathId, Instant now) {
        if (request == null) {
            throw new InvalidPolicyException("body", "a rule object is required");
        }
        String id = ruleId(request.id(), pathId);
        String name = name(request.name());
        int priority = priority(request.priority());
        boolean enabled = request.enabled() == null || request.enabled();
        Direction direction = direction(request.direction());
        boolean shortForm = request.match() != null || request.action() != null || request.subjectPrefix() != null
                || (request.addHeaders() != null && !request.addHeaders().isEmpty());
        if (now != null && request.expiresAt() != null && !request.expiresAt().isAfter(now)) {
            throw new InvalidPolicyException("expiresAt", "expiresAt has passed");
        }
        PolicyRule rule;
        if (shortForm) {
            if (request.conditions() != null) {
                throw new InvalidPolicyException("conditions",
                        "give either the short form (match, action) or the full form (conditions, actions)");
            }
            if (request.actions() != null) {
                throw new InvalidPolicyException("actions",
                        "give either the short form (match, action) or the full form (conditions, actions)");
            }
            String match = match(request.match());
            Action action = action(request.action());
            String subjectPrefix = subjectPrefix(request.subjectPrefix(), action);
            List<HeaderField> headers = headers(request.addHeaders(), action);
            rule = new PolicyRule(id, name, priority, match, action, subjectPrefix, headers, direction,
                    request.scope(), null, null, request.expiresAt());
        } else {
            if (request.actions() == null || request.actions().isEmpty()) {
                throw new InvalidPolicyException("actions",
                        "actions is required (or the short form: match and action)");
            }
            rule = new PolicyRule(id, name, priority, null, null, null, null, direction, request.scope(),
                    conditions(request.conditions()), request.actions(),
                    request.expiresAt());
        }
        return new ValidRule(compile(rule), enabled);
    }

    /** Compiles with policy-engine and returns the normalised full form (types lower case, no short fields). */
    private static PolicyRule compile(PolicyRule rule) {
        try {
            CompiledRule.compile(rule);
            List<RuleAction> actions = RuleActions.validate(rule.actions(), "actions");
            for (int i = 0; i < actions.size(); i++) {
                List<HeaderField> headers = actions.get(i).headers();
                for (int j = 0; j < headers.size(); j++) {
                    String field = "actions[" + i + "].headers[" + j + "].name";
                    if (RESERVED_HEADERS.contains(headers.get(j).name().toLowerCase(Locale.ROOT))) {
                        throw new InvalidPolicyException(field,
                                "header " + headers.get(j).name() + " may not be added by a rule");
                    }
                }
            }
            List<RuleCondition> conditions = rule.conditions().stream()
                    .map(c -> new RuleCondition(c.type().strip().toLowerCase(Locale.ROOT), c.field(), c.operator(),
                            c.values(), c.threshold(), c.negate()))
                    .toList();
            return new PolicyRule(rule.id(), rule.name(), rule.priority(), null, null, null, null, rule.direction(),
                    rule.scope(), conditions, actions, rule.expiresAt());
        } catch (PolicyValidationException e) {
            throw new InvalidPolicyException(e.field(), e.getMessage());
        }
    }

    private static List<RuleCondition> conditions(List<ConditionRequest> raw) {
        if (raw == null) {
            return List.of();
        }
        List<RuleCondition> out = new ArrayList<>(raw.size());
        for (int i = 0; i < raw.size(); i++) {
            ConditionRequest c = raw.get(i);
            if (c == null) {
                throw new InvalidPolicyException("conditions[" + i + "]", "a condition is an object with a type");
            }
            if (c.values() != null && c.values().contains(null)) {
                throw new InvalidPolicyException("conditions[" + i + "].values[" + c.values().indexOf(null) + "]",
                        "values are strings");
            }
            out.add(new RuleCondition(c.type(), c.field(), c.operator(), c.values(), c.threshold(),
                    Boolean.TRUE.equals(c.negate())));
        }
        return out;
    }

    private static Direction direction(String raw) {
        if (raw == null) {
            return Direction.BOTH;
        }
        for (Direction d : Direction.values()) {
            if (d.name().equals(raw)) {
                return d;
            }
        }
        throw new InvalidPolicyException("direction", "direction must be INBOUND, OUTBOUND or BOTH");
    }

    /** Both settings, replaced together. Extensions are lower-cased, de-duplicated, order kept. */
    public ValidSettings settings(SettingsRequest request) {
        if (request == null) {
            throw new InvalidPolicyException("body", "a settings object is required");
        }
        Double threshold = request.spamThreshold();
        if (threshold == null) {
            throw new InvalidPolicyException("spamThreshold", "spamThreshold is required");
        }
        if (!Double.isFinite(threshold) || threshold <= 0 || threshold > MAX_SPAM_THRESHOLD) {
            throw new InvalidPolicyException("spamThreshold",
                    "spamThreshold must be above 0 and at most " + (int) MAX_SPAM_THRESHOLD);
        }
        List<String> raw = request.blockedExtensions();
        if (raw == null) {
            throw new InvalidPolicyException("blockedExtensions", "blockedExtensions is required (may be empty)");
        }
        if (raw.size() > MAX_EXTENSIONS) {
            throw new InvalidPolicyException("blockedExtensions", "at most " + MAX_EXTENSIONS + " extensions");
        }
        Set<String> extensions = new LinkedHashSet<>();
        for (int i = 0; i < raw.size(); i++) {
            String field = "blockedExtensions[" + i + "]";
            String ext = raw.get(i);
            if (ext == null || ext.isEmpty() || ext.length() > MAX_EXTENSION_LENGTH) {
                throw new InvalidPolicyException(field, "an extension is 1-" + MAX_EXTENSION_LENGTH + " characters");
            }
            String lower = ext.toLowerCase(Locale.ROOT);
            if (!EXTENSION.matcher(lower).matches()) {
                throw new InvalidPolicyException(field, "an extension is ASCII letters and digits, without the dot");
            }
            extensions.add(lower);
        }
        return new ValidSettings(threshold, new ArrayList<>(extensions));
    }

    private static String ruleId(String bodyId, String pathId) {
        if (pathId != null) {
            if (bodyId != null && !bodyId.equals(pathId)) {
                throw new InvalidPolicyException("id", "id in the body differs from the id in the path");
            }
            return pathId;
        }
        if (bodyId == null) {
            return "rule-" + UUID.randomUUID();
        }
        if (bodyId.length() > MAX_RULE_ID_LENGTH || !RULE_ID.matcher(bodyId).matches()) {
            throw new InvalidPolicyException("id",
                    "id is 1-" + MAX_RULE_ID_LENGTH + " lower-case letters, digits, '.', '_' or '-'");
        }
        return bodyId;
    }

    private static String name(String name) {
        if (name == null || name.isBlank()) {
            throw new InvalidPolicyException("name", "name is required");
        }
        if (name.length() > MAX_NAME_LENGTH) {
            throw new InvalidPolicyException("name", "name is longer than " + MAX_NAME_LENGTH + " characters");
        }
        requireNoControl("name", name);
        return name.strip();
    }

    private static int priority(Integer priority) {
        if (priority == null) {
            throw new InvalidPolicyException("priority", "priority is required");
        }
        if (priority < 0 || priority > MAX_PRIORITY) {
            throw new InvalidPolicyException("priority", "priority must be between 0 and " + MAX_PRIORITY);
        }
        return priority;
    }

    private static String match(String match) {
        String field = "match";
        if (match == null || match.isEmpty()) {
            throw new InvalidPolicyException(field, "match is required");
        }
        if (MATCH_CLASSES.contains(match)) {
            return match;
        }
        if (match.startsWith(SYMBOL_PREFIX)) {
            String symbol = match.substring(SYMBOL_PREFIX.length());
            if (symbol.length() <= MAX_SYMBOL_LENGTH && SYMBOL.matcher(symbol).matches()) {
                return match;
            }
            throw new InvalidPolicyException(field,
                    "a symbol is an upper-case letter then up to " + (MAX_SYMBOL_LENGTH - 1) + " of A-Z, 0-9, _");
        }
        throw new InvalidPolicyException(field,
                "match must be VIRUS, MASS_MAILER, GRAYWARE, SPAM, BLOCKED_ATTACHMENT, "
                        + "ACTIVE_CONTENT, SCAN_FAILURE or SYMBOL:<NAME>");
    }

    private static Action action(String action) {
        if (action == null || action.isEmpty()) {
            throw new InvalidPolicyException("action", "action is required");
        }
        for (Action candidate : Action.values()) {
            if (candidate.name().equals(action)) {
                return candidate;
            }
        }
        throw new InvalidPolicyException("action", "action must be one of " + List.of(Action.values()));
    }

    private static String subjectPrefix(String prefix, Action action) {
        String field = "subjectPrefix";
        if (prefix == null || prefix.isEmpty()) {
            return null;
        }
        if (action != Action.TAG) {
            throw new InvalidPolicyException(field, "subjectPrefix only applies to TAG rules");
        }
        if (prefix.length() > MAX_SUBJECT_PREFIX_LENGTH) {
            throw new InvalidPolicyException(field,
                    "subjectPrefix is longer than " + MAX_SUBJECT_PREFIX_LENGTH + " characters");
        }
        requireNoControl(field, prefix);
        return prefix;
    }

    private static List<HeaderField> headers(List<HeaderField> headers, Action action) {
        if (headers == null || headers.isEmpty()) {
            return List.of();
        }
        if (action != Action.TAG) {
            throw new InvalidPolicyException("addHeaders", "addHeaders only applies to TAG rules");
        }
        if (headers.size() > MAX_HEADERS) {
            throw new InvalidPolicyException("addHeaders", "at most " + MAX_HEADERS + " headers");
        }
        List<HeaderField> valid = new ArrayList<>(headers.size());
        for (int i = 0; i < headers.size(); i++) {
            HeaderField header = headers.get(i);
            String at = "addHeaders[" + i + "]";
            if (header == null) {
                throw new InvalidPolicyException(at, "a header is an object with name and value");
            }
            valid.add(new HeaderField(headerName(at + ".name", header.name()),
                    headerValue(at + ".value", header.value())));
        }
        return valid;
    }

    /** RFC 5322 field-name: 1*ftext, ftext = printable US-ASCII except colon. */
    private static String headerName(String field, String name) {
        if (name == null || name.isEmpty()) {
            throw new InvalidPolicyException(field, "header name is required");
        }
        if (name.length() > MAX_HEADER_NAME_LENGTH) {
            throw new InvalidPolicyException(field,
                    "header name is longer than " + MAX_HEADER_NAME_LENGTH + " characters");
        }
        for (int i = 0; i < name.length(); i++) {
            char c = name.charAt(i);
            if (c < 33 || c > 126 || c == ':') {
                throw new InvalidPolicyException(field,
                        "header name may only contain printable ASCII characters other than ':'");
            }
        }
        if (RESERVED_HEADERS.contains(name.toLowerCase(Locale.ROOT))) {
            throw new InvalidPolicyException(field, "header " + name + " may not be added by a rule");
        }
        return name;
    }

    /** Printable US-ASCII, space and tab: delivery prepends the field as it is, so no folding, no CR/LF. */
    private static String headerValue(String field, String value) {
        if (value == null) {
            throw new InvalidPolicyException(field, "header value is required (may be empty)");
        }
        if (value.length() > MAX_HEADER_VALUE_LENGTH) {
            throw new InvalidPolicyException(field,
                    "header value is longer than " + MAX_HEADER_VALUE_LENGTH + " characters");
        }
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            if (c == '\r' || c == '\n') {
                throw new InvalidPolicyException(field, "header value may not contain CR or LF");
            }
            if ((c < 32 && c != '\t') || c > 126) {
                throw new InvalidPolicyException(field, "header value must be printable ASCII");
            }
        }
        return value;
    }

    /** No CR, LF or other control characters, including Unicode line and paragraph separators. */
    private static void requireNoControl(String field, String value) {
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            if (c == '\r' || c == '\n') {
                throw new InvalidPolicyException(field, field + " may not contain CR or LF");
            }
            if (Character.isISOControl(c) || c == '\u2028' || c == '\u2029') {
                throw new InvalidPolicyException(field, field + " may not contain control characters");
            }
        }
    }
}
