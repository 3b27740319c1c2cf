package io.portcullis.spam;

import java.io.IOException;

/** A model file that is not a valid Portcullis spam model of a supported version. */
public final class ModelFormatException extends IOException {

    public ModelFormatException(String message) {
        super(message);
    }
}
