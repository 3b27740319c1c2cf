package io.portcullis.edge.health;

import io.portcullis.edge.listener.EdgeSmtpListener;
import jakarta.enterprise.context.ApplicationScoped;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.HealthCheckResponseBuilder;
import org.eclipse.microprofile.health.Readiness;

/**
 * Ready to accept mail: the SMTP listener is bound, Kafka answers (messages become durable there) and the spool
 * bucket is reachable (bodies above the inline limit go there first).
 */
@Readiness
@ApplicationScoped
public class EdgeReadinessCheck implements HealthCheck {

    private final EdgeSmtpListener listener;
    private final KafkaProbe kafka;
    private final ObjectStoreProbe objectStore;

    public EdgeReadinessCheck(EdgeSmtpListener listener, KafkaProbe kafka, ObjectStoreProbe objectStore) {
        this.listener = listener;
        this.kafka = kafka;
        this.objectStore = objectStore;
    }

    @Override
    public HealthCheckResponse call() {
        String kafkaProblem = kafka.problem();
        String s3Problem = objectStore.problem();
        boolean listening = listener.isListening();
        HealthCheckResponseBuilder builder = HealthCheckResponse.named("edge-smtp acceptance")
                .status(listening && kafkaProblem == null && s3Problem == null)
                .withData("smtp", listening ? "listening on " + listener.port() : "not listening")
                .withData("kafka", kafkaProblem == null ? "up" : kafkaProblem)
                .withData("s3", s3Problem == null ? "up" : s3Problem);
        return builder.build();
    }
}
