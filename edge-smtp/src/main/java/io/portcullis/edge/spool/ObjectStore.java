package io.portcullis.edge.spool;

import java.io.IOException;
import java.io.InputStream;

/** Blocking object storage (S3 in production, in memory in tests). Never call it on an event loop. */
public interface ObjectStore {

    /** Writes an object; returns only once the store has it. */
    void put(String bucket, String key, InputStream body, long size, String contentType) throws IOException;

    /** Removes an object; absent objects are not an error. */
    void delete(String bucket, String key) throws IOException;

    /** Whether the bucket exists (reachability probe). */
    boolean bucketExists(String bucket) throws IOException;

    /** Creates the bucket when it does not exist. */
    void ensureBucket(String bucket) throws IOException;
}
