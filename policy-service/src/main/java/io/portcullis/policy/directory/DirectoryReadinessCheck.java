package io.portcullis.policy.directory;

import jakarta.enterprise.context.ApplicationScoped;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.HealthCheckResponseBuilder;
import org.eclipse.microprofile.health.Readiness;

/**
 * {@code directory}: up when no directory is configured; otherwise up only while the configured base DN can be read
 * with the configured bind. Note that down takes the whole instance out of rotation (the snapshot too): configure a
 * directory only where it is needed, and give it more than one server URL.
 */
@Readiness
@ApplicationScoped
public class DirectoryReadinessCheck implements HealthCheck {
    private final DirectoryService directory;

    public DirectoryReadinessCheck(DirectoryService directory) {
        this.directory = directory;
    }

    @Override
    public HealthCheckResponse call() {
        DirectoryStatus status = directory.status();
        HealthCheckResponseBuilder response = HealthCheckResponse.named("directory");
        if (!status.configured()) {
            return response.withData("state", "disabled").up().build();
        }
        response.withData("schema", status.schema()).withData("servers", String.join(",", status.urls()));
        if (Boolean.TRUE.equals(status.reachable())) {
            return response.withData("state", "reachable").up().build();
        }
        return response.withData("state", "unreachable").withData("problem", String.valueOf(status.problem()))
                .down().build();
    }
}
