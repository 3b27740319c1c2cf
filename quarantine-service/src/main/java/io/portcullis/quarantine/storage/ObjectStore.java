package io.portcullis.quarantine.storage;

import java.io.InputStream;

/**
 * The few object-storage operations quarantine needs. Every method throws {@link ObjectStoreException} when the
 * store cannot be reached (a transient failure) and {@link ObjectNotFoundException} when the object is missing.
 */
public interface ObjectStore {

    /** @return whether the bucket exists */
    boolean bucketExists(String bucket);

    /** Creates the bucket unless it exists. */
    void createBucketIfMissing(String bucket);

    /** Writes (or overwrites) an object. */
    void put(String bucket, String key, byte[] bytes, String contentType);

    /** Server-side copy; overwrites the target. */
    void copy(String sourceBucket, String sourceKey, String bucket, String key);

    /** @return whether the object exists */
    boolean exists(String bucket, String key);

    /** Opens the object for streaming; the caller closes the stream. */
    InputStream open(String bucket, String key);

    /** Removes the object; removing a missing object is not an error. */
    void delete(String bucket, String key);
}
