package io.portcullis.scanner.policy;

import io.portcullis.contracts.policy.PolicySnapshot;
import io.portcullis.scanner.config.ScannerConfig;
import io.quarkus.rest.client.reactive.QuarkusRestClientBuilder;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.util.Objects;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Supplier;
import org.jboss.logging.Logger;

/**
 * The current policy snapshot. Starts on {@link DefaultPolicy} (so start-up never depends on policy-service), fetches
 * in the background right away, retries every {@code retry-interval} while on the default, then refreshes every
 * {@code refresh-interval} and immediately when a PolicyChanged record arrives. A failed fetch keeps the last snapshot.
 */
@ApplicationScoped
public class PolicyCache implements PolicySource {
    private static final Logger LOG = Logger.getLogger(PolicyCache.class);

    /**
     * What is cached.
     *
     * @param snapshot    the snapshot in use
     * @param fromService false while on the built-in default
     * @param fetchedAt   when it was fetched, or null for the default
     */
    public record State(PolicySnapshot snapshot, boolean fromService, Instant fetchedAt) {
    }

    private final Supplier<PolicySnapshot> fetcher;
    private final Duration refreshInterval;
    private final Duration retryInterval;
    private final AtomicReference<State> state = new AtomicReference<>(new State(DefaultPolicy.SNAPSHOT, false, null));
    private final Object fetchLock = new Object();
    private ScheduledExecutorService scheduler;

    @Inject
    public PolicyCache(ScannerConfig config) {
        this(client(config)::snapshot, config.policy().refreshInterval(), config.policy().retryInterval());
    }

    public PolicyCache(Supplier<PolicySnapshot> fetcher, Duration refreshInterval, Duration retryInterval) {
        this.fetcher = fetcher;
        this.refreshInterval = refreshInterval;
        this.retryInterval = retryInterval;
    }

    private static PolicyClient client(ScannerConfig config) {
        Duration timeout = config.policy().timeout();
        return QuarkusRestClientBuilder.newBuilder()
                .baseUri(URI.create(config.policy().url()))
                .connectTimeout(timeout.toMillis(), TimeUnit.MILLISECONDS)
                .readTimeout(timeout.toMillis(), TimeUnit.MILLISECONDS)
                .build(PolicyClient.class);
    }

    void onStart(@Observes StartupEvent event) {
        LOG.warn("using the built-in default policy (version 0) until policy-service answers");
        scheduler = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "policy-refresh");
            t.setDaemon(true);
            return t;
        });
        scheduler.execute(this::refreshAndReschedule);
    }

    void onStop(@Observes ShutdownEvent event) {
        if (scheduler != null) {
            scheduler.shutdownNow();
        }
    }

    @Override
    public PolicySnapshot current() {
        return state.get().snapshot();
    }

    public State state() {
        return state.get();
    }

    /** Asks for a refresh soon (on the refresh thread), e.g. after a PolicyChanged record. */
    public void refreshSoon() {
        ScheduledExecutorService s = scheduler;
        if (s == null) {
            refresh();
            return;
        }
        try {
            s.execute(this::refresh);
        } catch (RejectedExecutionException e) {
            LOG.debug("policy refresh not scheduled: shutting down");
        }
    }

    /** Fetches the snapshot now. @return whether it succeeded (on failure the previous snapshot stays) */
    public boolean refresh() {
        synchronized (fetchLock) {
            try {
                PolicySnapshot fetched = Objects.requireNonNull(fetcher.get(), "empty snapshot");
                State previous = state.getAndSet(new State(fetched, true, Instant.now()));
                if (!previous.fromService() || previous.snapshot().version() != fetched.version()) {
                    LOG.infof("policy snapshot version %d loaded (%d rules)", fetched.version(),
                            fetched.rules().size());
                }
                return true;
            } catch (RuntimeException e) {
                State current = state.get();
                if (current.fromService()) {
                    LOG.warnf("policy refresh failed, keeping version %d: %s", current.snapshot().version(),
                            e.toString());
                } else {
                    LOG.warnf("policy-service unreachable, still on the built-in default policy: %s", e.toString());
                }
                return false;
            }
        }
    }

    private void refreshAndReschedule() {
        refresh();
        Duration next = state.get().fromService() ? refreshInterval : retryInterval;
        try {
            scheduler.schedule(this::refreshAndReschedule, next.toMillis(), TimeUnit.MILLISECONDS);
        } catch (RejectedExecutionException e) {
            LOG.debug("policy refresh stopped: shutting down");
        }
    }
}
