package io.portcullis.scanner.support;

import io.portcullis.scanner.storage.BodyStore;
import jakarta.annotation.Priority;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Alternative;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/** Object storage in memory for tests; can be told to fail the next reads. */
@Alternative
@Priority(1)
@ApplicationScoped
public class InMemoryBodyStore implements BodyStore {
    private final Map<String, byte[]> objects = new ConcurrentHashMap<>();
    private final AtomicInteger failuresLeft = new AtomicInteger();
    private final AtomicInteger opens = new AtomicInteger();

    public void put(String bucket, String key, byte[] bytes) {
        objects.put(bucket + "/" + key, bytes);
    }

    /** The next {@code n} reads fail with an IOException (a transient S3 outage). */
    public void failNext(int n) {
        failuresLeft.set(n);
    }

    public int opens() {
        return opens.get();
    }

    public void clear() {
        objects.clear();
        failuresLeft.set(0);
        opens.set(0);
    }

    @Override
    public InputStream open(String bucket, String key) throws IOException {
        opens.incrementAndGet();
        if (failuresLeft.getAndUpdate(n -> Math.max(0, n - 1)) > 0) {
            throw new IOException("simulated S3 outage");
        }
        byte[] bytes = objects.get(bucket + "/" + key);
        if (bytes == null) {
            throw new ObjectMissingException("NoSuchKey: " + bucket + "/" + key);
        }
        return new ByteArrayInputStream(bytes);
    }

    @Override
    public boolean reachable() {
        return true;
    }
}
