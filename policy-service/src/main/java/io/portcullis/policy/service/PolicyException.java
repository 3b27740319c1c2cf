package io.portcullis.policy.service;

/** A request the policy cannot honour. Each subclass maps to one HTTP status in the REST error table. */
public abstract class PolicyException extends RuntimeException {
    private final String field;

    protected PolicyException(String message, String field) {
        super(message);
        this.field = field;
    }

    /** The request field (or path parameter) at fault, or null. */
    public String field() {
        return field;
    }
}
