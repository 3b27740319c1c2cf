package io.portcullis.policy.engine;

import io.portcullis.contracts.events.HeaderField;
import io.portcullis.contracts.policy.RuleAction;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/** Checks a rule's actions and normalises their types (lower case). */
public final class RuleActions {
    /** Actions that decide what happens to the message; a rule has at most one. */
    public static final Set<String> MAIN = Set.of("deliver", "delete", "quarantine", "redirect", "defer", "reject");
    /** Actions that change or copy the message, or tell someone, and let evaluation go on. */
    public static final Set<String> OTHER = Set.of("tag-subject", "add-header", "strip-attachments", "bcc", "notify");
    /** Special notify recipients. */
    public static final Set<String> NOTIFY_ROLES = Set.of("sender", "recipients", "admin");

    private RuleActions() {
    }

    /** The validated, normalised actions; {@code path} is e.g. {@code actions}. */
    public static List<RuleAction> validate(List<RuleAction> actions, String path) {
        if (actions.isEmpty()) {
            throw new PolicyValidationException(path, "a rule needs at least one action");
        }
        if (actions.size() > 20) {
            throw new PolicyValidationException(path, "more than 20 actions");
        }
        List<RuleAction> out = new ArrayList<>();
        String main = null;
        for (int i = 0; i < actions.size(); i++) {
            String at = path + "[" + i + "]";
            RuleAction a = actions.get(i);
            if (a == null) {
                throw new PolicyValidationException(at, "missing action");
            }
            String type = a.type() == null ? "" : a.type().strip().toLowerCase(Locale.ROOT);
            if (!MAIN.contains(type) && !OTHER.contains(type)) {
                throw new PolicyValidationException(at + ".type", "unknown action '" + a.type() + "' (main: "
                        + new java.util.TreeSet<>(MAIN) + "; others: " + new java.util.TreeSet<>(OTHER) + ")");
            }
            if (MAIN.contains(type)) {
                if (main != null) {
                    throw new PolicyValidationException(at + ".type", "a rule has at most one main action; it already"
                            + " has '" + main + "'");
                }
                main = type;
            }
            out.add(check(type, a, at));
        }
        return List.copyOf(out);
    }

    private static RuleAction check(String type, RuleAction a, String at) {
        boolean takesValue = Set.of("quarantine", "defer", "reject", "tag-subject", "strip-attachments", "notify")
                .contains(type);
        boolean takesAddresses = Set.of("redirect", "bcc", "notify").contains(type);
        if (a.value() != null && !takesValue) {
            throw new PolicyValidationException(at + ".value", type + " takes no value");
        }
        if (!a.addresses().isEmpty() && !takesAddresses) {
            throw new PolicyValidationException(at + ".addresses", type + " takes no addresses");
        }
        if (!a.headers().isEmpty() && !type.equals("add-header")) {
            throw new PolicyValidationException(at + ".headers", type + " takes no headers");
        }
        // a subject tag and a notice keep their spaces ("[SPAM] "); other values are names and are trimmed
        String value = a.value() == null ? null
                : type.equals("tag-subject") || type.equals("strip-attachments") ? a.value() : a.value().strip();
        switch (type) {
            case "quarantine" -> {
                if (value != null && !value.matches("[a-z0-9][a-z0-9-]{0,39}")) {
                    throw new PolicyValidationException(at + ".value", "quarantine area '" + a.value()
                            + "' must be 1-40 of a-z, 0-9 and -");
                }
            }
            case "defer" -> TimeWindow.parse(value, null, at + ".value");
            case "reject" -> line(value, at + ".value", 200, false);
            case "tag-subject" -> line(value == null || value.isBlank() ? null : value, at + ".value", 100, true);
            case "strip-attachments" -> line(value, at + ".value", 2000, false);
            case "notify" -> {
                if (value != null && !value.matches("[A-Za-z0-9][A-Za-z0-9_.-]{0,63}")) {
                    throw new PolicyValidationException(at + ".value", "template id '" + a.value()
                            + "' must be 1-64 of letters, digits, _ . -");
                }
            }
            case "add-header" -> headers(a.headers(), at + ".headers");
            default -> {
            }
        }
        if (takesAddresses) {
            addresses(type, a.addresses(), at + ".addresses");
        }
        return new RuleAction(type, value, a.addresses(), a.headers());
    }

    private static void line(String value, String field, int max, boolean required) {
        if (value == null || value.isEmpty()) {
            if (required) {
                throw new PolicyValidationException(field, "required");
            }
            return;
        }
        if (value.length() > max) {
            throw new PolicyValidationException(field, "longer than " + max + " characters");
        }
        if (max <= 200 && value.chars().anyMatch(c -> c == '\r' || c == '\n' || c < 32 && c != '\t')) {
            throw new PolicyValidationException(field, "must be one line without control characters");
        }
    }

    private static void headers(List<HeaderField> headers, String field) {
        if (headers.isEmpty()) {
            throw new PolicyValidationException(field, "add-header needs at least one header");
        }
        for (int i = 0; i < headers.size(); i++) {
            HeaderField h = headers.get(i);
            String n = h == null || h.name() == null ? "" : h.name();
            if (n.isEmpty() || n.length() > 76 || !n.chars().allMatch(c -> c > 32 && c < 127 && c != ':')) {
                throw new PolicyValidationException(field + "[" + i + "].name", "'" + n + "' is not a header name");
            }
            String v = h.value() == null ? "" : h.value();
            if (v.length() > 900 || v.chars().anyMatch(c -> c == '\r' || c == '\n' || c == 0)) {
                throw new PolicyValidationException(field + "[" + i + "].value", "header value must be one line of at"
                        + " most 900 characters");
            }
        }
    }

    private static void addresses(String type, List<String> addresses, String field) {
        if (addresses.isEmpty()) {
            throw new PolicyValidationException(field, type + " needs at least one address");
        }
        if (addresses.size() > 50) {
            throw new PolicyValidationException(field, "more than 50 addresses");
        }
        for (int i = 0; i < addresses.size(); i++) {
            String a = addresses.get(i) == null ? "" : addresses.get(i).strip();
            if (type.equals("notify") && NOTIFY_ROLES.contains(a.toLowerCase(Locale.ROOT))) {
                continue;
            }
            int at = a.lastIndexOf('@');
            if (at <= 0 || at == a.length() - 1 || a.length() > 254 || a.chars().anyMatch(c -> c <= ' ' || c == '<'
                    || c == '>' || c == ',' || c == 127)) {
                throw new PolicyValidationException(field + "[" + i + "]", "'" + addresses.get(i)
                        + "' is not an address" + (type.equals("notify") ? " or one of " + NOTIFY_ROLES : ""));
            }
            AddressPattern.parse(a, field + "[" + i + "]");
        }
    }

    /** The main action of validated actions, or null. */
    public static RuleAction main(List<RuleAction> actions) {
        return actions.stream().filter(a -> MAIN.contains(a.type())).findFirst().orElse(null);
    }
}
