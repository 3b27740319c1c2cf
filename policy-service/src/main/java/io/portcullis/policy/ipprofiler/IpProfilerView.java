package io.portcullis.policy.ipprofiler;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.portcullis.contracts.events.EventJson;
import io.portcullis.contracts.events.IpBlock;
import io.portcullis.contracts.events.IpProfilerCommand;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.time.Clock;
import java.time.Instant;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import org.jboss.logging.Logger;

/**
 * This instance's in-memory copy of the two compacted topics, for the REST reads: the block list
 * ({@code portcullis.ipprofiler.blocks.v1}) and the latest command per key of the control topic (the allow list).
 * Filled by {@link IpProfilerTopicFollower}; the topics stay the source of truth. Also the
 * {@code portcullis.ipprofiler.blocks.active} gauge (blocks in force across all partitions).
 */
@ApplicationScoped
public class IpProfilerView {
    private static final Logger LOG = Logger.getLogger(IpProfilerView.class);

    private final Map<String, IpBlock> blocks = new ConcurrentHashMap<>();
    private final Map<String, IpProfilerCommand> commands = new ConcurrentHashMap<>();
    private final Clock clock;
    private volatile boolean caughtUp;

    @Inject
    public IpProfilerView(MeterRegistry registry) {
        this(registry, Clock.systemUTC());
    }

    IpProfilerView(MeterRegistry registry, Clock clock) {
        this.clock = clock;
        Gauge.builder("portcullis.ipprofiler.blocks.active", this, view -> view.activeBlocks().size())
                .description("client IPs blocked now (all partitions)").register(registry);
    }

    /** Applies one record of the block topic (null value: tombstone). Unparseable values are skipped. */
    public void applyBlock(String key, byte[] value) {
        if (key == null) {
            return;
        }
        if (value == null) {
            blocks.remove(key);
            return;
        }
        try {
            blocks.put(key, EventJson.read(value, IpBlock.class));
        } catch (IllegalArgumentException e) {
            LOG.warnf("skipping an unparseable IpBlock record for key %s", key);
        }
    }

    /** Applies one record of the control topic (null value: the key is forgotten). */
    public void applyCommand(String key, byte[] value) {
        if (key == null) {
            return;
        }
        if (value == null) {
            commands.remove(key);
            return;
        }
        try {
            IpProfilerCommand command = EventJson.read(value, IpProfilerCommand.class);
            if (command.type() != null) {
                commands.put(key, command);
            }
        } catch (IllegalArgumentException e) {
            LOG.warnf("skipping an unparseable IpProfilerCommand record for key %s", key);
        }
    }

    /** Blocks in force now ({@code until} in the future), by IP. Expired ones count as absent before their tombstone. */
    public List<IpBlock> activeBlocks() {
        Instant now = clock.instant();
        return blocks.values().stream().filter(b -> b.until() != null && b.until().isAfter(now))
                .sorted(Comparator.comparing(IpBlock::ip)).toList();
    }

    /** The allow list: every key whose latest command is ALLOW, by key. */
    public List<IpProfilerCommand> allowList() {
        return commands.entrySet().stream().filter(e -> e.getValue().type() == IpProfilerCommand.Type.ALLOW)
                .sorted(Map.Entry.comparingByKey()).map(Map.Entry::getValue).toList();
    }

    /** The allow-list entry with exactly this canonical key. */
    public Optional<IpProfilerCommand> allowEntry(String key) {
        IpProfilerCommand command = commands.get(key);
        return command != null && command.type() == IpProfilerCommand.Type.ALLOW ? Optional.of(command)
                : Optional.empty();
    }

    /** Whether the follower has read both topics up to their end at least once. */
    public boolean caughtUp() {
        return caughtUp;
    }

    void caughtUp(boolean value) {
        caughtUp = value;
    }

    /** Forgets everything (tests). */
    public void clear() {
        blocks.clear();
        commands.clear();
    }
}
