package io.portcullis.edge.delivery;

import java.io.ByteArrayInputStream;
import java.io.FileNotFoundException;
import java.io.InputStream;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/** {@link BodyStorage} in a map, for tests. */
final class InMemoryBodyStorage implements BodyStorage {
    final Map<String, byte[]> objects = new ConcurrentHashMap<>();

    void put(String bucket, String key, byte[] bytes) {
        objects.put(bucket + "/" + key, bytes);
    }

    @Override
    public InputStream open(String bucket, String key) throws FileNotFoundException {
        byte[] bytes = objects.get(bucket + "/" + key);
        if (bytes == null) {
            throw new FileNotFoundException("s3://" + bucket + "/" + key);
        }
        return new ByteArrayInputStream(bytes);
    }
}
