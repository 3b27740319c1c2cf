package io.portcullis.policy.health;

import io.portcullis.av.SignatureStats;
import io.portcullis.policy.reputation.ReputationIndex;
import jakarta.enterprise.context.ApplicationScoped;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.HealthCheckResponseBuilder;
import org.eclipse.microprofile.health.Readiness;

/**
 * Down only while this instance is still making its first attempt to load the active hash-reputation state (at
 * start-up). No bundle published is fine (look-ups answer UNKNOWN, version null). A failed load does not keep the
 * instance out of service (it also serves the policy snapshot, which matters more): it stays ready with the previous
 * set, or without one (look-ups then answer 503 naming the failure), and the failure is shown here.
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
            response.withData("version", "not loaded");
            return (failure == null ? response.down() : response.up()).build();
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
