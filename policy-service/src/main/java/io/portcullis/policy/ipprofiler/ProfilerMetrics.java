package io.portcullis.policy.ipprofiler;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.portcullis.contracts.events.IpBlock.Kind;
import jakarta.inject.Inject;
import jakarta.inject.Singleton;
import java.util.EnumMap;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The IP Profiler's counters: {@code portcullis.ipprofiler.events.counted{kind}},
 * {@code portcullis.ipprofiler.duplicates.dropped}, {@code portcullis.ipprofiler.events.skipped{reason}} and
 * {@code portcullis.ipprofiler.blocks.issued{kind}}. The gauge of active blocks is registered by the block-list
 * view, which sees every partition.
 */
@Singleton
public class ProfilerMetrics {
    /** Reasons an event is not counted. */
    public static final String MISSING_IP = "missing-client-ip";
    public static final String INVALID_IP = "invalid-client-ip";
    public static final String MALFORMED = "malformed-record";
    public static final String EXEMPT = "exempt";
    public static final String ALLOW_LISTED = "allow-listed";

    private final MeterRegistry registry;
    private final Map<Kind, Counter> counted = new EnumMap<>(Kind.class);
    private final Map<Kind, Counter> blocks = new EnumMap<>(Kind.class);
    private final Map<String, Counter> skipped = new ConcurrentHashMap<>();
    private final Counter duplicates;

    @Inject
    public ProfilerMetrics(MeterRegistry registry) {
        this.registry = registry;
        for (Kind kind : Kind.values()) {
            counted.put(kind, Counter.builder("portcullis.ipprofiler.events.counted").tag("kind", kind.name())
                    .description("events counted per kind (after de-duplication)").register(registry));
            blocks.put(kind, Counter.builder("portcullis.ipprofiler.blocks.issued").tag("kind", kind.name())
                    .description("blocks issued per kind").register(registry));
        }
        duplicates = Counter.builder("portcullis.ipprofiler.duplicates.dropped")
                .description("re-emitted verdicts and events not counted again").register(registry);
    }

    public void counted(Kind kind) {
        counted.get(kind).increment();
    }

    public void blocked(Kind kind) {
        blocks.get(kind).increment();
    }

    public void duplicate() {
        duplicates.increment();
    }

    public void skipped(String reason) {
        skipped.computeIfAbsent(reason, r -> Counter.builder("portcullis.ipprofiler.events.skipped").tag("reason", r)
                .description("records not counted, by reason").register(registry)).increment();
    }

    public double countedTotal(Kind kind) {
        return counted.get(kind).count();
    }

    public double duplicatesTotal() {
        return duplicates.count();
    }

    public double skippedTotal(String reason) {
        Counter counter = skipped.get(reason);
        return counter == null ? 0 : counter.count();
    }
}
