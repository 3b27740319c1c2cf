package io.portcullis.policy.directory;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import com.github.benmanes.caffeine.cache.Expiry;
import com.github.benmanes.caffeine.cache.Ticker;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.opentelemetry.instrumentation.annotations.WithSpan;
import io.portcullis.policy.config.PolicyConfig;
import io.quarkus.runtime.Startup;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.util.EnumMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;

/**
 * Directory look-ups with a bounded cache: found entries for {@code cache-ttl}, unknown addresses for the shorter
 * {@code negative-cache-ttl}, at most {@code cache-max-entries} addresses; an unavailable directory is never cached
 * (the next look-up asks again). Settings are checked at start-up; an unreachable directory does not stop the
 * service (readiness and look-ups show it).
 *
 * <p>Metrics: {@code portcullis_directory_lookups_total{outcome,source}} (source {@code cache} or
 * {@code directory}), {@code portcullis_directory_ldap_latency_seconds}, {@code portcullis_directory_cache_size},
 * {@code portcullis_directory_cache_hits_total}, {@code portcullis_directory_cache_misses_total}.
 */
@Startup
@ApplicationScoped
public class DirectoryService {
    /** Longest address accepted (RFC 5321: 64 + 1 + 255). */
    public static final int MAX_ADDRESS_LENGTH = 320;

    private final DirectorySettings settings;
    private final LdapDirectory directory;
    private final Cache<String, LookupResult> cache;
    private final Timer ldapLatency;
    private final Map<LookupResult.Outcome, Counter> fromCache = new EnumMap<>(LookupResult.Outcome.class);
    private final Map<LookupResult.Outcome, Counter> fromDirectory = new EnumMap<>(LookupResult.Outcome.class);

    @Inject
    public DirectoryService(PolicyConfig config, MeterRegistry registry) {
        this(DirectorySettings.of(config.directory()), LdapDirectory::new, registry, Ticker.systemTicker());
    }

    /** For tests: another directory factory and clock. */
    DirectoryService(DirectorySettings settings, Function<DirectorySettings, LdapDirectory> factory,
            MeterRegistry registry, Ticker ticker) {
        this.settings = settings;
        this.directory = settings.enabled() ? factory.apply(settings) : null;
        long positive = settings.cacheTtl().toNanos();
        long negative = settings.negativeCacheTtl().toNanos();
        this.cache = Caffeine.newBuilder().maximumSize(settings.cacheMaxEntries()).ticker(ticker).recordStats()
                .expireAfter(new Expiry<String, LookupResult>() {
                    @Override
                    public long expireAfterCreate(String key, LookupResult value, long currentTime) {
                        return value.outcome() == LookupResult.Outcome.FOUND ? positive : negative;
                    }

                    @Override
                    public long expireAfterUpdate(String key, LookupResult value, long currentTime,
                            long currentDuration) {
                        return expireAfterCreate(key, value, currentTime);
                    }

                    @Override
                    public long expireAfterRead(String key, LookupResult value, long currentTime,
                            long currentDuration) {
                        return currentDuration;
                    }
                }).build();
        this.ldapLatency = Timer.builder("portcullis.directory.ldap.latency")
                .description("Time of one uncached directory look-up (user and groups)").register(registry);
        for (LookupResult.Outcome outcome : LookupResult.Outcome.values()) {
            String tag = outcome.name().toLowerCase(Locale.ROOT);
            fromCache.put(outcome, Counter.builder("portcullis.directory.lookups").tag("outcome", tag)
                    .tag("source", "cache").description("Directory look-ups by outcome").register(registry));
            fromDirectory.put(outcome, Counter.builder("portcullis.directory.lookups").tag("outcome", tag)
                    .tag("source", "directory").description("Directory look-ups by outcome").register(registry));
        }
        Gauge.builder("portcullis.directory.cache.size", cache, Cache::estimatedSize)
                .description("Addresses in the directory cache").strongReference(true).register(registry);
        FunctionCounter.builder("portcullis.directory.cache.hits", cache, c -> c.stats().hitCount())
                .description("Directory look-ups answered from the cache").register(registry);
        FunctionCounter.builder("portcullis.directory.cache.misses", cache, c -> c.stats().missCount())
                .description("Directory look-ups not in the cache").register(registry);
    }

    /** The checked settings. */
    public DirectorySettings settings() {
        return settings;
    }

    /**
     * The address in the form looked up (trimmed), or empty when it cannot be an address: no {@code @} with text on
     * both sides, whitespace, control characters, angle brackets, or longer than {@value #MAX_ADDRESS_LENGTH}.
     * Characters that mean something in LDAP filters ({@code *()\}) are allowed: filters escape them.
     */
    public static Optional<String> checkAddress(String address) {
        if (address == null) {
            return Optional.empty();
        }
        String a = address.trim();
        int at = a.lastIndexOf('@');
        if (a.length() > MAX_ADDRESS_LENGTH || at <= 0 || at == a.length() - 1) {
            return Optional.empty();
        }
        for (int i = 0; i < a.length(); i++) {
            char c = a.charAt(i);
            if (c <= 32 || c == 127 || c == '<' || c == '>' || Character.isWhitespace(c)) {
                return Optional.empty();
            }
        }
        return Optional.of(a);
    }

    /**
     * Looks an address up, from the cache when it holds it. The address must have passed {@link #checkAddress}.
     */
    @WithSpan("directory lookup")
    public LookupResult lookup(String address) {
        if (directory == null) {
            fromDirectory.get(LookupResult.Outcome.NOT_CONFIGURED).increment();
            return LookupResult.notConfigured();
        }
        String key = address.toLowerCase(Locale.ROOT);
        LookupResult cached = cache.getIfPresent(key);
        if (cached != null) {
            fromCache.get(cached.outcome()).increment();
            return cached;
        }
        LookupResult result = ldapLatency.record(() -> directory.lookup(address));
        if (result.outcome() == LookupResult.Outcome.FOUND || result.outcome() == LookupResult.Outcome.NOT_FOUND) {
            cache.put(key, result);
        }
        fromDirectory.get(result.outcome()).increment();
        return result;
    }

    /** Configuration, reachability (asks the directory now) and cache counts. */
    public DirectoryStatus status() {
        var stats = cache.stats();
        if (directory == null) {
            return new DirectoryStatus(false, null, List.of(), null, "directory not configured",
                    cache.estimatedSize(), stats.hitCount(), stats.missCount());
        }
        String problem = directory.probe();
        return new DirectoryStatus(true, settings.schema().key(),
                settings.urls().stream().map(Object::toString).toList(), problem == null, problem,
                cache.estimatedSize(), stats.hitCount(), stats.missCount());
    }

    /** Forgets every cached answer. */
    public void invalidateAll() {
        cache.invalidateAll();
    }

    /** Runs pending cache maintenance (expiry); for tests. */
    void cleanUp() {
        cache.cleanUp();
    }

    @PreDestroy
    void close() {
        if (directory != null) {
            directory.close();
        }
    }
}
