package io.portcullis.scanner.health;

import io.portcullis.scanner.signatures.LoadedSignatures;
import io.portcullis.scanner.signatures.SignatureHolder;
import io.portcullis.scanner.signatures.SignatureUpdater;
import jakarta.enterprise.context.ApplicationScoped;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.HealthCheckResponseBuilder;
import org.eclipse.microprofile.health.Readiness;

/**
 * The signature set in use. Always UP: a complete set is always loaded (at worst the bundled base database, which
 * detects the EICAR test file), and a failed update keeps the previous set; the data says which version is in use,
 * what is loading and the last error, which is also logged.
 */
@Readiness
@ApplicationScoped
public class SignatureReadiness implements HealthCheck {
    private final SignatureHolder holder;
    private final SignatureUpdater updater;

    public SignatureReadiness(SignatureHolder holder, SignatureUpdater updater) {
        this.holder = holder;
        this.updater = updater;
    }

    @Override
    public HealthCheckResponse call() {
        LoadedSignatures s = holder.current();
        HealthCheckResponseBuilder b = HealthCheckResponse.named("signatures").up()
                .withData("version", s.version())
                .withData("source", s.source())
                .withData("loadedAt", s.loadedAt().toString());
        if (updater.loading() != null) {
            b.withData("loading", updater.loading());
        }
        if (updater.lastError() != null) {
            b.withData("lastError", updater.lastError().message());
        }
        return b.build();
    }
}
