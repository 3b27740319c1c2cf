package io.portcullis.report.service;

/** A tracking query parameter that cannot be used; names the parameter. */
public final class InvalidQueryException extends RuntimeException {
    private final String field;

    public InvalidQueryException(String field, String message) {
        super(message);
        this.field = field;
    }

    public String field() {
        return field;
    }
}
