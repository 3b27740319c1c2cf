package io.portcullis.report.service;

/** A record that can never be processed (not JSON, not the expected record, missing required fields). */
public final class PoisonRecordException extends RuntimeException {
    public PoisonRecordException(String message) {
        super(message);
    }

    public PoisonRecordException(String message, Throwable cause) {
        super(message, cause);
    }
}
