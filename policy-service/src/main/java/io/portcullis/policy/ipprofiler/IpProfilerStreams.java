package io.portcullis.policy.ipprofiler;

import io.portcullis.policy.config.PolicyConfig;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.errors.StreamsUncaughtExceptionHandler.StreamThreadExceptionResponse;
import org.jboss.logging.Logger;

/**
 * Runs the IP Profiler's Kafka Streams application on this instance when
 * {@code portcullis.policy.ip-profiler.enabled}: at start-up (in the background, so the service starts while
 * Kafka is still coming up) it creates the missing topics, retrying until the broker answers (also when only the
 * topics are followed, so a command is never published to an auto-created, uncompacted topic), then starts the
 * application; it closes it on shutdown. A fatal error stops the application (state ERROR), which readiness
 * shows. The settings are checked at start-up even when the application is disabled.
 */
@ApplicationScoped
public class IpProfilerStreams {
    private static final Logger LOG = Logger.getLogger(IpProfilerStreams.class);
    private static final Duration RETRY = Duration.ofSeconds(5);

    private final PolicyConfig.IpProfiler config;
    private final ProfilerSettings settings;
    private final ProfilerMetrics metrics;
    private final ExecutorService starter = Executors.newSingleThreadExecutor(r -> {
        Thread thread = new Thread(r, "ip-profiler-starter");
        thread.setDaemon(true);
        return thread;
    });
    private volatile KafkaStreams streams;
    private volatile String problem;
    private volatile boolean closing;

    public IpProfilerStreams(PolicyConfig config, ProfilerMetrics metrics) {
        this.config = config.ipProfiler();
        this.settings = ProfilerSettings.from(this.config);
        this.metrics = metrics;
    }

    void onStart(@Observes StartupEvent event) {
        if (!config.enabled()) {
            LOG.info("IP Profiler Streams application disabled on this instance");
        }
        if (config.enabled() || config.followTopics()) {
            starter.submit(this::start); // the topics are created either way: the REST writes and reads need them
        }
    }

    void onStop(@Observes ShutdownEvent event) {
        closing = true;
        starter.shutdownNow();
        KafkaStreams running = streams;
        if (running != null) {
            running.close(Duration.ofSeconds(30));
        }
    }

    /** Whether this instance runs the application. */
    public boolean enabled() {
        return config.enabled();
    }

    /** The application's state, empty before it was created (topics still being created). */
    public Optional<KafkaStreams.State> state() {
        KafkaStreams running = streams;
        return running == null ? Optional.empty() : Optional.of(running.state());
    }

    /** The last start-up problem (topic creation) or fatal error, or null. */
    public String problem() {
        return problem;
    }

    private void start() {
        Map<String, Object> adminConfig = Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, config.bootstrapServers(),
                AdminClientConfig.CLIENT_ID_CONFIG, config.applicationId() + "-admin",
                AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, 10_000, AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG,
                15_000);
        try (Admin admin = Admin.create(adminConfig)) {
            while (!closing) {
                try {
                    IpProfilerTopics.ensure(admin, config.replicationFactor(), Duration.ofSeconds(15));
                    problem = null;
                    break;
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return;
                } catch (Exception e) {
                    problem = "topics not ready: " + e;
                    LOG.warnf("IP Profiler cannot create its topics yet, retrying in %s: %s", RETRY, e.toString());
                    TimeUnit.MILLISECONDS.sleep(RETRY.toMillis());
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return;
        }
        if (closing || !config.enabled()) {
            return;
        }
        KafkaStreams created = new KafkaStreams(IpProfilerTopology.build(settings, metrics),
                IpProfilerTopology.properties(config.applicationId(), config.bootstrapServers(),
                        Path.of(config.stateDir()), config.replicationFactor(), metrics));
        created.setUncaughtExceptionHandler(e -> {
            problem = "stopped by " + e;
            LOG.error("IP Profiler Streams application failed and stops", e);
            return StreamThreadExceptionResponse.SHUTDOWN_CLIENT;
        });
        created.setStateListener((now, before) -> LOG.infof("IP Profiler Streams state %s -> %s", before, now));
        streams = created;
        if (closing) {
            created.close(Duration.ofSeconds(30));
            return;
        }
        created.start();
        LOG.infof("IP Profiler Streams application %s started (state dir %s)", config.applicationId(),
                Path.of(config.stateDir()).toAbsolutePath());
    }
}
