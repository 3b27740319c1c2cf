package io.portcullis.policy.reputation;

import io.portcullis.av.SignatureSet;
import io.portcullis.policy.service.PolicyException;
import io.portcullis.policy.signatures.BundleRegistry;
import io.quarkus.runtime.StartupEvent;
import io.quarkus.scheduler.Scheduled;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicBoolean;
import org.jboss.logging.Logger;

/**
 * Keeps every instance's {@link ReputationIndex} on the active bundle. PostgreSQL is the source of truth: at
 * start-up and then every {@code portcullis.policy.reputation.refresh-interval} the job reads the active row and,
 * when its activation number is newer than the held one, loads that bundle's hash set from S3 in the background
 * and swaps it in. The instance that serves an activation swaps at once (see SignatureBundleService); the others
 * follow within one interval. No Kafka consumer is needed, and a missed event cannot leave an instance behind.
 */
@ApplicationScoped
public class ReputationRefreshJob {
    private static final Logger LOG = Logger.getLogger(ReputationRefreshJob.class);

    private final BundleRegistry registry;
    private final HashSetLoader loader;
    private final ReputationIndex index;
    private final AtomicBoolean running = new AtomicBoolean();
    private final ExecutorService background = Executors.newSingleThreadExecutor(r -> {
        Thread t = new Thread(r, "reputation-refresh");
        t.setDaemon(true);
        return t;
    });

    public ReputationRefreshJob(BundleRegistry registry, HashSetLoader loader, ReputationIndex index) {
        this.registry = registry;
        this.loader = loader;
        this.index = index;
    }

    @PreDestroy
    void stop() {
        background.shutdownNow();
    }

    void onStart(@Observes StartupEvent event) {
        trigger();
    }

    @Scheduled(identity = "reputation-refresh", every = "${portcullis.policy.reputation.refresh-interval}",
            concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    void tick() {
        trigger();
    }

    /** Starts a refresh in the background unless one is running. */
    public void trigger() {
        if (running.compareAndSet(false, true)) {
            try {
                background.execute(() -> {
                    try {
                        refresh();
                    } catch (RuntimeException e) {
                        index.failed("refresh failed: " + e.getClass().getSimpleName());
                        LOG.warn("hash reputation refresh failed; the next tick retries", e);
                    } finally {
                        running.set(false);
                    }
                });
            } catch (RuntimeException e) { // shutting down
                running.set(false);
            }
        }
    }

    /**
     * Loads the active bundle when it is newer than the held one. Synchronous; a failure is recorded in the index
     * (readiness shows it) and the held set stays in use.
     *
     * @return whether the held state changed
     */
    public synchronized boolean refresh() {
        BundleRegistry.ActiveState state = registry.activeState();
        ReputationIndex.Loaded held = index.current();
        if (held != null && held.activation() >= state.activation()) {
            return false;
        }
        if (state.bundle() == null) {
            return index.offer(ReputationIndex.Loaded.none(state.activation()));
        }
        String version = state.bundle().version;
        try {
            SignatureSet hashes = loader.load(version, state.bundle());
            return index.offer(new ReputationIndex.Loaded(state.activation(), version, hashes));
        } catch (PolicyException e) {
            index.failed(e.getMessage());
            LOG.warnf("hash reputation: bundle %s (activation %d) not loaded, keeping %s: %s", version,
                    state.activation(), held == null ? "none" : held.version(), e.getMessage());
            return false;
        }
    }
}
