package io.portcullis.policy.health;

import io.portcullis.policy.config.PolicyConfig;
import io.portcullis.policy.ipprofiler.IpProfilerStreams;
import io.portcullis.policy.ipprofiler.IpProfilerView;
import jakarta.enterprise.context.ApplicationScoped;
import org.apache.kafka.streams.KafkaStreams;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.HealthCheckResponseBuilder;
import org.eclipse.microprofile.health.Readiness;

/**
 * {@code ip-profiler}: when this instance runs the Streams application, up only while it is RUNNING or
 * REBALANCING (down while its topics are being created, and for good after a fatal error); when it follows the
 * block and allow lists, down until it has read them once.
 */
@Readiness
@ApplicationScoped
public class IpProfilerReadinessCheck implements HealthCheck {
    private final IpProfilerStreams streams;
    private final IpProfilerView view;
    private final boolean following;

    public IpProfilerReadinessCheck(IpProfilerStreams streams, IpProfilerView view, PolicyConfig config) {
        this.streams = streams;
        this.view = view;
        this.following = config.ipProfiler().followTopics();
    }

    @Override
    public HealthCheckResponse call() {
        HealthCheckResponseBuilder response = HealthCheckResponse.named("ip-profiler");
        boolean up = true;
        if (streams.enabled()) {
            KafkaStreams.State state = streams.state().orElse(null);
            response.withData("streams", state == null ? "starting" : state.name());
            up = state == KafkaStreams.State.RUNNING || state == KafkaStreams.State.REBALANCING;
            if (streams.problem() != null) {
                response.withData("problem", streams.problem());
            }
        } else {
            response.withData("streams", "disabled on this instance");
        }
        if (following) {
            response.withData("listsLoaded", view.caughtUp());
            up &= view.caughtUp();
        }
        return response.status(up).build();
    }
}
