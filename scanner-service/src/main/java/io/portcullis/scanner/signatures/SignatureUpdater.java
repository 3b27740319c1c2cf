package io.portcullis.scanner.signatures;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.portcullis.av.SignatureLoadException;
import io.portcullis.scanner.config.ScannerConfig;
import io.portcullis.scanner.storage.BodyStore;
import io.quarkus.rest.client.reactive.QuarkusRestClientBuilder;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import jakarta.ws.rs.WebApplicationException;
import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.jboss.logging.Logger;

/**
 * Keeps the scanner on the centrally active signature bundle, without a restart and without pausing scans.
 *
 * <p>At start-up (after the start-up set is in use) and every {@code poll-interval} it asks policy-service which
 * bundle is active ({@code GET /api/v1/signatures/active}; 404: stay on the current set); every
 * {@link io.portcullis.contracts.events.SignatureBundleActivated} announcement ({@link #announced}) asks for that
 * version directly, publish and rollback alike. A requested version that is already in use is a no-op. Otherwise,
 * on one background thread: download from S3, check size and SHA-256, unpack in memory, build the complete set
 * (bundled base + configured directories + bundle, strict) and swap it in ({@link SignatureHolder#swap}).
 *
 * <p>A newer request arriving while a version is loading supersedes it: the older one is never swapped in. A failed
 * load (S3 down, SHA-256 mismatch, bad database, refused archive) keeps the current set, records the error (status,
 * {@code portcullis_signatures_load_failures_total}) and is retried after {@code retry-backoff}, doubling up to
 * {@code max-backoff}, at most {@code max-attempts} times; then the next poll or announcement starts again.
 * A poll answer is ignored when an announcement arrived while it was in flight (the announcement is newer).
 */
@ApplicationScoped
public class SignatureUpdater {
    private static final Logger LOG = Logger.getLogger(SignatureUpdater.class);

    /**
     * Update settings.
     *
     * @param enabled      whether updates run at all
     * @param bucket       the only bucket bundles are read from
     * @param pollInterval how often the active bundle is asked
     * @param retryBackoff first retry delay (doubled per failure)
     * @param maxBackoff   longest retry delay
     * @param maxAttempts  load attempts per requested version
     */
    public record Settings(boolean enabled, String bucket, Duration pollInterval, Duration retryBackoff,
            Duration maxBackoff, int maxAttempts) {
    }

    /**
     * The last failure.
     *
     * @param version the version that failed to load, or null for a failed lookup of the active bundle
     * @param message what went wrong (file and line for a bad database)
     * @param at      when
     * @param attempt which attempt it was
     */
    public record Failure(String version, String message, Instant at, int attempt) {
    }

