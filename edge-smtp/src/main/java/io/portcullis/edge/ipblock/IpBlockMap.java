package io.portcullis.edge.ipblock;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.portcullis.contracts.events.EventJson;
import io.portcullis.contracts.events.IpBlock;
import io.quarkus.runtime.Startup;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.time.Clock;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The block list in memory: the latest {@link IpBlock} per IP of the compacted topic, keyed by the canonical IP
 * ({@link IpAddresses}). Lookups never block; {@link IpBlockConsumer} is the only writer in production.
 *
 * <p>Applying records: a tombstone (null value) lifts the block; a block whose {@code until} is already past also
 * removes the entry (it is over); a record that is not an IP-keyed {@link IpBlock} with {@code until} and
 * {@code response} (or whose {@code ip} field names another address than its key) is {@link Outcome#MALFORMED} and
 * changes nothing, so the entry of the last good record stays.
 */
@Startup
@ApplicationScoped
public class IpBlockMap implements IpBlockList {

    /** What one record did. */
    public enum Outcome {
        /** a block was added or replaced */
        BLOCKED,
        /** a tombstone removed the key (whether or not it was held) */
        LIFTED,
        /** the block had already ended: the key was removed */
        EXPIRED,
        /** not a valid record: skipped */
        MALFORMED
    }

    private final Map<String, IpBlock> blocks = new ConcurrentHashMap<>();
    private final Clock clock;

    @Inject
    public IpBlockMap(MeterRegistry registry) {
        this(Clock.systemUTC());
        // strong: Micrometer holds a gauge's object weakly, and a collected one silently drops out of /q/metrics
        Gauge.builder("portcullis.ipblock.blocks", this, IpBlockMap::activeCount).strongReference(true)
                .description("IP blocks in force held by this edge node").register(registry);
    }

    public IpBlockMap(Clock clock) {
        this.clock = clock;
    }

    /**
     * Applies one record of the block topic.
     *
     * @param key   the record key (the IP)
     * @param value the record value, null for a tombstone
     */
    public Outcome apply(String key, byte[] value) {
        Optional<String> ip = IpAddresses.canonical(key);
        if (ip.isEmpty()) {
            return Outcome.MALFORMED;
        }
        if (value == null) {
            blocks.remove(ip.get());
            return Outcome.LIFTED;
        }
        IpBlock block;
        try {
            block = EventJson.read(value, IpBlock.class);
        } catch (IllegalArgumentException e) {
            return Outcome.MALFORMED;
        }
        if (block == null || block.until() == null || block.response() == null
                || (block.ip() != null && !ip.equals(IpAddresses.canonical(block.ip())))) {
            return Outcome.MALFORMED;
        }
        if (!clock.instant().isBefore(block.until())) {
            blocks.remove(ip.get());
            return Outcome.EXPIRED;
        }
        blocks.put(ip.get(), block);
        return Outcome.BLOCKED;
    }

    @Override
    public Optional<IpBlock> activeBlock(String clientIp) {
        Optional<String> ip = IpAddresses.canonical(clientIp);
        if (ip.isEmpty()) {
            return Optional.empty();
        }
        IpBlock block = blocks.get(ip.get());
        if (block == null) {
            return Optional.empty();
        }
        if (!clock.instant().isBefore(block.until())) {
            blocks.remove(ip.get(), block);
            return Optional.empty();
        }
        return Optional.of(block);
    }

    /** Drops every entry whose block has ended; returns how many. */
    public int purgeExpired() {
        Instant now = clock.instant();
        int[] removed = {0};
        blocks.entrySet().removeIf(e -> {
            boolean over = !now.isBefore(e.getValue().until());
            removed[0] += over ? 1 : 0;
            return over;
        });
        return removed[0];
    }

    /** Blocks in force now. */
    public int activeCount() {
        Instant now = clock.instant();
        return (int) blocks.values().stream().filter(b -> now.isBefore(b.until())).count();
    }

    /** Entries held, ended ones not purged yet included. */
    public int size() {
        return blocks.size();
    }

    /** Forgets everything (tests). */
    public void clear() {
        blocks.clear();
    }
}
