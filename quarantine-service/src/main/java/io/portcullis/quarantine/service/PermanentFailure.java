package io.portcullis.quarantine.service;

/** A record that can never be processed as it is (invalid, inconsistent); it goes to the dead-letter topic. */
public class PermanentFailure extends RuntimeException {
    public PermanentFailure(String message) {
        super(message);
    }

    public PermanentFailure(String message, Throwable cause) {
        super(message, cause);
    }
}
