package io.portcullis.scanner.signatures;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.portcullis.av.ThreatCategory;
import io.portcullis.scanner.support.Bundles;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Function;
import org.junit.jupiter.api.Test;

class SmartScanTest {
    private final List<List<FileHashes>> requests = new CopyOnWriteArrayList<>();
    private final AtomicReference<String> version = new AtomicReference<>("c1");
    private final Set<String> malicious = new java.util.concurrent.ConcurrentSkipListSet<>();
    private final AtomicReference<Function<List<FileHashes>, HashReputation.Response>> behaviour =
            new AtomicReference<>(this::answer);
    private final SmartScan smart = new SmartScan(true, files -> {
        requests.add(files);
        return behaviour.get().apply(files);
    }, 1000, Duration.ofHours(1));

    private HashReputation.Response answer(List<FileHashes> files) {
        List<HashReputation.Result> results = new ArrayList<>();
        for (FileHashes f : files) {
            results.add(malicious.contains(f.sha256())
                    ? new HashReputation.Result(f.sha256(), "MALICIOUS", "Win.Trojan.Central-1", "TROJAN")
                    : new HashReputation.Result(f.sha256(), "UNKNOWN", null, null));
        }
        return new HashReputation.Response(version.get(), results);
    }

    private static FileHashes file(int seed) {
        return FileHashes.of(Bundles.random(seed, 100 + seed % 50));
    }

    @Test
    void hashesAreTheUsualDigestsOfTheContent() {
        byte[] eicarish = Bundles.ascii("hello");
        FileHashes h = FileHashes.of(eicarish);
        assertEquals("5d41402abc4b2a76b9719d911017c592", h.md5());
        assertEquals("aaf4c61ddcc5e8a2dabede0f3b482cd9aea9434d", h.sha1());
        assertEquals("2cf24dba5fb0a30e26e83b2ac5b9e29e1b161e5c1fa7425e73043362938b9824", h.sha256());
        assertEquals(5, h.size());
    }

    @Test
    void missIsAskedOnceAndTheAnswerIsCachedForTheNextMessage() {
        FileHashes a = file(1);
        FileHashes b = file(2);
        malicious.add(b.sha256());
        SmartScan.Answer first = smart.lookup(List.of(a, b, a));
        assertEquals(List.of(List.of(a, b)), requests, "one request, each file once");
        assertEquals(SmartScan.Verdict.UNKNOWN, first.verdicts().get(a));
        assertEquals(new SmartScan.Verdict(true, "Win.Trojan.Central-1", ThreatCategory.TROJAN),
                first.verdicts().get(b));
        assertEquals(List.of(), first.uncovered());

        SmartScan.Answer second = smart.lookup(List.of(b, a));
        assertEquals(1, requests.size(), "both answered from the cache");
        assertTrue(second.verdicts().get(b).malicious());
        SmartScan.Stats stats = smart.stats();
        assertEquals(2, stats.hits());
        assertEquals(2, stats.misses());
        assertEquals(2, stats.cacheEntries());
        assertEquals("c1", stats.centralVersion());
    }

    @Test
    void anotherCentralVersionClearsTheCache() {
        FileHashes a = file(1);
        FileHashes b = file(2);
        smart.lookup(List.of(a));
        version.set("c2");
        malicious.add(a.sha256()); // c2 knows a as malicious
        smart.lookup(List.of(b));
        assertEquals(1, smart.stats().cacheEntries(), "only b, answered by c2");
        SmartScan.Answer again = smart.lookup(List.of(a));
        assertEquals(3, requests.size(), "a was asked again after the version changed");
        assertTrue(again.verdicts().get(a).malicious());
        assertEquals("c2", smart.stats().centralVersion());
    }

    @Test
    void centralFailureLeavesEveryFileUncoveredAndCachesNothing() {
        behaviour.set(files -> {
            throw new IllegalStateException("connect timed out");
        });
        FileHashes a = file(1);
        SmartScan.Answer answer = smart.lookup(List.of(a, file(2)));
        assertEquals(2, answer.uncovered().size());
        assertTrue(answer.verdicts().isEmpty());
        assertEquals("IllegalStateException: connect timed out", answer.failure());
        assertEquals(1, smart.stats().failures());
        assertEquals(0, smart.stats().cacheEntries());
        behaviour.set(this::answer);
        assertEquals(List.of(), smart.lookup(List.of(a)).uncovered(), "asked again once the service is back");
    }