    private final SignatureHolder holder;
    private final SignatureSetFactory factory;
    private final SignatureBundleReader reader;
    private final ActiveBundleSource central;
    private final Settings settings;
    private final Counter loadFailures;
    private final Timer loadDuration;
    private final AtomicLong announcements = new AtomicLong();
    private final Object lock = new Object();
    // guarded by lock
    private BundleRef wanted;
    private long generation;
    private boolean busy;
    // status
    private volatile String loading;
    private volatile Failure lastError;
    // updater thread only
    private int pollFailures;
    private final ScheduledExecutorService executor = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "signature-updater");
        t.setDaemon(true);
        return t;
    });
    private volatile boolean started;
    /** Open once the start-up lookup is resolved: bundle in use, none active, a load attempt failed, or updates off. */
    private final java.util.concurrent.CountDownLatch startupResolved = new java.util.concurrent.CountDownLatch(1);

    @Inject
    public SignatureUpdater(SignatureHolder holder, SignatureSetFactory factory, BodyStore store,
            ScannerConfig config, MeterRegistry registry) {
        this(holder, factory, new SignatureBundleReader(store, config.scanner().signatures().updates().maxBundleBytes()),
                activeSource(config), settings(config.scanner().signatures().updates()), registry);
    }

    public SignatureUpdater(SignatureHolder holder, SignatureSetFactory factory, SignatureBundleReader reader,
            ActiveBundleSource central, Settings settings, MeterRegistry registry) {
        this.holder = holder;
        this.factory = factory;
        this.reader = reader;
        this.central = central;
        this.settings = settings;
        this.loadFailures = Counter.builder("portcullis.signatures.load.failures")
                .description("Signature bundle loads that failed (the current set stayed in use)")
                .register(registry);
        this.loadDuration = Timer.builder("portcullis.signatures.load.duration")
                .description("Time to download, verify, unpack and build a signature bundle set")
                .register(registry);
    }

    private static Settings settings(ScannerConfig.Updates u) {
        return new Settings(u.enabled(), u.bucket(), u.pollInterval(), u.retryBackoff(), u.maxBackoff(),
                u.maxAttempts());
    }

    private static ActiveBundleSource activeSource(ScannerConfig config) {
        Duration timeout = config.scanner().signatures().updates().timeout();
        SignaturesClient client = QuarkusRestClientBuilder.newBuilder()
                .baseUri(URI.create(config.policy().url()))
                .connectTimeout(timeout.toMillis(), TimeUnit.MILLISECONDS)
                .readTimeout(timeout.toMillis(), TimeUnit.MILLISECONDS)
                .build(SignaturesClient.class);
        return () -> {
            SignaturesClient.ActiveBundle a;
            try {
                a = client.active();
            } catch (WebApplicationException e) {
                if (e.getResponse() != null && e.getResponse().getStatus() == 404) {
                    return Optional.empty();
                }
                throw e;
            }
            if (a == null || Boolean.FALSE.equals(a.active())) {
                return Optional.empty();
            }
            return Optional.of(new BundleRef(a.version(), a.bucket(), a.objectKey(), a.sha256(), a.size(), "active"));
        };
    }

    void onStart(@Observes StartupEvent event) {
        if (settings.enabled()) {
            start();
        } else {
            startupResolved.countDown();
            LOG.infof("signature updates are off (portcullis.scanner.signatures.updates.enabled): staying on %s",
                    holder.current().version());
        }
    }

    void onStop(@Observes ShutdownEvent event) {
        stop();
    }

    /** Starts polling: the first lookup of the active bundle now, then every {@code poll-interval}. */
    public synchronized void start() {
        if (!started) {
            started = true;
            submit(this::poll, Duration.ZERO);
        }
    }

    /** Stops the background thread (a load in progress is abandoned; the current set stays). */
    public void stop() {
        executor.shutdownNow();
    }

    /** A {@code SignatureBundleActivated} announcement: load that version (a newer request supersedes it). */
    public void announced(BundleRef ref) {
        announcements.incrementAndGet();
        if (!settings.enabled()) {
            LOG.debugf("signature bundle %s announced, but updates are off", ref.version());
            return;
        }
        request(ref, "announcement");
    }

    /**
     * Waits (at most {@code max}) until the start-up lookup is resolved: the active bundle is in use, none is active,
     * a first attempt to load it failed (retries go on in the background), or updates are off. Mail scanned before that would be scanned with the bundled base set
     * only (after a restart, an almost empty pattern file).
     *
     * @return true when resolved, false when {@code max} passed first (the caller then scans with the current set)
     */
    public boolean awaitStartupSet(Duration max) throws InterruptedException {
        return startupResolved.getCount() == 0 || startupResolved.await(max.toMillis(), TimeUnit.MILLISECONDS);
    }

    /** The version loading now, or null. */
    public String loading() {
        return loading;
    }

    /** The last failure (cleared by a successful load), or null. */
    public Failure lastError() {
        return lastError;
    }

    /** Whether updates are on. */
    public boolean enabled() {
        return settings.enabled();
    }

    private void request(BundleRef ref, String via) {
        if (!settings.bucket().equals(ref.bucket())) {
            String message = "bundle " + ref.version() + " refused: bucket " + ref.bucket() + " is not "
                    + settings.bucket();
            LOG.warnf("signature update (%s): %s", via, message);
            lastError = new Failure(ref.version(), message, Instant.now(), 0);
            return;
        }
        long gen;
        synchronized (lock) {
            if (busy && wanted != null && wanted.version().equals(ref.version())) {
                LOG.debugf("signature bundle %s (%s): already being loaded", ref.version(), via);
                return;
            }
            wanted = ref;
            gen = ++generation;
            busy = true;
        }
        if (!ref.version().equals(holder.current().version())) {
            LOG.infof("signature bundle %s requested (%s, %s): loading in the background, still scanning with %s",
                    ref.version(), via, ref.reason(), holder.current().version());
        }
        submit(() -> attempt(gen, 1), Duration.ZERO);
    }

    private void attempt(long gen, int attempt) {
        BundleRef ref;
        synchronized (lock) {
            if (gen != generation) {
                return; // superseded by a newer request, which has its own task
            }
            ref = wanted;
        }
        if (ref.version().equals(holder.current().version())) {
            LOG.debugf("signature bundle %s is already in use", ref.version());
            finish(gen);
            return;
        }
        loading = ref.version();
        long start = System.nanoTime();
        try {
            SignatureBundleReader.Contents contents = reader.read(ref);
            if (superseded(gen, ref)) {
                return;
            }
            LoadedSignatures next = factory.withBundle(ref, contents.files());
            contents = null; // the bundle bytes are garbage from here on; only the built set stays
            if (superseded(gen, ref)) {
                return;
            }
            holder.swap(next);
            loadDuration.record(Duration.ofNanos(System.nanoTime() - start));
            lastError = null;
            LOG.infof("signature bundle %s in use after %d ms (%s)", ref.version(),
                    Duration.ofNanos(System.nanoTime() - start).toMillis(), ref.reason());
            finish(gen);
        } catch (SignatureUpdateException | SignatureLoadException | RuntimeException e) {
            failed(gen, ref, attempt, e);
        }
    }

    private void failed(long gen, BundleRef ref, int attempt, Exception e) {
        loadFailures.increment();
        String message = e instanceof SignatureLoadException ? "signature database " + e.getMessage()
                : e instanceof SignatureUpdateException ? e.getMessage()
                : e.getClass().getSimpleName() + ": " + e.getMessage();
        lastError = new Failure(ref.version(), message, Instant.now(), attempt);
        // the start-up wait ends with the first failed attempt too: S3 down or a broken bundle is not fixed by
        // holding the mail; the retries go on in the background
        startupResolved.countDown();
        if (superseded(gen, ref)) {
            return;
        }
        String current = holder.current().version();
        if (attempt >= settings.maxAttempts()) {
            LOG.errorf("signature bundle %s failed %d times, giving up until the next poll or announcement; "
                    + "still scanning with %s. Last error: %s", ref.version(), attempt, current, message);
            finish(gen);
            return;
        }
        Duration delay = backoff(attempt);
        LOG.warnf("signature bundle %s failed to load (attempt %d of %d), still scanning with %s; retrying in %s: %s",
                ref.version(), attempt, settings.maxAttempts(), current, delay, message);
        submit(() -> attempt(gen, attempt + 1), delay);
    }

    private boolean superseded(long gen, BundleRef ref) {
        synchronized (lock) {
            if (gen == generation) {
                return false;
            }
        }
        LOG.infof("signature bundle %s superseded by a newer request while loading: not used", ref.version());
        return true;
    }

    private void finish(long gen) {
        synchronized (lock) {
            if (gen == generation) {
                busy = false;
                loading = null;
            }
        }
        startupResolved.countDown();
    }

    /** {@code retry-backoff × 2^(n-1)}, at most {@code max-backoff}. */
    Duration backoff(int failures) {
        Duration d = settings.retryBackoff();
        for (int i = 1; i < failures && d.compareTo(settings.maxBackoff()) < 0; i++) {
            d = d.multipliedBy(2);
        }
        return d.compareTo(settings.maxBackoff()) > 0 ? settings.maxBackoff() : d;
    }

    /**
     * Looks up the active bundle once, now, besides the regular polls: called when the announcement consumer gets its
     * partitions, since an activation written while it had none (start-up, a rebalance, a broker restart) is read
     * from the latest offset on and would otherwise wait for the next poll.
     */
    public void checkActiveNow() {
        if (settings.enabled() && started) {
            submit(this::lookup, Duration.ZERO);
        }
    }

    /** Asks which bundle is active, requests it, and schedules the next poll. Runs on the updater thread. */
    void poll() {
        submit(this::poll, lookup());
    }

    /** One lookup of the active bundle; returns when to poll next (sooner after a failure). */
    private Duration lookup() {
        long before = announcements.get();
        Duration next = settings.pollInterval();
        try {
            Optional<BundleRef> active = central.active();
            pollFailures = 0;
            if (active.isEmpty()) {
                startupResolved.countDown();
                LOG.debugf("no active signature bundle at policy-service; staying on %s", holder.current().version());
            } else if (announcements.get() != before) {
                LOG.debug("an announcement arrived during the active-bundle lookup: it wins");
            } else {
                request(active.get(), "active at policy-service");
            }
        } catch (RuntimeException e) {
            pollFailures++;
            String message = "active signature bundle lookup failed: " + e.getClass().getSimpleName() + ": "
                    + e.getMessage();
            lastError = new Failure(null, message, Instant.now(), pollFailures);
            Duration retry = backoff(pollFailures);
            next = retry.compareTo(next) < 0 ? retry : next;
            LOG.warnf("%s; still scanning with %s, asking again in %s", message, holder.current().version(), next);
        }
        return next;
    }

    private void submit(Runnable task, Duration delay) {
        try {
            executor.schedule(task, delay.toMillis(), TimeUnit.MILLISECONDS);
        } catch (RejectedExecutionException e) {
            LOG.debug("signature updater stopped: task not scheduled");
        }
    }
}
