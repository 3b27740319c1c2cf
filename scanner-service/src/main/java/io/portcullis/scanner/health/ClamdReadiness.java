package io.portcullis.scanner.health;

import io.portcullis.scanner.config.ScannerConfig;
import io.portcullis.scanner.engine.ClamdEngine;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Instance;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.HealthCheckResponseBuilder;
import org.eclipse.microprofile.health.Readiness;

/**
 * clamd answers PING when the clamd engine is enabled (without it every message gets CLAMD_FAIL); UP with
 * {@code enabled=false} when it is off.
 */
@Readiness
@ApplicationScoped
public class ClamdReadiness implements HealthCheck {
    private final boolean enabled;
    private final Instance<ClamdEngine> engine;

    public ClamdReadiness(ScannerConfig config, Instance<ClamdEngine> engine) {
        this.enabled = config.scanner().clamd().enabled();
        this.engine = engine;
    }

    @Override
    public HealthCheckResponse call() {
        HealthCheckResponseBuilder b = HealthCheckResponse.named("clamd").withData("enabled", enabled);
        if (!enabled) {
            return b.up().build();
        }
        ClamdEngine.Health h = engine.get().ping();
        b.status(h.up()).withData("address", h.address());
        if (h.version() != null) {
            b.withData("version", h.version());
        }
        if (h.error() != null) {
            b.withData("error", h.error());
        }
        return b.build();
    }
}
