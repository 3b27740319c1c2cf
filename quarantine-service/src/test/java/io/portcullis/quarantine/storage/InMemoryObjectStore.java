package io.portcullis.quarantine.storage;

import io.quarkus.test.Mock;
import jakarta.enterprise.context.ApplicationScoped;
import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/** Object store in memory, with a switch that simulates an S3 outage. Replaces MinIO in @QuarkusTests. */
@Mock
@ApplicationScoped
public class InMemoryObjectStore implements ObjectStore {
    private final Set<String> buckets = ConcurrentHashMap.newKeySet();
    private final Map<String, byte[]> objects = new ConcurrentHashMap<>();
    private final AtomicInteger failedCalls = new AtomicInteger();
    private volatile boolean failing;

    public void failing(boolean failing) {
        this.failing = failing;
    }

    /** Forgets all objects (buckets stay). */
    public void clearObjects() {
        objects.clear();
    }

    public int failedCalls() {
        return failedCalls.get();
    }

    public Optional<byte[]> get(String bucket, String key) {
        return Optional.ofNullable(objects.get(bucket + "/" + key));
    }

    public long objectCount(String bucket) {
        return objects.keySet().stream().filter(k -> k.startsWith(bucket + "/")).count();
    }

    @Override
    public boolean bucketExists(String bucket) {
        check();
        return buckets.contains(bucket);
    }

    @Override
    public void createBucketIfMissing(String bucket) {
        check();
        buckets.add(bucket);
    }

    @Override
    public void put(String bucket, String key, byte[] bytes, String contentType) {
        check();
        requireBucket(bucket, key);
        objects.put(bucket + "/" + key, bytes.clone());
    }

    @Override
    public void copy(String sourceBucket, String sourceKey, String bucket, String key) {
        check();
        byte[] source = objects.get(sourceBucket + "/" + sourceKey);
        if (source == null) {
            throw new ObjectNotFoundException(sourceBucket, sourceKey);
        }
        requireBucket(bucket, key);
        objects.put(bucket + "/" + key, source.clone());
    }

    @Override
    public boolean exists(String bucket, String key) {
        check();
        return objects.containsKey(bucket + "/" + key);
    }

    @Override
    public InputStream open(String bucket, String key) {
        check();
        byte[] bytes = objects.get(bucket + "/" + key);
        if (bytes == null) {
            throw new ObjectNotFoundException(bucket, key);
        }
        return new ByteArrayInputStream(bytes);
    }

    @Override
    public void delete(String bucket, String key) {
        check();
        objects.remove(bucket + "/" + key);
    }

    private void requireBucket(String bucket, String key) {
        if (!buckets.contains(bucket)) {
            throw new ObjectNotFoundException(bucket, key);
        }
    }

    private void check() {
        if (failing) {
            failedCalls.incrementAndGet();
            throw new ObjectStoreException("simulated S3 outage");
        }
    }
}
