package io.portcullis.scanner.signatures;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import io.portcullis.av.ThreatCategory;
import io.portcullis.scanner.config.ScannerConfig;
import io.quarkus.rest.client.reactive.QuarkusRestClientBuilder;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import org.jboss.logging.Logger;

/**
 * Smart Scan, the client side: whole-file hash verdicts from the central hash-reputation service through a local
 * cache, so that a scanner can hold only body and logical signatures.
 *
 * <p>{@link #lookup} answers cached files (key SHA-256 + size) from the cache and asks the central service for the
 * rest, in requests of at most {@link #BATCH} files. Verdicts ({@code MALICIOUS} and {@code UNKNOWN} alike) are cached
 * for the configured TTL; the whole cache is cleared when a response carries another central version than the one
 * the cache was filled from. A failed request (unreachable, timeout, error status) or a response that does not answer
 * exactly the files asked, in order, leaves those files and every later one uncovered: the caller reports them as a
 * failure, never as clean. Nothing uncovered is cached.
 */
@ApplicationScoped
public class SmartScan {
    /** Most files per request (the central service's limit). */
    public static final int BATCH = 1000;
    /** Smart Scan switched off: {@link #enabled()} false, no lookups. */
    public static final SmartScan DISABLED = new SmartScan(false, files -> {
        throw new IllegalStateException("Smart Scan is disabled");
    }, 1, Duration.ofMinutes(1));

    private static final Logger LOG = Logger.getLogger(SmartScan.class);
    private static final int MAX_SIGNATURE_CHARS = 200;

    /**
     * One file's verdict.
     *
     * @param malicious whether the central service knows the file as malicious
     * @param signature the signature name (malicious only)
     * @param category  its category (malicious only)
     */
    public record Verdict(boolean malicious, String signature, ThreatCategory category) {
        public static final Verdict UNKNOWN = new Verdict(false, null, null);
    }

    /**
     * What a lookup established.
     *
     * @param verdicts       the files answered (from the cache or the central service)
     * @param uncovered      the files without an answer (central failure); empty when all were answered
     * @param failure        why files are uncovered, or null
     * @param centralVersion the central version of the last response seen, or null
     */
    public record Answer(Map<FileHashes, Verdict> verdicts, List<FileHashes> uncovered, String failure,
            String centralVersion) {
    }

    /**
     * Counters for the status endpoint.
     *
     * @param enabled      whether Smart Scan is on
     * @param cacheEntries verdicts cached now (approximate)
     * @param hits         files answered from the cache
     * @param misses       files asked from the central service
     * @param failures     failed or unusable central responses
     * @param centralVersion central version the cache holds verdicts of, or null
     */
    public record Stats(boolean enabled, long cacheEntries, long hits, long misses, long failures,
            String centralVersion) {
    }

    private final boolean enabled;
    private final HashReputation central;
    private final Cache<String, Verdict> cache;
    private final AtomicReference<String> centralVersion = new AtomicReference<>();
    /** The central version recorded while policy-service has no active bundle (every answer is UNKNOWN). */
    public static final String NO_CENTRAL_BUNDLE = "none";
    private final AtomicLong hits = new AtomicLong();
    private final AtomicLong misses = new AtomicLong();
    private final AtomicLong failures = new AtomicLong();

    @Inject
    public SmartScan(ScannerConfig config) {
        this(config.scanner().smartScan().enabled(), client(config), config.scanner().smartScan().cacheSize(),
                config.scanner().smartScan().cacheTtl());
    }

    public SmartScan(boolean enabled, HashReputation central, long cacheSize, Duration cacheTtl) {
        this.enabled = enabled;
        this.central = central;
        this.cache = Caffeine.newBuilder().maximumSize(cacheSize).expireAfterWrite(cacheTtl).build();
        if (enabled) {
            LOG.infof("Smart Scan on: whole-file hashes are asked from the central service (cache %d entries, %s)",
                    cacheSize, cacheTtl);
        }
    }

    private static HashReputation client(ScannerConfig config) {
        if (!config.scanner().smartScan().enabled()) {
            return DISABLED.central;
        }
        Duration timeout = config.scanner().smartScan().timeout();
        ReputationClient client = QuarkusRestClientBuilder.newBuilder()
                .baseUri(URI.create(config.policy().url()))
                .connectTimeout(timeout.toMillis(), TimeUnit.MILLISECONDS)
                .readTimeout(timeout.toMillis(), TimeUnit.MILLISECONDS)
                .build(ReputationClient.class);
        return files -> client.files(new HashReputation.Request(files));
    }

    public boolean enabled() {
        return enabled;
    }

