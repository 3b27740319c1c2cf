package io.portcullis.edge.health;

import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.DescribeClusterOptions;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/** Whether the Kafka cluster answers (describeCluster, 2 s), cached for 5 s so health polling stays cheap. */
@ApplicationScoped
public class KafkaProbe {

    private static final Duration CACHE = Duration.ofSeconds(5);
    private static final int TIMEOUT_MS = 2000;

    private final String bootstrapServers;
    private Admin admin;
    private long checkedAt;
    private String lastError = "not checked";
    private boolean lastUp;

    public KafkaProbe(@ConfigProperty(name = "kafka.bootstrap.servers") String bootstrapServers) {
        this.bootstrapServers = bootstrapServers;
    }

    /** @return null when reachable, else the reason */
    public synchronized String problem() {
        long now = System.nanoTime();
        if (checkedAt != 0 && now - checkedAt < CACHE.toNanos()) {
            return lastUp ? null : lastError;
        }
        try {
            if (admin == null) {
                admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers,
                        AdminClientConfig.CLIENT_ID_CONFIG, "edge-health",
                        AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, TIMEOUT_MS,
                        AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, TIMEOUT_MS));
            }
            int nodes = admin.describeCluster(new DescribeClusterOptions().timeoutMs(TIMEOUT_MS)).nodes()
                    .get(TIMEOUT_MS + 500L, TimeUnit.MILLISECONDS).size();
            lastUp = nodes > 0;
            lastError = lastUp ? null : "no brokers";
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            lastUp = false;
            lastError = "interrupted";
        } catch (Exception e) {
            lastUp = false;
            lastError = e.getClass().getSimpleName() + ": " + e.getMessage();
        }
        checkedAt = System.nanoTime();
        return lastUp ? null : lastError;
    }

    @PreDestroy
    synchronized void close() {
        if (admin != null) {
            admin.close(Duration.ofSeconds(2));
        }
    }
}
