package io.portcullis.edge.validation;

import com.github.benmanes.caffeine.cache.AsyncCache;
import com.github.benmanes.caffeine.cache.Caffeine;
import com.github.benmanes.caffeine.cache.Expiry;
import com.github.benmanes.caffeine.cache.Ticker;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.portcullis.edge.config.EdgeConfig;
import io.portcullis.edge.smtp.RecipientValidator;
import io.portcullis.edge.smtp.RecipientVerdict;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.time.Duration;
import java.util.EnumMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import java.util.regex.Pattern;
import org.jboss.logging.Logger;

/**
 * Recipient validation against policy-service's directory ({@code portcullis.recipient-validation.mode=directory}).
 *
 * <p>Cost is bounded three ways: answers are cached at the edge (existing recipients for {@code cache-ttl}, unknown
 * ones for {@code negative-cache-ttl}, at most {@code cache-max-entries}; outages never); concurrent RCPTs for the
 * same address share one look-up; and at most {@code max-concurrent-lookups} look-ups are in flight from this edge,
 * {@code max-waiting-lookups} more queued, the rest answered 451 4.4.3 at once. The SMTP session holds a
 * connection's input while its RCPT is being validated, so one connection (a harvester pipelining 1,000 RCPTs)
 * has at most one look-up at a time, and ten refusals in a row close it (the server's error limit).
 *
 * <p>{@code postmaster} (any accepted domain) is always accepted without a look-up (RFC 5321 section 4.5.1). With
 * {@code domains} set, only recipients in those domains are validated; the others are accepted without a look-up
 * and are not counted (the directory does not serve them).
 * Metrics: {@code portcullis_recipient_validation_total{outcome=accept|unknown|unavailable}},
 * {@code portcullis_recipient_validation_lookups_total} (look-ups sent to policy-service),
 * {@code portcullis_recipient_validation_in_flight}.
 */
@ApplicationScoped
public class DirectoryRecipientValidator implements RecipientValidator {
    private static final Logger LOG = Logger.getLogger(DirectoryRecipientValidator.class);
    private static final long LOG_EVERY_MILLIS = 60_000;
    /** A DNS name: labels of letters, digits and inner hyphens, at least two, at most 253 characters. */
    private static final Pattern DOMAIN = Pattern.compile(
            "(?=.{1,253}$)([a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?\\.)+[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?");

    private final boolean active;
    /** Validated domains, lower case; empty = every accepted domain. */
    private final Set<String> domains;
    private final Function<String, CompletableFuture<RecipientVerdict>> lookup;
    private final Duration timeout;
    private final LookupLimiter limiter;
    private final AsyncCache<String, RecipientVerdict> cache;
    private final Map<RecipientVerdict, Counter> outcomes = new EnumMap<>(RecipientVerdict.class);
    private final Counter lookups;
    private final ExecutorService executor;
    private volatile long lastFailureLog;

    @Inject
    public DirectoryRecipientValidator(EdgeConfig config, MeterRegistry registry) {
        this(config.recipientValidation(), config.policy().url(), registry);
    }

    private DirectoryRecipientValidator(EdgeConfig.RecipientValidation c, String policyUrl, MeterRegistry registry) {
        this(c, registry, Ticker.systemTicker(), c.mode() == EdgeConfig.RecipientValidation.Mode.DIRECTORY
                ? Executors.newFixedThreadPool(2, r -> {
                    Thread t = new Thread(r, "portcullis-recipient-validation");
                    t.setDaemon(true);
                    return t;
                }) : null, policyUrl);
    }

    private DirectoryRecipientValidator(EdgeConfig.RecipientValidation c, MeterRegistry registry, Ticker ticker,
            ExecutorService executor, String policyUrl) {
        this(c, executor == null ? address -> CompletableFuture.failedFuture(new IllegalStateException("off"))
                : new DirectoryLookupClient(policyUrl, c.timeout(), executor)::lookup, registry, ticker, executor);
    }

    /** For tests: any look-up function and clock. */
    DirectoryRecipientValidator(EdgeConfig.RecipientValidation c,
            Function<String, CompletableFuture<RecipientVerdict>> lookup, MeterRegistry registry, Ticker ticker,
            ExecutorService executor) {
        check(c);
        this.active = c.mode() == EdgeConfig.RecipientValidation.Mode.DIRECTORY;
        this.domains = domains(c.domains());
        this.lookup = lookup;
        this.timeout = c.timeout();
        this.executor = executor;
        this.limiter = new LookupLimiter(c.maxConcurrentLookups(), c.maxWaitingLookups());
        long positive = c.cacheTtl().toNanos();
        long negative = c.negativeCacheTtl().toNanos();
        this.cache = Caffeine.newBuilder().maximumSize(c.cacheMaxEntries()).ticker(ticker)
                .expireAfter(new Expiry<String, RecipientVerdict>() {
                    @Override
                    public long expireAfterCreate(String key, RecipientVerdict value, long currentTime) {
                        return switch (value) {
                            case ACCEPT -> positive;
                            case UNKNOWN_USER -> negative;
                            default -> 0; // an outage: gone at once
                        };
                    }

                    @Override
                    public long expireAfterUpdate(String key, RecipientVerdict value, long currentTime,
                            long currentDuration) {
                        return expireAfterCreate(key, value, currentTime);
                    }

                    @Override
                    public long expireAfterRead(String key, RecipientVerdict value, long currentTime,
                            long currentDuration) {
                        return currentDuration;
                    }
                }).buildAsync();
        for (RecipientVerdict v : new RecipientVerdict[] {RecipientVerdict.ACCEPT, RecipientVerdict.UNKNOWN_USER,
                RecipientVerdict.UNAVAILABLE}) {
            String tag = v == RecipientVerdict.UNKNOWN_USER ? "unknown" : v.name().toLowerCase(Locale.ROOT);
            outcomes.put(v, Counter.builder("portcullis.recipient.validation").tag("outcome", tag)
                    .description("Recipients validated at RCPT, by outcome").register(registry));
        }
        this.lookups = Counter.builder("portcullis.recipient.validation.lookups")
                .description("Recipient look-ups sent to policy-service (cache misses)").register(registry);
        Gauge.builder("portcullis.recipient.validation.in.flight", limiter, LookupLimiter::running)
                .description("Recipient look-ups in flight").strongReference(true).register(registry);
    }

