package io.portcullis.edge.storage;

import java.io.IOException;
import java.io.InputStream;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/** {@link ObjectStore} in memory, with switchable failures. */
public final class InMemoryObjectStore implements ObjectStore {

    public final Map<String, byte[]> objects = new ConcurrentHashMap<>();
    public final Set<String> buckets = ConcurrentHashMap.newKeySet();
    public volatile boolean failPuts;

    @Override
    public void put(String bucket, String key, InputStream body, long size, String contentType) throws IOException {
        if (failPuts) {
            throw new IOException("S3 unavailable");
        }
        if (!buckets.contains(bucket)) {
            throw new IOException("no bucket " + bucket);
        }
        byte[] bytes = body.readAllBytes();
        if (bytes.length != size) {
            throw new IOException("size mismatch");
        }
        objects.put(bucket + "/" + key, bytes);
    }

    /** Stores bytes directly (creating the bucket), for tests that read. */
    public void put(String bucket, String key, byte[] bytes) {
        buckets.add(bucket);
        objects.put(bucket + "/" + key, bytes);
    }

    @Override
    public InputStream open(String bucket, String key) throws IOException {
        byte[] bytes = objects.get(bucket + "/" + key);
        if (bytes == null) {
            throw new java.io.FileNotFoundException("s3://" + bucket + "/" + key);
        }
        return new java.io.ByteArrayInputStream(bytes);
    }

    @Override
    public void delete(String bucket, String key) {
        objects.remove(bucket + "/" + key);
    }

    @Override
    public boolean bucketExists(String bucket) {
        return buckets.contains(bucket);
    }

    @Override
    public void ensureBucket(String bucket) {
        buckets.add(bucket);
    }
}
