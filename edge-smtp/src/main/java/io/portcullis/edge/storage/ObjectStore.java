package io.portcullis.edge.storage;

import java.io.IOException;
import java.io.InputStream;

/**
 * Blocking object storage for message bodies (S3 in production, in memory in tests): the spool writes, delivery reads.
 * Never call it on an event loop.
 */
public interface ObjectStore {

    /** Writes an object; returns only once the store has it. */
    void put(String bucket, String key, InputStream body, long size, String contentType) throws IOException;

    /**
     * Opens an object for streaming; the caller closes the stream.
     *
     * @throws java.io.FileNotFoundException when the bucket or object does not exist
     * @throws IOException                   when storage cannot be reached or fails
     */
    InputStream open(String bucket, String key) throws IOException;

    /** Removes an object; absent objects are not an error. */
    void delete(String bucket, String key) throws IOException;

    /** Whether the bucket exists (reachability probe). */
    boolean bucketExists(String bucket) throws IOException;

    /** Creates the bucket when it does not exist. */
    void ensureBucket(String bucket) throws IOException;
}
