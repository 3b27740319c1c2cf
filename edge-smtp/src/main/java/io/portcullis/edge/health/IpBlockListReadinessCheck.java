package io.portcullis.edge.health;

import io.portcullis.edge.ipblock.IpBlockConsumer;
import io.portcullis.edge.ipblock.IpBlockMap;
import jakarta.enterprise.context.ApplicationScoped;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.Readiness;

/**
 * {@code ip-blocklist}: up once the block topic has been read up to the end offsets seen at start-up (or the topic
 * did not exist then), so a new edge node does not let in clients that every other node refuses. Up when the block
 * list is disabled.
 */
@Readiness
@ApplicationScoped
public class IpBlockListReadinessCheck implements HealthCheck {

    private final IpBlockConsumer consumer;
    private final IpBlockMap blocks;

    public IpBlockListReadinessCheck(IpBlockConsumer consumer, IpBlockMap blocks) {
        this.consumer = consumer;
        this.blocks = blocks;
    }

    @Override
    public HealthCheckResponse call() {
        if (!consumer.enabled()) {
            return HealthCheckResponse.named("ip-blocklist").up().withData("state", "disabled").build();
        }
        String problem = consumer.problem();
        return HealthCheckResponse.named("ip-blocklist").status(consumer.caughtUp())
                .withData("state", consumer.caughtUp() ? "caught up" : "loading")
                .withData("blocks", blocks.activeCount())
                .withData("kafka", problem == null ? "up" : problem)
                .build();
    }
}
