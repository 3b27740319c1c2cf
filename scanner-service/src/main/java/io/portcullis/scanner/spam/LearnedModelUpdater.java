package io.portcullis.scanner.spam;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.portcullis.contracts.events.SpamModelUpdated;
import io.portcullis.scanner.config.ScannerConfig;
import io.portcullis.spam.LearnedCounts;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.jboss.logging.Logger;

/**
 * Keeps this scanner's learned counts ({@link LearnedModels}) equal to policy-service's, so every scanner scores with
 * the same model. At start-up (and whenever the update consumer gets its partitions) every model tenant is fetched
 * whole; each {@link SpamModelUpdated} is then applied strictly in sequence; a gap (a later sequence than the next
 * one) fetches that tenant whole again, and a fetched snapshot older than an update already announced is fetched
 * again (with backoff) until it is not. Fetches run on one background thread and are retried with backoff
 * ({@code retry-backoff} doubling up to {@code max-backoff}); scanning never waits: until a fetch succeeds it uses
 * what it holds, and the Bayes result's version ({@code <model>+<sequence>}) records what that was.
 */
@ApplicationScoped
public class LearnedModelUpdater {
    private static final Logger LOG = Logger.getLogger(LearnedModelUpdater.class);
    /** Fetch request for every tenant policy-service lists. */
    private static final String ALL = "";

    /**
     * Settings.
     *
     * @param enabled      whether learned counts are used at all
     * @param retryBackoff first retry delay after a failed fetch
     * @param maxBackoff   longest retry delay
     */
    public record Settings(boolean enabled, Duration retryBackoff, Duration maxBackoff) {
    }

    /**
     * The last failure.
     *
     * @param tenant  the tenant being fetched, or null for the list
     * @param message what went wrong
     * @param at      when
     */
    public record Failure(String tenant, String message, Instant at) {
    }

