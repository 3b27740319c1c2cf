package io.portcullis.edge.validation;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.github.benmanes.caffeine.cache.Ticker;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.portcullis.edge.config.EdgeConfig;
import io.portcullis.edge.smtp.RecipientVerdict;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Function;
import org.junit.jupiter.api.Test;

/** Edge-side cache, coalescing and concurrency cap of directory validation (no network: a scripted look-up). */
class DirectoryRecipientValidatorTest {
    private final AtomicLong nanos = new AtomicLong();
    private final Ticker ticker = nanos::get;
    private final SimpleMeterRegistry registry = new SimpleMeterRegistry();
    private final Map<String, List<CompletableFuture<RecipientVerdict>>> asked = new ConcurrentHashMap<>();

    record Settings(EdgeConfig.RecipientValidation.Mode mode, Duration timeout, Duration cacheTtl,
            Duration negativeCacheTtl, long cacheMaxEntries, int maxConcurrentLookups, int maxWaitingLookups,
            Optional<List<String>> domains) implements EdgeConfig.RecipientValidation {

        Settings(EdgeConfig.RecipientValidation.Mode mode, Duration timeout, Duration cacheTtl,
                Duration negativeCacheTtl, long cacheMaxEntries, int maxConcurrentLookups, int maxWaitingLookups) {
            this(mode, timeout, cacheTtl, negativeCacheTtl, cacheMaxEntries, maxConcurrentLookups, maxWaitingLookups,
                    Optional.empty());
        }

        Settings withDomains(String... values) {
            return new Settings(mode, timeout, cacheTtl, negativeCacheTtl, cacheMaxEntries, maxConcurrentLookups,
                    maxWaitingLookups, Optional.of(List.of(values)));
        }
    }

    static Settings settings(int maxConcurrent, int maxWaiting) {
        return new Settings(EdgeConfig.RecipientValidation.Mode.DIRECTORY, Duration.ofSeconds(5),
                Duration.ofMinutes(5), Duration.ofMinutes(1), 1000, maxConcurrent, maxWaiting);
    }

    private DirectoryRecipientValidator validator(Settings s, Function<String, CompletableFuture<RecipientVerdict>> f) {
        return new DirectoryRecipientValidator(s, f, registry, ticker, null);
    }

    /** A look-up the test answers later. */
    private CompletableFuture<RecipientVerdict> manual(String address) {
        CompletableFuture<RecipientVerdict> f = new CompletableFuture<>();
        asked.computeIfAbsent(address, a -> new java.util.concurrent.CopyOnWriteArrayList<>()).add(f);
        return f;
    }

    private int lookups() {
        return asked.values().stream().mapToInt(List::size).sum();
    }

    private static RecipientVerdict now(java.util.concurrent.CompletionStage<RecipientVerdict> stage) {
        CompletableFuture<RecipientVerdict> f = stage.toCompletableFuture();
        assertTrue(f.isDone(), "answered at once");
        return f.join();
    }

    @Test
    void sameAddressRequestedManyTimesAtOnceIsLookedUpOnce() {
        DirectoryRecipientValidator v = validator(settings(4, 100), this::manual);
        List<CompletableFuture<RecipientVerdict>> answers = new ArrayList<>();
        for (int i = 0; i < 1000; i++) {
            answers.add(v.validate(i % 2 == 0 ? "Same@Example.com" : "same@example.com", "example.com")
                    .toCompletableFuture());
        }
        assertEquals(1, lookups());
        asked.values().iterator().next().get(0).complete(RecipientVerdict.UNKNOWN_USER);
        assertTrue(answers.stream().allMatch(a -> a.join() == RecipientVerdict.UNKNOWN_USER));
        assertEquals(RecipientVerdict.UNKNOWN_USER, now(v.validate("same@example.com", "example.com")), "cached");
        assertEquals(1, lookups());
    }

