package io.portcullis.scanner.release;

import io.portcullis.scanner.config.ScannerConfig;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

/**
 * Remembers which releases were rescanned (by {@link ReleaseIds#verdictId}), so that a duplicated RELEASED record
 * yields one verdict and so one delivery. An entry is in flight from {@link #claim} until {@link #succeeded} (the
 * verdict is acknowledged by Kafka; then remembered for {@code dedupe-ttl}, at most {@code dedupe-max-entries}, oldest
 * first out) or {@link #failed} (forgotten: a redelivery tries again). A duplicate that arrives while the first is in
 * flight waits for its outcome.
 *
 * <p>Per instance and in memory: RELEASED events are keyed by message id, so the duplicates of a release reach the
 * same scanner while the partition assignment holds; across a restart or rebalance a duplicate may still be
 * rescanned and delivered twice (at least once, as everywhere in the pipeline, ADR 0001).
 */
@ApplicationScoped
public class ReleaseDedupe {

    /** What {@link #claim} found. */
    public sealed interface Claim {
    }

    /** Not seen: the caller rescans and must end the claim with {@link #succeeded} or {@link #failed}. */
    public record Fresh() implements Claim {
    }

    /** Already rescanned and its verdict acknowledged. */
    public record Done() implements Claim {
    }

    /** Being rescanned: completes when that verdict is acknowledged, exceptionally when it failed. */
    public record InFlight(CompletableFuture<Void> outcome) implements Claim {
    }

    private final int maxEntries;
    private final Duration ttl;
    private final Clock clock;
    private final LinkedHashMap<String, Entry> entries = new LinkedHashMap<>();

    private record Entry(CompletableFuture<Void> outcome, Instant doneAt) {
    }

    @Inject
    public ReleaseDedupe(ScannerConfig config) {
        this(config.scanner().release().dedupeMaxEntries(), config.scanner().release().dedupeTtl(),
                Clock.systemUTC());
    }

    public ReleaseDedupe(int maxEntries, Duration ttl, Clock clock) {
        this.maxEntries = maxEntries;
        this.ttl = ttl;
        this.clock = clock;
    }

    public synchronized Claim claim(String verdictId) {
        Entry e = entries.get(verdictId);
        if (e != null && e.doneAt() != null && e.doneAt().plus(ttl).isBefore(clock.instant())) {
            entries.remove(verdictId);
            e = null;
        }
        if (e == null) {
            entries.put(verdictId, new Entry(new CompletableFuture<>(), null));
            evict();
            return new Fresh();
        }
        return e.doneAt() != null ? new Done() : new InFlight(e.outcome().copy());
    }

    public synchronized void succeeded(String verdictId) {
        Entry e = entries.remove(verdictId);
        entries.put(verdictId, new Entry(e == null ? CompletableFuture.completedFuture(null) : e.outcome(),
                clock.instant()));
        if (e != null) {
            e.outcome().complete(null);
        }
        evict();
    }

    public synchronized void failed(String verdictId, Throwable cause) {
        Entry e = entries.remove(verdictId);
        if (e != null) {
            e.outcome().completeExceptionally(cause);
        }
    }

    /** Entries held (for tests and metrics). */
    public synchronized int size() {
        return entries.size();
    }

    /** Drops the oldest finished entries beyond the limit (in-flight ones stay: their duplicates wait on them). */
    private void evict() {
        var it = entries.entrySet().iterator();
        while (entries.size() > maxEntries && it.hasNext()) {
            Map.Entry<String, Entry> oldest = it.next();
            if (oldest.getValue().doneAt() != null) {
                it.remove();
            }
        }
    }
}
