package io.portcullis.policy.storage;

/** The object store could not do what was asked; usually transient (unreachable, 5xx). */
public class ObjectStoreException extends RuntimeException {
    public ObjectStoreException(String message, Throwable cause) {
        super(message, cause);
    }

    public ObjectStoreException(String message) {
        super(message);
    }
}