    @Test
    void thousandDistinctAddressesNeverHaveMoreThanTheCapInFlight() {
        DirectoryRecipientValidator v = validator(settings(4, 20), this::manual);
        List<CompletableFuture<RecipientVerdict>> answers = new ArrayList<>();
        for (int i = 0; i < 1000; i++) {
            answers.add(v.validate("user" + i + "@example.com", "example.com").toCompletableFuture());
        }
        assertEquals(4, lookups(), "only the cap is sent");
        assertEquals(4, v.limiter().running());
        assertEquals(20, v.limiter().waiting());
        long refusedAtOnce = answers.stream().filter(CompletableFuture::isDone).count();
        assertEquals(1000 - 4 - 20, refusedAtOnce);
        assertTrue(answers.stream().filter(CompletableFuture::isDone)
                .allMatch(a -> a.join() == RecipientVerdict.UNAVAILABLE), "overflow is 451, never 550");
        // answering frees slots for the waiting ones, still never more than four at once
        for (int round = 0; round < 6; round++) {
            List<CompletableFuture<RecipientVerdict>> open = asked.values().stream().flatMap(List::stream)
                    .filter(f -> !f.isDone()).toList();
            assertTrue(open.size() <= 4);
            open.forEach(f -> f.complete(RecipientVerdict.ACCEPT));
        }
        assertEquals(24, lookups());
        assertEquals(0, v.limiter().running());
    }

    @Test
    void answersExpireAfterTheirTtls() {
        Map<String, RecipientVerdict> directory = new ConcurrentHashMap<>(Map.of("alice@example.com",
                RecipientVerdict.ACCEPT));
        int[] calls = {0};
        DirectoryRecipientValidator v = validator(settings(4, 10), a -> {
            calls[0]++;
            return CompletableFuture.completedFuture(directory.getOrDefault(a, RecipientVerdict.UNKNOWN_USER));
        });
        assertEquals(RecipientVerdict.ACCEPT, now(v.validate("alice@example.com", "example.com")));
        assertEquals(RecipientVerdict.UNKNOWN_USER, now(v.validate("bob@example.com", "example.com")));
        directory.put("bob@example.com", RecipientVerdict.ACCEPT);
        directory.remove("alice@example.com");
        nanos.addAndGet(Duration.ofSeconds(59).toNanos());
        assertEquals(RecipientVerdict.UNKNOWN_USER, now(v.validate("bob@example.com", "example.com")));
        assertEquals(2, calls[0]);
        nanos.addAndGet(Duration.ofSeconds(2).toNanos());
        assertEquals(RecipientVerdict.ACCEPT, now(v.validate("bob@example.com", "example.com")),
                "negative TTL passed");
        assertEquals(RecipientVerdict.ACCEPT, now(v.validate("alice@example.com", "example.com")), "still cached");
        nanos.addAndGet(Duration.ofMinutes(5).toNanos());
        assertEquals(RecipientVerdict.UNKNOWN_USER, now(v.validate("alice@example.com", "example.com")));
        assertEquals(4, calls[0]);
    }

    @Test
    void outageIsUnavailableAndNeverCached() {
        int[] calls = {0};
        DirectoryRecipientValidator v = validator(settings(4, 10), a -> {
            calls[0]++;
            return CompletableFuture.failedFuture(new DirectoryLookupClient.DirectoryUnavailableException("503"));
        });
        assertEquals(RecipientVerdict.UNAVAILABLE, now(v.validate("alice@example.com", "example.com")));
        assertEquals(RecipientVerdict.UNAVAILABLE, now(v.validate("alice@example.com", "example.com")));
        assertEquals(2, calls[0], "asked again: outages are not remembered");
        assertEquals(2.0, registry.find("portcullis.recipient.validation").tag("outcome", "unavailable").counter()
                .count());
    }

    @Test
    void slowLookupTimesOutAsUnavailable() {
        Settings s = new Settings(EdgeConfig.RecipientValidation.Mode.DIRECTORY, Duration.ofMillis(100),
                Duration.ofMinutes(5), Duration.ofMinutes(1), 1000, 4, 10);
        DirectoryRecipientValidator v = validator(s, this::manual);
        assertEquals(RecipientVerdict.UNAVAILABLE,
                v.validate("slow@example.com", "example.com").toCompletableFuture().join());
    }

