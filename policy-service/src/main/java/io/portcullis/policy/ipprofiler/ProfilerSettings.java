package io.portcullis.policy.ipprofiler;

import io.portcullis.contracts.events.IpBlock;
import io.portcullis.contracts.events.IpBlock.Kind;
import io.portcullis.policy.config.PolicyConfig;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;

/**
 * The IP Profiler's checked configuration: limits per kind, exempt ranges, check interval and de-duplication
 * retention. Built once at start-up; a bad value fails the start naming its key.
 */
public record ProfilerSettings(Map<Kind, KindLimit> limits, List<IpRange> exempt, Duration checkInterval,
        Duration dedupeRetention) {
    static final String KEY = "portcullis.policy.ip-profiler.";

    public ProfilerSettings {
        limits = Map.copyOf(limits);
        exempt = List.copyOf(exempt);
        for (Kind kind : Kind.values()) {
            if (!limits.containsKey(kind)) {
                throw new IllegalArgumentException(KEY + kind.name().toLowerCase() + ": no limit configured");
            }
        }
        if (checkInterval == null || checkInterval.compareTo(Duration.ofMillis(100)) < 0) {
            throw new IllegalArgumentException(KEY + "check-interval must be at least 100ms");
        }
        if (dedupeRetention == null || dedupeRetention.compareTo(longestWindow(limits)) < 0) {
            throw new IllegalArgumentException(KEY + "dedupe-retention must be at least the longest window ("
                    + longestWindow(limits) + ")");
        }
    }

    /** The configured settings. @throws IllegalArgumentException naming the key at fault */
    public static ProfilerSettings from(PolicyConfig.IpProfiler config) {
        Map<Kind, KindLimit> limits = new EnumMap<>(Kind.class);
        limits.put(Kind.SPAM, limit("spam", config.spam()));
        limits.put(Kind.VIRUS, limit("virus", config.virus()));
        limits.put(Kind.HARVEST, limit("harvest", config.harvest()));
        limits.put(Kind.BOUNCE, limit("bounce", config.bounce()));
        List<IpRange> exempt = new ArrayList<>();
        for (String entry : config.exempt().orElse(List.of())) {
            if (entry.isBlank()) {
                continue;
            }
            try {
                exempt.add(IpRange.parse(entry.strip()));
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException(KEY + "exempt: '" + entry.strip() + "': " + e.getMessage(), e);
            }
        }
        if (config.replicationFactor() < 1) {
            throw new IllegalArgumentException(KEY + "replication-factor must be at least 1");
        }
        return new ProfilerSettings(limits, exempt, config.checkInterval(), config.dedupeRetention());
    }

    /** The documented defaults (spam 20/1h → 1h, virus 5/1h → 4h, harvest 30/10min → 1h REJECT, bounce 50/1h → 1h). */
    public static ProfilerSettings defaults() {
        Map<Kind, KindLimit> limits = new EnumMap<>(Kind.class);
        limits.put(Kind.SPAM, new KindLimit(20, Duration.ofHours(1), Duration.ofHours(1), IpBlock.Response.TEMPFAIL));
        limits.put(Kind.VIRUS, new KindLimit(5, Duration.ofHours(1), Duration.ofHours(4), IpBlock.Response.TEMPFAIL));
        limits.put(Kind.HARVEST,
                new KindLimit(30, Duration.ofMinutes(10), Duration.ofHours(1), IpBlock.Response.REJECT));
        limits.put(Kind.BOUNCE, new KindLimit(50, Duration.ofHours(1), Duration.ofHours(1), IpBlock.Response.TEMPFAIL));
        return new ProfilerSettings(limits, List.of(IpRange.parse("127.0.0.0/8"), IpRange.parse("::1")),
                Duration.ofSeconds(5), Duration.ofHours(24));
    }

    public KindLimit limit(Kind kind) {
        return limits.get(kind);
    }

    /** The longest window of any kind. */
    public Duration longestWindow() {
        return longestWindow(limits);
    }

    /** The longest block duration of any kind. */
    public Duration longestBlock() {
        return limits.values().stream().map(KindLimit::block).max(Duration::compareTo).orElseThrow();
    }

    private static Duration longestWindow(Map<Kind, KindLimit> limits) {
        return limits.values().stream().map(KindLimit::window).max(Duration::compareTo).orElse(Duration.ZERO);
    }

    private static KindLimit limit(String name, PolicyConfig.IpProfiler.Limit limit) {
        try {
            return new KindLimit(limit.threshold(), limit.window(), limit.block(), limit.response());
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(KEY + name + ": " + e.getMessage(), e);
        }
    }
}
