package io.portcullis.scanner.policy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.portcullis.contracts.events.Action;
import io.portcullis.contracts.policy.PolicyRule;
import io.portcullis.contracts.policy.PolicySnapshot;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;

class PolicyCacheTest {

    private static PolicySnapshot version(long v) {
        return new PolicySnapshot("default", v, List.of("example.com"), 7.0, List.of("exe"),
                List.of(new PolicyRule("r", "r", 1, "VIRUS", Action.DELETE, null, List.of())));
    }

    private static PolicyCache cache(Supplier<PolicySnapshot> fetcher) {
        return new PolicyCache(fetcher, Duration.ofSeconds(30), Duration.ofSeconds(5));
    }

    @Test
    void startsOnTheSeededDefaultPolicy() {
        PolicyCache cache = cache(() -> {
            throw new IllegalStateException("down");
        });
        PolicySnapshot s = cache.current();
        assertSame(DefaultPolicy.SNAPSHOT, s);
        assertEquals(0, s.version());
        assertEquals(5.0, s.spamThreshold());
        assertEquals(List.of("example.com", "example.org"), s.acceptedDomains());
        assertEquals(List.of("exe", "scr", "pif", "com", "bat", "cmd", "vbs", "vbe", "js", "jse", "wsf", "hta", "jar",
                "lnk", "ps1", "msi", "cpl"), s.blockedExtensions());
        assertEquals(List.of("MASS_MAILER", "VIRUS", "GRAYWARE", "BLOCKED_ATTACHMENT", "ACTIVE_CONTENT", "SCAN_FAILURE",
                "SYMBOL:BLOCKED_SENDER", "SYMBOL:DMARC_REJECT", "SYMBOL:SAFE_SENDER", "SPAM"),
                s.rules().stream().map(PolicyRule::match).toList());
        assertEquals(List.of(Action.DELETE, Action.QUARANTINE, Action.QUARANTINE, Action.QUARANTINE,
                Action.QUARANTINE, Action.QUARANTINE, Action.QUARANTINE, Action.QUARANTINE, Action.DELIVER, Action.TAG),
                s.rules().stream().map(PolicyRule::action).toList());
        assertFalse(cache.state().fromService());
        assertNull(cache.state().fetchedAt());
    }

    @Test
    void unreachablePolicyServiceKeepsTheDefault() {
        PolicyCache cache = cache(() -> {
            throw new jakarta.ws.rs.ProcessingException("connection refused");
        });
        assertFalse(cache.refresh());
        assertSame(DefaultPolicy.SNAPSHOT, cache.current());
    }

    @Test
    void successfulFetchReplacesTheDefault() {
        PolicyCache cache = cache(() -> version(3));
        assertTrue(cache.refresh());
        assertEquals(3, cache.current().version());
        assertTrue(cache.state().fromService());
        assertNotNull(cache.state().fetchedAt());
    }

    @Test
    void failedRefreshKeepsTheLastFetchedSnapshot() {
        AtomicReference<PolicySnapshot> next = new AtomicReference<>(version(4));
        PolicyCache cache = cache(() -> {
            PolicySnapshot s = next.get();
            if (s == null) {
                throw new IllegalStateException("down again");
            }
            return s;
        });
        assertTrue(cache.refresh());
        next.set(null);
        assertFalse(cache.refresh());
        assertEquals(4, cache.current().version());
        assertTrue(cache.state().fromService());
    }

    @Test
    void refreshSoonBeforeStartFetchesSynchronously() {
        AtomicReference<PolicySnapshot> next = new AtomicReference<>(version(1));
        PolicyCache cache = cache(next::get);
        cache.refreshSoon();
        assertEquals(1, cache.current().version());
        next.set(version(2));
        cache.refreshSoon();
        assertEquals(2, cache.current().version());
    }

    @Test
    void nullSnapshotIsAFailedFetch() {
        PolicyCache cache = cache(() -> null);
        assertFalse(cache.refresh());
        assertSame(DefaultPolicy.SNAPSHOT, cache.current());
    }
}
