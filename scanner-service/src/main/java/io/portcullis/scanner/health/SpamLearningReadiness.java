package io.portcullis.scanner.health;

import io.portcullis.scanner.spam.LearnedModelUpdater;
import io.portcullis.scanner.spam.LearnedModels;
import jakarta.enterprise.context.ApplicationScoped;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.HealthCheckResponseBuilder;
import org.eclipse.microprofile.health.Readiness;

/**
 * The learned spam counts in use. Down only while the start-up fetch from policy-service is in flight; after that UP
 * (a failed fetch keeps what is held and retries, the Bayes version records the sequence used), with the sequence
 * held per model tenant and the last error as data.
 */
@Readiness
@ApplicationScoped
public class SpamLearningReadiness implements HealthCheck {
    private final LearnedModelUpdater updater;
    private final LearnedModels models;

    public SpamLearningReadiness(LearnedModelUpdater updater, LearnedModels models) {
        this.updater = updater;
        this.models = models;
    }

    @Override
    public HealthCheckResponse call() {
        HealthCheckResponseBuilder b = HealthCheckResponse.named("spam-learning").status(updater.startupResolved())
                .withData("enabled", updater.enabled());
        models.sequences().forEach((tenant, sequence) -> b.withData("sequence." + tenant, sequence));
        if (updater.lastError() != null) {
            b.withData("lastError", updater.lastError().message());
        }
        return b.build();
    }
}
