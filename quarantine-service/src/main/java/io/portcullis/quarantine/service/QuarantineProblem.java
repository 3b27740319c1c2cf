package io.portcullis.quarantine.service;

/** A request the API cannot fulfil; {@code rest.ApiExceptionMapper} maps each kind to one HTTP status. */
public class QuarantineProblem extends RuntimeException {

    public enum Kind {
        /** Malformed id or parameter (400). */
        INVALID,
        /** The role may not do this (403); the message says why. */
        FORBIDDEN,
        /** No such message (404). */
        NOT_FOUND,
        /** Not allowed in the message's current state (409). */
        CONFLICT,
        /** The message was deleted; its bytes are gone (410). */
        GONE,
        /** A dependency (S3, Kafka) is unavailable; try again (503). */
        UNAVAILABLE
    }

    private final Kind kind;
    private final String field;

    public QuarantineProblem(Kind kind, String message) {
        super(message);
        this.kind = kind;
        this.field = null;
    }

    /** A problem with one named request field (INVALID: 400 naming it). */
    public static QuarantineProblem invalid(String field, String message) {
        return new QuarantineProblem(Kind.INVALID, field, message);
    }

    private QuarantineProblem(Kind kind, String field, String message) {
        super(message);
        this.kind = kind;
        this.field = field;
    }

    public QuarantineProblem(Kind kind, String message, Throwable cause) {
        super(message, cause);
        this.kind = kind;
        this.field = null;
    }

    public Kind kind() {
        return kind;
    }

    /** The request field at fault, or null. */
    public String field() {
        return field;
    }
}
