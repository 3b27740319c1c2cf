package io.portcullis.scanner.health;

import io.portcullis.scanner.policy.PolicyCache;
import jakarta.enterprise.context.ApplicationScoped;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.HealthCheckResponseBuilder;
import org.eclipse.microprofile.health.Readiness;

/**
 * The policy snapshot in use. Always UP (the built-in default is a working policy), but says in its data whether the
 * snapshot came from policy-service or is still the default.
 */
@Readiness
@ApplicationScoped
public class PolicySnapshotReadiness implements HealthCheck {
    private final PolicyCache cache;

    public PolicySnapshotReadiness(PolicyCache cache) {
        this.cache = cache;
    }

    @Override
    public HealthCheckResponse call() {
        PolicyCache.State s = cache.state();
        HealthCheckResponseBuilder b = HealthCheckResponse.named("policy-snapshot").up()
                .withData("version", s.snapshot().version())
                .withData("source", s.fromService() ? "policy-service" : "built-in default");
        if (s.fetchedAt() != null) {
            b.withData("fetchedAt", s.fetchedAt().toString());
        }
        return b.build();
    }
}
