package io.portcullis.scanner.signatures;

import static io.portcullis.scanner.support.Bundles.BUCKET;
import static io.portcullis.scanner.support.Bundles.ascii;
import static io.portcullis.scanner.support.TestMessages.EICAR;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.portcullis.contracts.scan.EngineResult;
import io.portcullis.contracts.scan.Finding;
import io.portcullis.contracts.scan.ScanInput;
import io.portcullis.contracts.scan.ScanItem;
import io.portcullis.scanner.engine.SignatureEngine;
import io.portcullis.scanner.messaging.SignatureBundleActivatedConsumer;
import io.portcullis.contracts.events.EventJson;
import io.portcullis.scanner.storage.BodyStore;
import io.portcullis.scanner.support.Bundles;
import io.portcullis.scanner.support.InMemoryBodyStore;
import java.io.IOException;
import java.io.InputStream;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Supplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class SignatureUpdaterTest {
    private static final Duration WAIT = Duration.ofSeconds(20);

    private final InMemoryBodyStore store = new InMemoryBodyStore();
    private final SimpleMeterRegistry registry = new SimpleMeterRegistry();
    private final SignatureSetFactory factory = new SignatureSetFactory(List.of(), true);
    private final SignatureHolder holder = new SignatureHolder(factory.startup(), registry);
    private final SignatureEngine engine = new SignatureEngine(holder, SmartScan.DISABLED);
    private final AtomicReference<Supplier<Optional<BundleRef>>> active = new AtomicReference<>(Optional::empty);
    private final AtomicInteger lookups = new AtomicInteger();
    private SignatureUpdater updater;

    private SignatureUpdater updater(BodyStore objects) {
        updater = new SignatureUpdater(holder, factory, new SignatureBundleReader(objects, 1 << 20), () -> {
            lookups.incrementAndGet();
            return active.get().get();
        }, new SignatureUpdater.Settings(true, BUCKET, Duration.ofHours(1), Duration.ofMillis(20),
                Duration.ofMillis(100), 3), registry);
        updater.start();
        return updater;
    }

    @AfterEach
    void stop() {
        if (updater != null) {
            updater.stop();
        }
    }

    /** A bundle whose only signature is a trojan matching {@code marker(version)}. */
    private static byte[] bundle(String version) {
        return Bundles.tar(Map.of("portcullis.ndb", ascii(Bundles.ndb("Win.Trojan.Update-" + version, marker(version)))));
    }

    private static byte[] marker(String version) {
        return ascii("PORTCULLIS-UPDATE-MARKER-" + version + "-END");
    }

    private BundleRef publish(String version, byte[] tar) {
        store.put(BUCKET, Bundles.key(version), tar);
        return Bundles.ref(version, tar, "publish");
    }

    private BundleRef publish(String version) {
        return publish(version, bundle(version));
    }

    private List<String> scan(byte[]... items) {
        ScanItem[] scanItems = new ScanItem[items.length];
        for (int i = 0; i < items.length; i++) {
            scanItems[i] = new ScanItem("part/" + (i + 1), null, null, 1, items[i]);
        }
        EngineResult r = engine.scan(new ScanInput("m", null, List.of(scanItems)));
        return r.findings().stream().map(Finding::detail).toList();
    }

    private void awaitVersion(String version) {
        await().atMost(WAIT).until(() -> holder.current().version().equals(version) && updater.loading() == null);
    }

    @Test
    void activeBundleAtStartupIsLoadedAndSwappedInWithEicarStillDetected() {
        BundleRef v1 = publish("2026112701");
        active.set(() -> Optional.of(v1));
        updater(store);
        awaitVersion("2026112701");
        assertEquals(List.of("Win.Trojan.Update-2026112701 in part/1", "Eicar-Test-Signature in part/2"),
                scan(marker("2026112701"), ascii(EICAR)));
        EngineResult r = engine.scan(new ScanInput("m", null, List.of()));
        assertEquals("2026112701", r.version(), "the result names the set it was scanned with");
        assertTrue(holder.current().source().contains("portcullis-signatures/bundles/2026112701.tar"));
        assertEquals(1.0, registry.get("portcullis.signatures.info").tag("version", "2026112701").gauge().value());
        assertTrue(registry.find("portcullis.signatures.info").tag("version", "base").gauges().isEmpty(),
                "only the set in use is reported");
        assertTrue(registry.get("portcullis.signatures.loaded").gauge().value() > 1.7e9);
        assertEquals(1, registry.get("portcullis.signatures.load.duration").timer().count());
        assertEquals(0.0, registry.get("portcullis.signatures.load.failures").counter().count());
    }

    @Test
    void activationMissedByTheConsumerIsPickedUpWhenItGetsPartitionsNotAtTheNextPoll() {
        updater(store); // poll interval 1 h: only the start-up lookup and checkActiveNow can find v1
        await().atMost(WAIT).until(() -> lookups.get() >= 1);
        BundleRef v1 = publish("v1");
        active.set(() -> Optional.of(v1)); // activated while the consumer had no partition: no announcement seen
        new io.portcullis.scanner.messaging.SignatureBundlesRebalanceListener(updater).onPartitionsAssigned(null,
                List.of(new org.apache.kafka.common.TopicPartition("portcullis.signatures.v1", 0)));
        awaitVersion("v1");
        assertEquals(2, lookups.get(), "one extra lookup, not a second poll loop");
        assertEquals(List.of("Win.Trojan.Update-v1 in part/1"), scan(marker("v1")));
    }

    @Test
    void startupIsResolvedOnlyOnceTheActiveBundleIsInUse() throws Exception {
        BundleRef v1 = publish("v1");
        active.set(() -> Optional.of(v1));
        updater(store);
        assertTrue(updater.awaitStartupSet(WAIT));
        assertEquals("v1", holder.current().version(), "resolved means the bundle is in use, not just requested");
    }

    @Test
    void startupIsResolvedWhenNoBundleIsActiveButNotWhilePolicyServiceIsUnreachable() throws Exception {
        updater(store);
        assertTrue(updater.awaitStartupSet(WAIT), "no bundle: nothing to wait for");
        SignatureUpdater.Settings s = new SignatureUpdater.Settings(true, BUCKET, Duration.ofHours(1),
                Duration.ofMillis(20), Duration.ofMillis(100), 3);
        SignatureUpdater unreachable = new SignatureUpdater(holder, factory, new SignatureBundleReader(store, 1 << 20),
                () -> {
                    throw new IllegalStateException("connection refused");
                }, s, new SimpleMeterRegistry());
        try {
            unreachable.start();
            assertFalse(unreachable.awaitStartupSet(Duration.ofMillis(300)), "the pipeline waits, bounded");
        } finally {
            unreachable.stop();
        }
    }

    @Test
    void aFirstFailedLoadEndsTheStartupWaitWhileRetriesGoOn() throws Exception {
        byte[] tar = bundle("v1");
        store.put(BUCKET, Bundles.key("v1"), tar);
        BundleRef broken = new BundleRef("v1", BUCKET, Bundles.key("v1"), Bundles.sha256(bundle("other")), tar.length,
                "active");
        active.set(() -> Optional.of(broken));
        updater(store);
        assertTrue(updater.awaitStartupSet(WAIT), "mail is not held for a bundle that cannot load");
        assertEquals("base", holder.current().version());
        await().atMost(WAIT).until(() -> updater.lastError() != null && updater.lastError().attempt() == 3);
    }

    @Test
    void noActiveBundleStaysOnTheBaseSet() {
        updater(store);
        await().atMost(WAIT).until(() -> lookups.get() >= 1);
        assertEquals("base", holder.current().version());
        assertNull(updater.lastError());
        assertEquals(List.of("Eicar-Test-Signature in part/1"), scan(ascii(EICAR)));
    }

    @Test
    void unreachablePolicyServiceIsRecordedAndAskedAgainWithBackoff() {
        BundleRef v1 = publish("v1");
        AtomicInteger calls = new AtomicInteger();
        active.set(() -> {
            if (calls.incrementAndGet() <= 2) {
                throw new IllegalStateException("connection refused");
            }
            return Optional.of(v1);
        });
        updater(store);
        await().atMost(WAIT).until(() -> updater.lastError() != null || holder.current().version().equals("v1"));
        awaitVersion("v1");
        assertEquals(3, calls.get());
        assertNull(updater.lastError(), "cleared by the successful load");
    }

    @Test
    void announcementsLoadEachVersionAndARollbackLoadsTheOlderOneAgain() {
        updater(store);
        BundleRef v1 = publish("v1");
        BundleRef v2 = publish("v2");
        updater.announced(v1);
        awaitVersion("v1");
        assertEquals(List.of("Win.Trojan.Update-v1 in part/1"), scan(marker("v1"), marker("v2")));
        updater.announced(v2);
        awaitVersion("v2");
        assertEquals(List.of("Win.Trojan.Update-v2 in part/2"), scan(marker("v1"), marker("v2")));
        updater.announced(new BundleRef("v1", BUCKET, v1.objectKey(), v1.sha256(), v1.size(), "rollback"));
        awaitVersion("v1");
        assertEquals(List.of("Win.Trojan.Update-v1 in part/1"), scan(marker("v1"), marker("v2")));
        assertTrue(holder.current().source().endsWith("(rollback)"));
        assertEquals(3, holder.swaps());
    }

    @Test
    void announcementOfTheVersionInUseIsANoOp() {
        updater(store);
        BundleRef v1 = publish("v1");
        updater.announced(v1);
        awaitVersion("v1");
        int opens = store.opens();
        updater.announced(v1);
        updater.announced(publish("v2"));
        awaitVersion("v2");
        assertEquals(opens + 1, store.opens(), "only v2 was downloaded");
        assertEquals(2, holder.swaps());
    }

    @Test
    void badDatabaseKeepsTheCurrentSetRecordsTheErrorAndRetriesABoundedNumberOfTimes() {
        updater(store);
        updater.announced(publish("v1"));
        awaitVersion("v1");
        int opens = store.opens();
        byte[] bad = Bundles.tar(Map.of("bad.ndb", ascii("Good.Sig-1:0:*:41424344\nBad.Sig-2:0:*:41zz\n")));
        updater.announced(publish("v2", bad));
        await().atMost(WAIT).until(() -> updater.lastError() != null && updater.lastError().attempt() == 3
                && updater.loading() == null);
        assertEquals("v1", holder.current().version());
        assertEquals("v2", updater.lastError().version());
        assertTrue(updater.lastError().message().contains("v2/bad.ndb:2"), updater.lastError().message());
        assertEquals(3.0, registry.get("portcullis.signatures.load.failures").counter().count());
        assertEquals(opens + 3, store.opens());
        assertEquals(List.of("Win.Trojan.Update-v1 in part/1"), scan(marker("v1")), "the old set still scans");
        // a later announcement of the same version starts again (e.g. after the object was fixed)
        store.put(BUCKET, Bundles.key("v2"), bundle("v2"));
        updater.announced(Bundles.ref("v2", bundle("v2"), "publish"));
        awaitVersion("v2");
    }

    @Test
    void sha256MismatchIsRefusedAndTheCurrentSetStays() {
        updater(store);
        byte[] tar = bundle("v1");
        store.put(BUCKET, Bundles.key("v1"), tar);
        updater.announced(new BundleRef("v1", BUCKET, Bundles.key("v1"), Bundles.sha256(bundle("other")),
                tar.length, "publish"));
        await().atMost(WAIT).until(() -> updater.lastError() != null && updater.lastError().attempt() == 3);
        assertTrue(updater.lastError().message().contains("SHA-256 mismatch"), updater.lastError().message());
        assertEquals("base", holder.current().version());
        assertEquals(List.of(), scan(marker("v1")));
    }

    @Test
    void storageOutageIsRetriedUntilTheBundleLoads() {
        updater(store);
        BundleRef v1 = publish("v1");
        store.failNext(2);
        updater.announced(v1);
        awaitVersion("v1");
        assertEquals(2.0, registry.get("portcullis.signatures.load.failures").counter().count());
        assertNull(updater.lastError());
    }

    @Test
    void newerAnnouncementWhileLoadingSupersedesAndTheOlderSetIsNeverUsed() throws Exception {
        CountDownLatch entered = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        BodyStore blocking = new BodyStore() {
            @Override
            public InputStream open(String bucket, String key) throws IOException {
                if (key.equals(Bundles.key("v1"))) {
                    entered.countDown();
                    try {
                        release.await(30, TimeUnit.SECONDS);
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                    }
                }
                return store.open(bucket, key);
            }

            @Override
            public boolean reachable() {
                return true;
            }
        };
        updater(blocking);
        BundleRef v1 = publish("v1");
        BundleRef v2 = publish("v2");
        updater.announced(v1);
        assertTrue(entered.await(10, TimeUnit.SECONDS));
        assertEquals("v1", updater.loading());
        updater.announced(v2);
        release.countDown();
        awaitVersion("v2");
        assertEquals(1, holder.swaps(), "v1 was built for nothing but never swapped in");
    }

    @Test
    void activeBundleAnswerIsIgnoredWhenAnAnnouncementArrivedDuringTheLookup() {
        BundleRef v1 = publish("v1");
        BundleRef v2 = publish("v2");
        AtomicReference<SignatureUpdater> self = new AtomicReference<>();
        active.set(() -> {
            self.get().announced(v2); // arrives while the lookup is in flight
            return Optional.of(v1);
        });
        SignatureUpdater u = new SignatureUpdater(holder, factory, new SignatureBundleReader(store, 1 << 20),
                () -> active.get().get(), new SignatureUpdater.Settings(true, BUCKET, Duration.ofHours(1),
                        Duration.ofMillis(20), Duration.ofMillis(100), 3), registry);
        updater = u;
        self.set(u);
        u.start();
        awaitVersion("v2");
        assertEquals(1, holder.swaps());
        assertEquals(1, store.opens(), "v1 was never downloaded");
    }

    @Test
    void announcementNamingAnotherBucketIsRefused() {
        updater(store);
        byte[] tar = bundle("v1");
        store.put("portcullis-spool", Bundles.key("v1"), tar);
        updater.announced(new BundleRef("v1", "portcullis-spool", Bundles.key("v1"), Bundles.sha256(tar),
                tar.length, "publish"));
        assertTrue(updater.lastError().message().contains("bucket portcullis-spool is not portcullis-signatures"));
        assertEquals(0, store.opens());
    }

    @Test
    void consumerSkipsInvalidRecordsAndLoadsValidOnes() {
        updater(store);
        SignatureBundleActivatedConsumer consumer = new SignatureBundleActivatedConsumer(updater);
        consumer.onActivated(ascii("{not json"));
        consumer.onActivated(null);
        consumer.onActivated(ascii("{\"version\":\"../x\",\"bucket\":\"portcullis-signatures\",\"objectKey\":\"k\","
                + "\"sha256\":\"" + "0".repeat(64) + "\",\"size\":1}"));
        byte[] tar = bundle("v1");
        store.put(BUCKET, Bundles.key("v1"), tar);
        consumer.onActivated(EventJson.write(Bundles.event("v1", tar, "publish")));
        awaitVersion("v1");
        assertEquals(1, store.opens());
    }

    @Test
    void backoffDoublesUpToTheMaximum() {
        updater(store);
        assertEquals(List.of(Duration.ofMillis(20), Duration.ofMillis(40), Duration.ofMillis(80),
                Duration.ofMillis(100), Duration.ofMillis(100)),
                List.of(updater.backoff(1), updater.backoff(2), updater.backoff(3), updater.backoff(4),
                        updater.backoff(30)));
    }
}
