package io.portcullis.scanner.health;

import io.portcullis.scanner.storage.BodyStore;
import jakarta.enterprise.context.ApplicationScoped;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.Readiness;

/** Object storage answers: without it, bodies spooled to S3 cannot be scanned. */
@Readiness
@ApplicationScoped
public class ObjectStorageReadiness implements HealthCheck {
    private final BodyStore store;

    public ObjectStorageReadiness(BodyStore store) {
        this.store = store;
    }

    @Override
    public HealthCheckResponse call() {
        return HealthCheckResponse.named("object-storage").status(store.reachable()).build();
    }
}
