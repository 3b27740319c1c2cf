package io.portcullis.scanner.signatures;

/** A signature bundle could not be fetched, verified or loaded; the message says why (no bundle content). */
public class SignatureUpdateException extends Exception {
    public SignatureUpdateException(String message) {
        super(message);
    }

    public SignatureUpdateException(String message, Throwable cause) {
        super(message, cause);
    }
}