    private static void check(EdgeConfig.RecipientValidation c) {
        String p = "portcullis.recipient-validation.";
        positive(p + "timeout", c.timeout());
        positive(p + "cache-ttl", c.cacheTtl());
        positive(p + "negative-cache-ttl", c.negativeCacheTtl());
        if (c.cacheMaxEntries() < 1) {
            throw new IllegalArgumentException(p + "cache-max-entries must be positive, is " + c.cacheMaxEntries());
        }
        if (c.maxConcurrentLookups() < 1 || c.maxConcurrentLookups() > 1000) {
            throw new IllegalArgumentException(p + "max-concurrent-lookups must be 1..1000, is "
                    + c.maxConcurrentLookups());
        }
        if (c.maxWaitingLookups() < 0) {
            throw new IllegalArgumentException(p + "max-waiting-lookups must not be negative");
        }
    }

    /** The configured domains, lower case, each checked; a bad entry fails start-up naming the key. */
    static Set<String> domains(Optional<List<String>> configured) {
        Set<String> out = new LinkedHashSet<>();
        for (String raw : configured.orElse(List.of())) {
            String d = raw == null ? "" : raw.strip().toLowerCase(Locale.ROOT);
            if (d.isEmpty()) {
                continue;
            }
            if (!DOMAIN.matcher(d).matches()) {
                throw new IllegalArgumentException("portcullis.recipient-validation.domains: '" + raw
                        + "' is not a domain name (letters, digits, '-' and dots, e.g. corp.example)");
            }
            out.add(d);
        }
        return Set.copyOf(out);
    }

    private static void positive(String key, Duration d) {
        if (d == null || d.isNegative() || d.isZero()) {
            throw new IllegalArgumentException(key + " must be positive");
        }
    }

    @Override
    public boolean active() {
        return active;
    }

    @Override
    public CompletionStage<RecipientVerdict> validate(String address, String domain) {
        if (!domains.isEmpty() && !domains.contains(domain.toLowerCase(Locale.ROOT))) {
            return CompletableFuture.completedFuture(RecipientVerdict.ACCEPT); // not a directory-served domain
        }
        int at = address.lastIndexOf('@');
        if (at > 0 && address.substring(0, at).equalsIgnoreCase("postmaster")) {
            return count(CompletableFuture.completedFuture(RecipientVerdict.ACCEPT));
        }
        String key = address.toLowerCase(Locale.ROOT);
        // an outage is a value (UNAVAILABLE) that expires at once: never remembered, never an exception in the cache
        return count(cache.get(key, (k, executor) -> {
            lookups.increment();
            return limiter.submit(() -> lookup.apply(address)).orTimeout(timeout.toMillis(), TimeUnit.MILLISECONDS)
                    .handle((verdict, error) -> {
                        if (error != null || verdict == null || verdict == RecipientVerdict.UNAVAILABLE) {
                            logFailure(error);
                            return RecipientVerdict.UNAVAILABLE;
                        }
                        return verdict;
                    });
        }));
    }

    /** Counts the outcome once per RCPT; a separate stage, so callers never share (or complete) the cached one. */
    private CompletableFuture<RecipientVerdict> count(CompletableFuture<RecipientVerdict> answer) {
        return answer.whenComplete((v, e) -> {
            Counter c = v == null ? null : outcomes.get(v);
            if (c != null) {
                c.increment();
            }
        });
    }

    private void logFailure(Throwable error) {
        long now = System.currentTimeMillis();
        if (now - lastFailureLog >= LOG_EVERY_MILLIS) {
            lastFailureLog = now;
            LOG.warnf("recipient validation unavailable (answering 451 4.4.3; logged at most once a minute): %s",
                    error == null ? "no answer" : error.toString());
        }
    }

    /** Addresses remembered now (approximate). */
    long cacheSize() {
        return cache.synchronous().estimatedSize();
    }

    /** Runs pending cache maintenance; for tests. */
    void cleanUp() {
        cache.synchronous().cleanUp();
    }

    /** The validated domains (empty: all). */
    Set<String> validatedDomains() {
        return domains;
    }

    LookupLimiter limiter() {
        return limiter;
    }

    @PreDestroy
    void stop() {
        if (executor != null) {
            executor.shutdownNow();
        }
    }
}
