package io.portcullis.edge.health;

import io.portcullis.edge.config.EdgeConfig;
import io.portcullis.edge.storage.ObjectStore;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Duration;

/** Whether the spool bucket exists and the S3 endpoint answers, cached for 5 s. */
@ApplicationScoped
public class ObjectStoreProbe {

    private static final Duration CACHE = Duration.ofSeconds(5);

    private final ObjectStore store;
    private final String bucket;
    private long checkedAt;
    private String lastError;

    public ObjectStoreProbe(ObjectStore store, EdgeConfig config) {
        this.store = store;
        this.bucket = config.spool().bucket();
    }

    /** @return null when the bucket is reachable, else the reason */
    public synchronized String problem() {
        long now = System.nanoTime();
        if (checkedAt != 0 && now - checkedAt < CACHE.toNanos()) {
            return lastError;
        }
        try {
            lastError = store.bucketExists(bucket) ? null : "bucket " + bucket + " missing";
        } catch (Exception e) {
            lastError = e.getClass().getSimpleName() + ": " + e.getMessage();
        }
        checkedAt = System.nanoTime();
        return lastError;
    }
}
