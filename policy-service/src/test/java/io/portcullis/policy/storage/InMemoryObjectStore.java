package io.portcullis.policy.storage;

import io.quarkus.test.Mock;
import jakarta.enterprise.context.ApplicationScoped;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/** Object store in memory, with a switch that simulates an S3 outage. Replaces MinIO in @QuarkusTests. */
@Mock
@ApplicationScoped
public class InMemoryObjectStore implements ObjectStore {
    private final Set<String> buckets = ConcurrentHashMap.newKeySet();
    private final Map<String, byte[]> objects = new ConcurrentHashMap<>();
    private final Map<String, Map<String, String>> metadata = new ConcurrentHashMap<>();
    private volatile boolean failing;

    public void failing(boolean failing) {
        this.failing = failing;
    }

    /** Forgets all objects (buckets stay). */
    public void clearObjects() {
        objects.clear();
        metadata.clear();
    }

    public Optional<byte[]> get(String bucket, String key) {
        return Optional.ofNullable(objects.get(bucket + "/" + key));
    }

    public Map<String, String> metadata(String bucket, String key) {
        return metadata.getOrDefault(bucket + "/" + key, Map.of());
    }

    /** Writes an object directly, as another instance (or an attacker with S3 access) would. */
    public void putBytes(String bucket, String key, byte[] bytes) {
        objects.put(bucket + "/" + key, bytes.clone());
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
    public void put(String bucket, String key, Path file, String contentType, Map<String, String> meta) {
        check();
        if (!buckets.contains(bucket)) {
            throw new ObjectNotFoundException(bucket, key);
        }
        try {
            objects.put(bucket + "/" + key, Files.readAllBytes(file));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        metadata.put(bucket + "/" + key, Map.copyOf(meta));
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

    private void check() {
        if (failing) {
            throw new ObjectStoreException("simulated S3 outage");
        }
    }
}