    private final LearnedModels models;
    private final LearnedCountsSource source;
    private final Settings settings;
    private final MeterRegistry registry;
    private final Counter applied;
    private final Counter duplicates;
    private final Counter gaps;
    private final Counter fetches;
    private final Counter fetchFailures;
    private final Set<String> gauged = ConcurrentHashMap.newKeySet();
    /** Pending fetches (tenant or {@link #ALL}) → failures so far; a request already pending is not queued twice. */
    private final Map<String, Integer> pending = new HashMap<>();
    /** Highest sequence announced per tenant: a fetched snapshot older than that is fetched again. */
    private final Map<String, Long> announced = new ConcurrentHashMap<>();
    private final CountDownLatch startupResolved = new CountDownLatch(1);
    private final ScheduledExecutorService executor = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "spam-model-updater");
        t.setDaemon(true);
        return t;
    });
    private volatile Failure lastError;

    @Inject
    public LearnedModelUpdater(LearnedModels models, ScannerConfig config, MeterRegistry registry) {
        this(models, new LearnedCountsClient(config.policy().url(), config.scanner().bayes().learning().timeout(),
                config.scanner().bayes().learning().maxFetchBytes()), settings(config), registry);
    }

    public LearnedModelUpdater(LearnedModels models, LearnedCountsSource source, Settings settings,
            MeterRegistry registry) {
        this.models = models;
        this.source = source;
        this.settings = settings;
        this.registry = registry;
        this.applied = counter("applied");
        this.duplicates = counter("duplicate");
        this.gaps = counter("gap");
        this.fetches = Counter.builder("portcullis.spam.learned.fetches").tag("outcome", "ok")
                .description("Learned counts fetched whole from policy-service").register(registry);
        this.fetchFailures = Counter.builder("portcullis.spam.learned.fetches").tag("outcome", "failed")
                .description("Learned counts fetched whole from policy-service").register(registry);
    }

    private Counter counter(String result) {
        return Counter.builder("portcullis.spam.learned.updates").tag("result", result)
                .description("SpamModelUpdated records seen, by what was done with them").register(registry);
    }

    private static Settings settings(ScannerConfig config) {
        ScannerConfig.Learning l = config.scanner().bayes().learning();
        boolean on = config.scanner().bayes().enabled() && l.enabled();
        if (on && (l.retryBackoff().isNegative() || l.retryBackoff().isZero()
                || l.maxBackoff().compareTo(l.retryBackoff()) < 0)) {
            throw new IllegalStateException("portcullis.scanner.bayes.learning.retry-backoff must be positive and at "
                    + "most max-backoff");
        }
        return new Settings(on, l.retryBackoff(), l.maxBackoff());
    }

    void onStart(@Observes StartupEvent event) {
        if (settings.enabled()) {
            fetchAll();
        } else {
            startupResolved.countDown();
            LOG.info("spam learning is off (portcullis.scanner.bayes.learning.enabled): the shipped model alone");
        }
    }

    void onStop(@Observes ShutdownEvent event) {
        stop();
    }

    public void stop() {
        executor.shutdownNow();
    }

    public boolean enabled() {
        return settings.enabled();
    }

    /** Whether the start-up fetch was attempted (succeeded or failed once; retries go on in the background). */
    public boolean startupResolved() {
        return startupResolved.getCount() == 0;
    }

    /** Waits at most {@code max} for {@link #startupResolved()}. */
    public boolean awaitStartup(Duration max) throws InterruptedException {
        return startupResolved.await(max.toMillis(), TimeUnit.MILLISECONDS);
    }

    public Failure lastError() {
        return lastError;
    }

    /** Fetches every model tenant whole (start-up, partitions assigned). */
    public void fetchAll() {
        if (settings.enabled()) {
            request(ALL);
        }
    }

    /** One update from portcullis.spam.model.v1: applied in sequence, or a whole fetch of its tenant on a gap. */
    public LearnedModels.Applied updated(SpamModelUpdated u) {
        if (!settings.enabled()) {
            return LearnedModels.Applied.DUPLICATE;
        }
        announced.merge(u.tenant(), u.sequence(), Math::max);
        LearnedModels.Applied result = models.apply(u);
        gauge(u.tenant());
        switch (result) {
            case APPLIED -> {
                applied.increment();
                LOG.debugf("spam model %s: sequence %d applied (message %s)", u.tenant(), u.sequence(), u.messageId());
            }
            case DUPLICATE -> duplicates.increment();
            case GAP -> {
                gaps.increment();
                LOG.infof("spam model %s: update %d does not follow %d held here; fetching the tenant whole",
                        u.tenant(), u.sequence(), models.sequence(u.tenant()));
                request(u.tenant());
            }
        }
        return result;
    }

    private void gauge(String tenant) {
        if (gauged.add(tenant)) {
            Gauge.builder("portcullis.spam.learned.sequence", models, m -> m.sequence(tenant)).tag("tenant", tenant)
                    .description("Sequence of the learned spam counts in use, per model tenant").register(registry);
        }
    }

    private void request(String what) {
        synchronized (pending) {
            if (pending.containsKey(what)) {
                return;
            }
            pending.put(what, 0);
        }
        submit(() -> run(what), Duration.ZERO);
    }

    private void run(String what) {
        try {
            if (ALL.equals(what)) {
                for (String tenant : source.tenants()) {
                    install(tenant, source.fetch(tenant));
                }
            } else {
                install(what, source.fetch(what));
                long wanted = announced.getOrDefault(what, 0L);
                if (models.sequence(what) < wanted) {
                    throw new IllegalStateException("fetched snapshot of " + what + " is at sequence "
                            + models.sequence(what) + ", older than the announced update " + wanted);
                }
            }
            synchronized (pending) {
                pending.remove(what);
            }
            lastError = null;
            fetches.increment();
            if (ALL.equals(what)) {
                startupResolved.countDown();
                LOG.infof("learned spam counts in use: %s", models.sequences());
            }
        } catch (RuntimeException e) {
            fetchFailures.increment();
            int failures;
            synchronized (pending) {
                failures = pending.merge(what, 1, Integer::sum);
            }
            String tenant = ALL.equals(what) ? null : what;
            lastError = new Failure(tenant, e.getClass().getSimpleName() + ": " + e.getMessage(), Instant.now());
            startupResolved.countDown(); // scanning goes on with what is held; the retries continue
            Duration delay = backoff(failures);
            LOG.warnf("fetching learned spam counts (%s) failed (attempt %d), scanning with %s; retrying in %s: %s",
                    tenant == null ? "all tenants" : tenant, failures, models.sequences(), delay, e.getMessage());
            submit(() -> run(what), delay);
        }
    }

    private void install(String tenant, LearnedCounts counts) {
        gauge(tenant);
        if (models.replace(tenant, counts)) {
            LOG.infof("spam model %s: learned counts at sequence %d in use (%d tokens, %d spam, %d ham)", tenant,
                    counts.sequence(), counts.tokenCount(), counts.spamMessages(), counts.hamMessages());
        } else {
            LOG.debugf("spam model %s: fetched sequence %d is older than the %d held; kept", tenant,
                    counts.sequence(), models.sequence(tenant));
        }
    }

    /** {@code retry-backoff × 2^(n-1)}, at most {@code max-backoff}. */
    Duration backoff(int failures) {
        Duration d = settings.retryBackoff();
        for (int i = 1; i < failures && d.compareTo(settings.maxBackoff()) < 0; i++) {
            d = d.multipliedBy(2);
        }
        return d.compareTo(settings.maxBackoff()) > 0 ? settings.maxBackoff() : d;
    }

    private void submit(Runnable task, Duration delay) {
        try {
            executor.schedule(task, delay.toMillis(), TimeUnit.MILLISECONDS);
        } catch (RejectedExecutionException e) {
            LOG.debug("spam model updater stopped: task not scheduled");
        }
    }
}
