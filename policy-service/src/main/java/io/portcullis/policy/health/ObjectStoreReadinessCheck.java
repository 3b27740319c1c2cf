package io.portcullis.policy.health;

import io.portcullis.policy.storage.BucketInitializer;
import io.portcullis.policy.storage.ObjectStore;
import jakarta.enterprise.context.ApplicationScoped;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.Readiness;

/** Ready only when the signature bucket is reachable (database and Kafka have their own checks). */
@Readiness
@ApplicationScoped
public class ObjectStoreReadinessCheck implements HealthCheck {
    private final ObjectStore store;
    private final BucketInitializer buckets;

    public ObjectStoreReadinessCheck(ObjectStore store, BucketInitializer buckets) {
        this.store = store;
        this.buckets = buckets;
    }

    @Override
    public HealthCheckResponse call() {
        String bucket = buckets.bucket();
        try {
            buckets.ensureBucket();
            return HealthCheckResponse.named("object-store").withData("bucket", bucket)
                    .status(store.bucketExists(bucket)).build();
        } catch (RuntimeException e) {
            return HealthCheckResponse.named("object-store").withData("bucket", bucket)
                    .withData("error", e.getClass().getSimpleName()).down().build();
        }
    }
}
