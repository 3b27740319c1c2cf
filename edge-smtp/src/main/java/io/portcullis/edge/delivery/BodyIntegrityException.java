package io.portcullis.edge.delivery;

import java.io.IOException;

/** The stored body does not match its recorded SHA-256 or size: relaying it again will not help. */
public class BodyIntegrityException extends IOException {
    public BodyIntegrityException(String message) {
        super(message);
    }
}
