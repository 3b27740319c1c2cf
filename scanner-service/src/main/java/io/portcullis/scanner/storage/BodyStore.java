package io.portcullis.scanner.storage;

import java.io.IOException;
import java.io.InputStream;

/** Read access to the object storage that holds message bodies (S3 in production, in memory in tests). */
public interface BodyStore {

    /**
     * Opens an object for reading.
     *
     * @throws ObjectMissingException when the bucket or object does not exist (permanent)
     * @throws IOException            for any other failure (worth retrying)
     */
    InputStream open(String bucket, String key) throws IOException;

    /** Whether the store answers (readiness); never throws. */
    boolean reachable();

    /** The object (or its bucket) does not exist: retrying will not help. */
    class ObjectMissingException extends IOException {
        public ObjectMissingException(String message) {
            super(message);
        }
    }
}
