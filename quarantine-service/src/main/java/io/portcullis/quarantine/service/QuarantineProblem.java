package io.portcullis.quarantine.service;

/** A request the API cannot fulfil; {@code rest.ApiExceptionMapper} maps each kind to one HTTP status. */
public class QuarantineProblem extends RuntimeException {

    public enum Kind {
        /** Malformed id or parameter (400). */
        INVALID,
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

    public QuarantineProblem(Kind kind, String message) {
        super(message);
        this.kind = kind;
    }

    public QuarantineProblem(Kind kind, String message, Throwable cause) {
        super(message, cause);
        this.kind = kind;
    }

    public Kind kind() {
        return kind;
    }
}
