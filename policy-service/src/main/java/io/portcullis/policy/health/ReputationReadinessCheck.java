package io.portcullis.policy.health;

import io.portcullis.av.SignatureStats;
import io.portcullis.policy.reputation.ReputationIndex;
import jakarta.enterprise.context.ApplicationScoped;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.HealthCheckResponseBuilder;
import org.eclipse.microprofile.health.Readiness;

/**
 * Down only while this instance holds no hash-reputation state at all (start-up: the database not read yet, or
 * the active bundle not loaded yet). No bundle published is fine (look-ups answer UNKNOWN, version null). When a
 * newer bundle fails to load the instance stays ready with the previous set, and the failure is shown here.
 */
@Readiness
@ApplicationScoped
public class ReputationReadinessCheck implements HealthCheck {
    private final ReputationIndex index;

    public ReputationReadinessCheck(ReputationIndex index) {
        this.index = index;
    }

    @Override
    public HealthCheckResponse call() {
        ReputationIndex.Loaded loaded = index.current();
        HealthCheckResponseBuilder response = HealthCheckResponse.named("hash-reputation");
        String failure = index.failure();
        if (failure != null) {
            response.withData("loadFailure", failure);
        }
        if (loaded == null) {
            return response.down().build();
        }
        response.withData("activation", loaded.activation());
        response.withData("version", loaded.version() == null ? "none" : loaded.version());
        if (loaded.hashes() != null) {
            SignatureStats stats = loaded.hashes().stats();
            response.withData("hashes", (long) stats.md5Hashes() + stats.sha1Hashes() + stats.sha256Hashes());
            response.withData("approximateBytes", stats.approximateBytes());
        }
        return response.up().build();
    }
}
