package io.portcullis.report.service;

/** No message with that id is tracked. */
public final class UnknownMessageException extends RuntimeException {
    public UnknownMessageException() {
        super("no such message");
    }
}
