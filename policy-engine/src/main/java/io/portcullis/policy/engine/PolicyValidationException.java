package io.portcullis.policy.engine;

/** A rule that can't be used, with the field at fault (e.g. {@code conditions[1].operator}). */
public final class PolicyValidationException extends IllegalArgumentException {
    private final String field;

    public PolicyValidationException(String field, String message) {
        super(field + ": " + message);
        this.field = field;
    }

    /** The path of the field at fault, relative to the rule. */
    public String field() {
        return field;
    }

    /** The same error with a path prefix, e.g. {@code rules[3].} in front. */
    public PolicyValidationException under(String prefix) {
        return new PolicyValidationException(prefix + field, getMessage().substring(field.length() + 2));
    }
}