    /** Verdicts for {@code files} (files with the same SHA-256 and size are looked up once); never throws. */
    public Answer lookup(Collection<FileHashes> files) {
        Map<String, Verdict> byKey = new HashMap<>();
        Map<String, FileHashes> missing = new LinkedHashMap<>();
        for (FileHashes f : files) {
            if (byKey.containsKey(f.key()) || missing.containsKey(f.key())) {
                continue;
            }
            Verdict cached = cache.getIfPresent(f.key());
            if (cached != null) {
                hits.incrementAndGet();
                byKey.put(f.key(), cached);
            } else {
                misses.incrementAndGet();
                missing.put(f.key(), f);
            }
        }
        List<FileHashes> ask = new ArrayList<>(missing.values());
        String failure = null;
        for (int from = 0; from < ask.size(); from += BATCH) {
            List<FileHashes> chunk = ask.subList(from, Math.min(ask.size(), from + BATCH));
            try {
                List<Verdict> answered = ask(chunk);
                for (int i = 0; i < chunk.size(); i++) {
                    byKey.put(chunk.get(i).key(), answered.get(i));
                }
            } catch (RuntimeException e) {
                failures.incrementAndGet();
                failure = describe(e);
                LOG.warnf("Smart Scan: central hash reputation failed, %d files unanswered: %s", ask.size() - from,
                        failure);
                break; // one failure is enough: do not wait for the timeout once per chunk
            }
        }
        Map<FileHashes, Verdict> verdicts = new LinkedHashMap<>();
        Set<FileHashes> uncovered = new LinkedHashSet<>();
        for (FileHashes f : files) {
            Verdict v = byKey.get(f.key());
            if (v != null) {
                verdicts.put(f, v);
            } else {
                uncovered.add(f);
            }
        }
        return new Answer(verdicts, List.copyOf(uncovered), failure, centralVersion.get());
    }

    /**
     * One request; the verdicts in request order, cached. A null version means no bundle is active centrally yet: a
     * valid answer only if every result is UNKNOWN (there is nothing to match against), cached as version
     * {@value #NO_CENTRAL_BUNDLE}.
     *
     * @throws RuntimeException on failure or garbage
     */
    private List<Verdict> ask(List<FileHashes> chunk) {
        HashReputation.Response response = central.lookup(List.copyOf(chunk));
        if (response == null || response.results() == null
                || (response.version() != null && response.version().isBlank())) {
            throw new IllegalStateException("invalid response: no version or results");
        }
        if (response.results().size() != chunk.size()) {
            throw new IllegalStateException("invalid response: " + response.results().size() + " results for "
                    + chunk.size() + " files");
        }
        List<Verdict> verdicts = new ArrayList<>(chunk.size());
        for (int i = 0; i < chunk.size(); i++) {
            verdicts.add(verdict(chunk.get(i), response.results().get(i)));
        }
        String version = response.version() == null ? NO_CENTRAL_BUNDLE : response.version();
        if (response.version() == null && verdicts.stream().anyMatch(Verdict::malicious)) {
            throw new IllegalStateException("invalid response: a MALICIOUS verdict without a central version");
        }
        String previous = centralVersion.getAndSet(version);
        if (previous != null && !previous.equals(version)) {
            cache.invalidateAll();
            LOG.infof("Smart Scan: central version %s -> %s, reputation cache cleared", previous,
                    SignatureBundleReader.printable(version));
        }
        if (version.equals(centralVersion.get())) { // a newer version seen meanwhile: do not cache stale verdicts
            for (int i = 0; i < chunk.size(); i++) {
                cache.put(chunk.get(i).key(), verdicts.get(i));
            }
        }
        return verdicts;
    }

    private static Verdict verdict(FileHashes asked, HashReputation.Result r) {
        if (r == null || r.sha256() == null || !r.sha256().equalsIgnoreCase(asked.sha256())) {
            throw new IllegalStateException("invalid response: results not in request order");
        }
        String verdict = Objects.requireNonNullElse(r.verdict(), "");
        if (verdict.equals("UNKNOWN")) {
            return Verdict.UNKNOWN;
        }
        if (!verdict.equals("MALICIOUS") || r.signature() == null || r.signature().isBlank()) {
            throw new IllegalStateException("invalid response: verdict '"
                    + SignatureBundleReader.printable(verdict) + "'" + (verdict.equals("MALICIOUS")
                            ? " without a signature" : ""));
        }
        String signature = SignatureBundleReader.printable(r.signature());
        if (signature.length() > MAX_SIGNATURE_CHARS) {
            signature = signature.substring(0, MAX_SIGNATURE_CHARS);
        }
        return new Verdict(true, signature, category(r.category(), signature));
    }

    /** The category named by the service, or (missing or unknown name) the one derived from the signature name. */
    private static ThreatCategory category(String name, String signature) {
        if (name != null) {
            try {
                return ThreatCategory.valueOf(name.toUpperCase(Locale.ROOT));
            } catch (IllegalArgumentException e) {
                // a category this scanner does not know yet: fall back to the name rules
            }
        }
        return ThreatCategory.of(signature);
    }

    private static String describe(RuntimeException e) {
        String m = e.getMessage();
        return e.getClass().getSimpleName() + (m == null ? "" : ": " + SignatureBundleReader.printable(m));
    }

    public Stats stats() {
        return new Stats(enabled, cache.estimatedSize(), hits.get(), misses.get(), failures.get(),
                centralVersion.get());
    }
}
