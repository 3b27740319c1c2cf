package io.portcullis.scanner.spam;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.portcullis.contracts.events.SpamModelUpdated;
import io.portcullis.spam.LearnedCounts;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class LearnedModelUpdaterTest {

    /** policy-service as the scanner sees it: counts per tenant built from the same updates. */
    static final class FakePolicy implements LearnedCountsSource {
        final Map<String, LearnedCounts> counts = new ConcurrentHashMap<>();
        final AtomicInteger fetches = new AtomicInteger();
        final AtomicBoolean down = new AtomicBoolean();
        /** Answers this many fetches with nothing learned (a stale copy) before the real counts. */
        final AtomicInteger stale = new AtomicInteger();

        void learned(SpamModelUpdated u) {
            counts.merge(u.tenant(), LearnedCounts.EMPTY.apply(u.sequence(), u.spamMessagesDelta(),
                    u.hamMessagesDelta(), deltas(u)), (old, ignored) -> old.apply(u.sequence(),
                    u.spamMessagesDelta(), u.hamMessagesDelta(), deltas(u)));
        }

        private static List<LearnedCounts.TokenDelta> deltas(SpamModelUpdated u) {
            return u.tokens().stream().map(d -> new LearnedCounts.TokenDelta(d.hash(), d.spam(), d.ham())).toList();
        }

        @Override
        public List<String> tenants() {
            if (down.get()) {
                throw new IllegalStateException("policy-service unreachable");
            }
            return new ArrayList<>(counts.keySet());
        }

        @Override
        public LearnedCounts fetch(String tenant) {
            if (down.get()) {
                throw new IllegalStateException("policy-service unreachable");
            }
            fetches.incrementAndGet();
            if (stale.getAndUpdate(n -> Math.max(0, n - 1)) > 0) {
                return LearnedCounts.EMPTY;
            }
            return counts.getOrDefault(tenant, LearnedCounts.EMPTY);
        }
    }

    private final FakePolicy policy = new FakePolicy();
    private final LearnedModels models = new LearnedModels();
    private final SimpleMeterRegistry registry = new SimpleMeterRegistry();
    private final LearnedModelUpdater updater = new LearnedModelUpdater(models, policy,
            new LearnedModelUpdater.Settings(true, Duration.ofMillis(20), Duration.ofMillis(100)), registry);

    @AfterEach
    void stop() {
        updater.stop();
    }

    @Test
    void startUpFetchesEveryTenantWholeThenFollowsUpdatesInOrder() throws Exception {
        LearnedUpdates a = new LearnedUpdates("a");
        LearnedUpdates b = new LearnedUpdates("b");
        for (int i = 0; i < 3; i++) {
            policy.learned(a.learn("a" + i, LearnedModelsTest.newsletter(i), i == 0));
        }
        policy.learned(b.learn("b0", LearnedModelsTest.newsletter(7), true));
        updater.fetchAll();
        assertTrue(updater.awaitStartup(Duration.ofSeconds(10)));
        await().atMost(Duration.ofSeconds(5)).until(() -> models.sequence("a") == 3 && models.sequence("b") == 1);
        assertEquals(policy.counts.get("a"), models.forTenant("a").counts());

        SpamModelUpdated next = a.learn("a3", LearnedModelsTest.newsletter(3), false);
        policy.learned(next);
        assertEquals(LearnedModels.Applied.APPLIED, updater.updated(next));
        assertEquals(LearnedModels.Applied.DUPLICATE, updater.updated(next));
        assertEquals(policy.counts.get("a"), models.forTenant("a").counts());
        assertEquals(4.0, registry.get("portcullis.spam.learned.sequence").tag("tenant", "a").gauge().value());
    }

    @Test
    void aGapFetchesTheTenantWholeAndEndsEqualToPolicyService() {
        LearnedUpdates a = new LearnedUpdates("a");
        SpamModelUpdated u1 = a.learn("a1", LearnedModelsTest.newsletter(1), true);
        SpamModelUpdated u2 = a.learn("a2", LearnedModelsTest.newsletter(2), false); // lost on the way
        SpamModelUpdated u3 = a.reverse("a1", LearnedModelsTest.newsletter(1), true);
        policy.learned(u1);
        policy.learned(u2);
        policy.learned(u3);
        assertEquals(LearnedModels.Applied.APPLIED, updater.updated(u1));
        int before = policy.fetches.get();
        assertEquals(LearnedModels.Applied.GAP, updater.updated(u3));
        await().atMost(Duration.ofSeconds(5)).until(() -> models.sequence("a") == 3);
        assertEquals(before + 1, policy.fetches.get());
        assertEquals(policy.counts.get("a"), models.forTenant("a").counts());
        assertEquals(LearnedModels.Applied.DUPLICATE, updater.updated(u2), "arrives late: already included");
        assertEquals(1.0, registry.get("portcullis.spam.learned.updates").tag("result", "gap").counter().count());
    }

    @Test
    void aFetchedSnapshotOlderThanAnAnnouncedUpdateIsFetchedAgain() {
        LearnedUpdates a = new LearnedUpdates("a");
        SpamModelUpdated u1 = a.learn("a1", LearnedModelsTest.newsletter(1), true);
        SpamModelUpdated u2 = a.learn("a2", LearnedModelsTest.newsletter(2), false);
        policy.learned(u1);
        policy.learned(u2);
        policy.stale.set(2);
        assertEquals(LearnedModels.Applied.GAP, updater.updated(u2));
        await().atMost(Duration.ofSeconds(5)).until(() -> models.sequence("a") == 2);
        assertTrue(policy.fetches.get() >= 3, "two stale answers, then the current one");
        assertEquals(policy.counts.get("a"), models.forTenant("a").counts());
    }

    @Test
    void aFailedFetchIsRetriedWithBackoffAndRecordedMeanwhile() {
        LearnedUpdates a = new LearnedUpdates("a");
        policy.learned(a.learn("a1", LearnedModelsTest.newsletter(1), true));
        policy.down.set(true);
        updater.fetchAll();
        await().atMost(Duration.ofSeconds(5)).until(updater::startupResolved);
        await().atMost(Duration.ofSeconds(5)).until(() -> updater.lastError() != null);
        assertNotNull(updater.lastError().message());
        assertEquals(0, models.sequence("a"), "scanning goes on with nothing learned");
        policy.down.set(false);
        await().atMost(Duration.ofSeconds(5)).until(() -> models.sequence("a") == 1);
        assertNull(updater.lastError());
        assertTrue(registry.get("portcullis.spam.learned.fetches").tag("outcome", "failed").counter().count() >= 1);
    }

    @Test
    void backoffDoublesUpToTheMaximum() {
        assertEquals(Duration.ofMillis(20), updater.backoff(1));
        assertEquals(Duration.ofMillis(40), updater.backoff(2));
        assertEquals(Duration.ofMillis(100), updater.backoff(10));
    }
}
