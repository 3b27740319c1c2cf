package io.portcullis.policy.storage;

import java.io.InputStream;
import java.nio.file.Path;
import java.util.Map;

/**
 * The few object-storage operations signature bundles need. Every method throws {@link ObjectStoreException} when
 * the store cannot be reached or refuses, and {@link ObjectNotFoundException} when the object is missing.
 */
public interface ObjectStore {

    /** @return whether the bucket exists */
    boolean bucketExists(String bucket);

    /** Creates the bucket unless it exists. */
    void createBucketIfMissing(String bucket);

    /** Writes (or overwrites) an object with the bytes of a local file, streaming them. */
    void put(String bucket, String key, Path file, String contentType, Map<String, String> metadata);

    /** Opens the object for streaming; the caller closes the stream. */
    InputStream open(String bucket, String key);
}