    @Test
    void garbageAnswersAreFailuresNotVerdicts() {
        FileHashes a = file(1);
        FileHashes b = file(2);
        List<Function<List<FileHashes>, HashReputation.Response>> garbage = List.of(
                files -> null,
                files -> new HashReputation.Response(" ", answer(files).results()),
                files -> new HashReputation.Response(null, files.stream()
                        .map(f -> new HashReputation.Result(f.sha256(), "MALICIOUS", "Win.Trojan.X-1", "TROJAN"))
                        .toList()),
                files -> new HashReputation.Response("c1", null),
                files -> new HashReputation.Response("c1", answer(files).results().subList(0, 1)),
                files -> new HashReputation.Response("c1", List.of(answer(files).results().get(1),
                        answer(files).results().get(0))),
                files -> new HashReputation.Response("c1", files.stream()
                        .map(f -> new HashReputation.Result(f.sha256(), "CLEAN", null, null)).toList()),
                files -> new HashReputation.Response("c1", files.stream()
                        .map(f -> new HashReputation.Result(f.sha256(), "MALICIOUS", " ", "TROJAN")).toList()));
        for (var g : garbage) {
            behaviour.set(g);
            SmartScan.Answer answer = smart.lookup(List.of(a, b));
            assertEquals(List.of(a, b), answer.uncovered(), "garbage answer " + garbage.indexOf(g));
            assertTrue(answer.failure().startsWith("IllegalStateException: invalid response")
                    || answer.failure().startsWith("NullPointerException"), answer.failure());
        }
        assertEquals(0, smart.stats().cacheEntries());
        assertEquals(garbage.size(), smart.stats().failures());
    }

    @Test
    void beforeAnyBundleIsPublishedCentrallyEverythingIsUnknownNotAFailure() {
        FileHashes a = file(1);
        version.set(null); // policy-service answers version null until the first bundle is active
        SmartScan.Answer answer = smart.lookup(List.of(a));
        assertEquals(List.of(), answer.uncovered());
        assertNull(answer.failure());
        assertFalse(answer.verdicts().get(a).malicious());
        assertEquals(SmartScan.NO_CENTRAL_BUNDLE, answer.centralVersion());
        assertEquals(0, smart.stats().failures());
        version.set("c1"); // the first bundle: the next answer names it and the cached UNKNOWNs are dropped
        malicious.add(a.sha256());
        smart.lookup(List.of(file(2)));
        assertTrue(smart.lookup(List.of(a)).verdicts().get(a).malicious());
    }

    @Test
    void unknownCategoryFallsBackToTheNameRulesAndNamesAreSanitised() {
        FileHashes a = file(1);
        behaviour.set(files -> new HashReputation.Response("c1", List.of(
                new HashReputation.Result(a.sha256().toUpperCase(), "MALICIOUS", "Win.Worm.X\n-1", "NEW_KIND"))));
        SmartScan.Verdict v = smart.lookup(List.of(a)).verdicts().get(a);
        assertEquals(new SmartScan.Verdict(true, "Win.Worm.X?-1", ThreatCategory.WORM_MASS_MAILER), v);
    }

    @Test
    void manyFilesAreAskedInRequestsOfAtMost1000AndAFailureStopsTheRest() {
        List<FileHashes> files = new ArrayList<>();
        for (int i = 0; i < 2500; i++) {
            files.add(new FileHashes("m" + i, "s" + i, String.format("%064x", i), i));
        }
        assertEquals(List.of(), smart.lookup(files).uncovered());
        assertEquals(List.of(1000, 1000, 500), requests.stream().map(List::size).toList());

        requests.clear();
        smart.stats();
        List<FileHashes> more = new ArrayList<>();
        for (int i = 0; i < 2500; i++) {
            more.add(new FileHashes("m" + i, "s" + i, String.format("%064x", 10_000 + i), i));
        }
        behaviour.set(fs -> {
            if (requests.size() == 2) {
                throw new IllegalStateException("HTTP 503");
            }
            return answer(fs);
        });
        SmartScan.Answer answer = smart.lookup(more);
        assertEquals(2, requests.size(), "the third chunk is not asked after a failure");
        assertEquals(1500, answer.uncovered().size());
        assertEquals(1000, answer.verdicts().size());
        assertEquals(more.subList(1000, 2500), answer.uncovered());
    }

    @Test
    void disabledSmartScanNeverAsks() {
        assertTrue(!SmartScan.DISABLED.enabled());
        assertNull(SmartScan.DISABLED.stats().centralVersion());
    }
}
