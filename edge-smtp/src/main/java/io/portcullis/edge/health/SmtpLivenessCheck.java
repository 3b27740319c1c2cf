package io.portcullis.edge.health;

import io.portcullis.edge.listener.EdgeSmtpListener;
import jakarta.enterprise.context.ApplicationScoped;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.Liveness;

/** Alive while the SMTP listener is bound. */
@Liveness
@ApplicationScoped
public class SmtpLivenessCheck implements HealthCheck {

    private final EdgeSmtpListener listener;

    public SmtpLivenessCheck(EdgeSmtpListener listener) {
        this.listener = listener;
    }

    @Override
    public HealthCheckResponse call() {
        return HealthCheckResponse.named("smtp listener").status(listener.isListening())
                .withData("port", listener.port()).build();
    }
}