    @Test
    void postmasterIsAcceptedWithoutALookup() {
        DirectoryRecipientValidator v = validator(settings(4, 10), this::manual);
        assertEquals(RecipientVerdict.ACCEPT, now(v.validate("PostMaster@example.com", "example.com")));
        assertEquals(0, lookups());
    }

    @Test
    void offModeIsInactive() {
        Settings off = new Settings(EdgeConfig.RecipientValidation.Mode.OFF, Duration.ofSeconds(1),
                Duration.ofMinutes(5), Duration.ofMinutes(1), 10, 4, 10);
        assertFalse(validator(off, this::manual).active());
        assertTrue(validator(settings(1, 0), this::manual).active());
    }

    @Test
    void badSettingsFailNamingTheKey() {
        Settings zeroTimeout = new Settings(EdgeConfig.RecipientValidation.Mode.DIRECTORY, Duration.ZERO,
                Duration.ofMinutes(5), Duration.ofMinutes(1), 10, 4, 10);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> validator(zeroTimeout, this::manual));
        assertTrue(e.getMessage().startsWith("portcullis.recipient-validation.timeout"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> validator(settings(0, 10), this::manual));
        assertTrue(e.getMessage().startsWith("portcullis.recipient-validation.max-concurrent-lookups"));
    }

    @Test
    void onlyRecipientsInTheListedDomainsAreLookedUp() {
        DirectoryRecipientValidator v = validator(settings(4, 10).withDomains(" Corp.Example ", "",
                "eu.corp.example"), a -> {
                    asked.computeIfAbsent(a, k -> new java.util.concurrent.CopyOnWriteArrayList<>())
                            .add(CompletableFuture.completedFuture(RecipientVerdict.UNKNOWN_USER));
                    return CompletableFuture.completedFuture(RecipientVerdict.UNKNOWN_USER);
                });
        assertEquals(java.util.Set.of("corp.example", "eu.corp.example"), v.validatedDomains());
        assertEquals(RecipientVerdict.ACCEPT, now(v.validate("made-up@example.com", "example.com")),
                "another accepted domain is not validated");
        assertEquals(RecipientVerdict.ACCEPT, now(v.validate("x@sub.corp.example", "sub.corp.example")),
                "exact domains: a subdomain is not covered");
        assertEquals(0, lookups());
        assertEquals(RecipientVerdict.UNKNOWN_USER, now(v.validate("nobody@CORP.example", "corp.example")));
        assertEquals(RecipientVerdict.UNKNOWN_USER, now(v.validate("nobody@eu.corp.example", "eu.corp.example")));
        assertEquals(2, lookups());
        assertEquals(0.0, registry.find("portcullis.recipient.validation").tag("outcome", "accept").counter()
                .count(), "unvalidated domains are not counted as validated");
        assertEquals(2.0, registry.find("portcullis.recipient.validation").tag("outcome", "unknown").counter()
                .count());
    }

    @Test
    void noDomainsMeansEveryAcceptedDomainIsValidated() {
        DirectoryRecipientValidator v = validator(settings(4, 10).withDomains(" ", ""), this::manual);
        assertTrue(v.validatedDomains().isEmpty());
        v.validate("someone@example.com", "example.com");
        v.validate("someone@example.org", "example.org");
        assertEquals(2, lookups());
    }

    @Test
    void malformedDomainFailsStartUpNamingTheKey() {
        for (String bad : List.of("user@corp.example", "corp example", "-corp.example", "corp..example", "corp",
                "a".repeat(64) + ".example", "corp.example/x")) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                    () -> validator(settings(4, 10).withDomains(bad), this::manual), bad);
            assertTrue(e.getMessage().startsWith("portcullis.recipient-validation.domains"), e.getMessage());
        }
    }
}
