package io.portcullis.scanner.storage;

/** A message body could not be loaded (or did not match its reference); it must not be scanned as clean. */
public class BodyUnavailableException extends Exception {
    public BodyUnavailableException(String message, Throwable cause) {
        super(message, cause);
    }
}
