package io.portcullis.policy.ipprofiler;

import io.portcullis.contracts.events.IpBlock;
import io.portcullis.contracts.events.IpBlock.Kind;
import io.portcullis.contracts.events.IpProfilerCommand;
import java.net.InetAddress;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.processor.PunctuationType;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;
import org.apache.kafka.streams.state.ReadOnlyKeyValueStore;
import org.apache.kafka.streams.state.ValueAndTimestamp;
import org.apache.kafka.streams.state.WindowStore;
import org.apache.kafka.streams.state.WindowStoreIterator;
import org.jboss.logging.Logger;

/**
 * Counts the events of one partition of client IPs and decides blocks.
 * <ul>
 * <li>An event id already seen within the de-duplication retention is dropped (a scanner or edge that re-emits
 * after a restart is not counted twice).</li>
 * <li>Per (IP, kind) the store keeps the timestamps (event time) of the events within the sliding window (which
 * ends at the newest event or the wall clock, whichever is later), at most {@code threshold} of them; reaching the threshold blocks the IP for the kind's duration (wall-clock), emits one
 * {@link IpBlock} and starts the count of that kind afresh. While a block is in force, a new block is only emitted
 * when it ends later than the current one.</li>
 * <li>Every check interval (wall-clock) blocks that expired, whose IP is now allow-listed or exempt, or that an
 * UNBLOCK command issued after their start lifts, are removed with a tombstone; an UNBLOCK also forgets the counts
 * taken before it.</li>
 * <li>Exempt and allow-listed IPs are never counted.</li>
 * </ul>
 */
final class ProfileProcessor implements Processor<String, ProfileEvent, String, IpBlock> {
    private static final Logger LOG = Logger.getLogger(ProfileProcessor.class);
    private static final Duration IDLE_SWEEP = Duration.ofMinutes(1);

    private final ProfilerSettings settings;
    private final ProfilerMetrics metrics;
    private final Map<String, Optional<IpRange>> parsedRanges = new HashMap<>();

    private ProcessorContext<String, IpBlock> context;
    private WindowStore<String, Long> seen;
    private KeyValueStore<String, long[]> counts;
    private KeyValueStore<String, IpBlock> blocks;
    private ReadOnlyKeyValueStore<String, Object> control;

    ProfileProcessor(ProfilerSettings settings, ProfilerMetrics metrics) {
        this.settings = settings;
        this.metrics = metrics;
    }

    @Override
    public void init(ProcessorContext<String, IpBlock> context) {
        this.context = context;
        this.seen = context.getStateStore(IpProfilerTopology.SEEN_STORE);
        this.counts = context.getStateStore(IpProfilerTopology.COUNT_STORE);
        this.blocks = context.getStateStore(IpProfilerTopology.BLOCK_STORE);
        this.control = context.getStateStore(IpProfilerTopology.CONTROL_STORE);
        context.schedule(settings.checkInterval(), PunctuationType.WALL_CLOCK_TIME, this::check);
        context.schedule(IDLE_SWEEP, PunctuationType.WALL_CLOCK_TIME, this::forgetIdle);
    }

    @Override
    public void process(Record<String, ProfileEvent> record) {
        String ip = record.key();
        ProfileEvent event = record.value();
        if (ip == null || event == null || event.eventId() == null || event.kinds().isEmpty()) {
            metrics.skipped(ProfilerMetrics.MALFORMED);
            return;
        }
        Optional<InetAddress> address = IpAddresses.parse(ip);
        if (address.isEmpty()) {
            metrics.skipped(ProfilerMetrics.INVALID_IP);
            return;
        }
        if (exempt(address.get())) {
            metrics.skipped(ProfilerMetrics.EXEMPT);
            return;
        }
        if (allowListed(address.get())) {
            metrics.skipped(ProfilerMetrics.ALLOW_LISTED);
            return;
        }
        long at = record.timestamp();
        if (seenBefore(event.eventId(), at)) {
            metrics.duplicate();
            LOG.debugf("IP Profiler: %s already counted", event.eventId());
            return;
        }
        seen.put(event.eventId(), at, at);
        for (Kind kind : event.kinds()) {
            count(ip, kind, at, record);
        }
    }

    private boolean seenBefore(String eventId, long at) {
        long retention = settings.dedupeRetention().toMillis();
        try (WindowStoreIterator<Long> hits = seen.fetch(eventId, Math.max(0, at - retention), at + retention)) {
            return hits.hasNext();
        }
    }

    private void count(String ip, Kind kind, long at, Record<String, ProfileEvent> record) {
        metrics.counted(kind);
        KindLimit limit = settings.limit(kind);
        String key = countKey(ip, kind);
        long[] times = inWindow(insert(counts.get(key), at), limit, context.currentSystemTimeMs());
        if (times.length >= limit.threshold()) {
            counts.delete(key);
            block(ip, kind, times.length, limit, record);
        } else if (times.length == 0) {
            counts.delete(key);
        } else {
            counts.put(key, times);
        }
    }

    private void block(String ip, Kind kind, int count, KindLimit limit, Record<String, ProfileEvent> record) {
        Instant since = Instant.ofEpochMilli(context.currentSystemTimeMs());
        Instant until = since.plus(limit.block());
        IpBlock current = blocks.get(ip);
        if (current != null && current.until() != null && current.until().isAfter(since)
                && !current.until().isBefore(until)) {
            return; // already blocked at least as long: one record per block, not per event
        }
        IpBlock block = new IpBlock(ip, kind, count, limit.window().toSeconds(), since, until, limit.response(),
                reason(kind, count, limit.window()));
        blocks.put(ip, block);
        metrics.blocked(kind);
        LOG.infof("IP Profiler blocks %s until %s: %d %s within %s (%s)", ip, until, count, kind,
                human(limit.window()), limit.response());
        context.forward(record.withKey(ip).withValue(block));
    }

    /** The wall-clock check: expiry, allow list, exemptions and UNBLOCK commands. */
    private void check(long now) {
        Instant nowInstant = Instant.ofEpochMilli(now);
        Map<String, String> lift = new HashMap<>();
        try (KeyValueIterator<String, IpBlock> all = blocks.all()) {
            while (all.hasNext()) {
                KeyValue<String, IpBlock> entry = all.next();
                IpBlock block = entry.value;
                Optional<InetAddress> address = IpAddresses.parse(entry.key);
                if (block == null || block.until() == null || !block.until().isAfter(nowInstant)) {
                    lift.put(entry.key, "expired");
                } else if (address.isEmpty() || exempt(address.get())) {
                    lift.put(entry.key, "exempt");
                } else if (allowListed(address.get())) {
                    lift.put(entry.key, "allow-listed");
                }
            }
        }
        long horizon = now - settings.longestWindow().plus(settings.longestBlock()).toMillis();
        for (IpProfilerCommand command : commands()) {
            if (command.type() != IpProfilerCommand.Type.UNBLOCK || command.at() == null
                    || command.at().toEpochMilli() < horizon) {
                continue; // older than any block or count it could still affect
            }
            Optional<String> ip = IpAddresses.canonical(command.ip());
            if (ip.isEmpty()) {
                continue;
            }
            IpBlock block = blocks.get(ip.get());
            if (block != null && block.since() != null && !block.since().isAfter(command.at())) {
                lift.putIfAbsent(ip.get(), "unblocked by " + command.actor());
            }
            forgetCountsBefore(ip.get(), command.at().toEpochMilli());
        }
        for (Map.Entry<String, String> entry : lift.entrySet()) {
            blocks.delete(entry.getKey());
            LOG.infof("IP Profiler lifts the block of %s (%s)", entry.getKey(), entry.getValue());
            context.forward(new Record<String, IpBlock>(entry.getKey(), null, now));
        }
    }

    private void forgetCountsBefore(String ip, long at) {
        for (Kind kind : Kind.values()) {
            String key = countKey(ip, kind);
            long[] times = counts.get(key);
            if (times == null) {
                continue;
            }
            long[] kept = Arrays.stream(times).filter(t -> t > at).toArray();
            if (kept.length == 0) {
                counts.delete(key);
            } else if (kept.length != times.length) {
                counts.put(key, kept);
            }
        }
    }

    /** Removes counts whose newest event left the window long ago (wall-clock), so idle IPs cost nothing. */
    private void forgetIdle(long now) {
        List<String> idle = new ArrayList<>();
        try (KeyValueIterator<String, long[]> all = counts.all()) {
            while (all.hasNext()) {
                KeyValue<String, long[]> entry = all.next();
                Kind kind = kindOf(entry.key);
                long[] times = entry.value;
                if (kind == null || times == null || times.length == 0
                        || times[times.length - 1] <= now - settings.limit(kind).window().toMillis()) {
                    idle.add(entry.key);
                }
            }
        }
        idle.forEach(counts::delete);
    }

    private boolean exempt(InetAddress address) {
        for (IpRange range : settings.exempt()) {
            if (range.contains(address)) {
                return true;
            }
        }
        return false;
    }

    private boolean allowListed(InetAddress address) {
        for (IpProfilerCommand command : commands()) {
            if (command.type() == IpProfilerCommand.Type.ALLOW) {
                Optional<IpRange> range = parsedRanges.computeIfAbsent(command.ip(), ProfileProcessor::range);
                if (range.isPresent() && range.get().contains(address)) {
                    return true;
                }
            }
        }
        return false;
    }

    /** The latest command of every key (unparseable ones are skipped when the global table is filled). */
    private List<IpProfilerCommand> commands() {
        List<IpProfilerCommand> commands = new ArrayList<>();
        try (KeyValueIterator<String, Object> all = control.all()) {
            while (all.hasNext()) {
                Object value = all.next().value;
                if (value instanceof ValueAndTimestamp<?> timestamped) {
                    value = timestamped.value();
                }
                if (value instanceof IpProfilerCommand command && command.ip() != null && command.type() != null) {
                    commands.add(command);
                }
            }
        }
        return commands;
    }

    private static Optional<IpRange> range(String text) {
        try {
            return Optional.of(IpRange.parse(text));
        } catch (IllegalArgumentException e) {
            return Optional.empty();
        }
    }

    /** Inserts in time order (events may arrive out of order across partitions). */
    private static long[] insert(long[] times, long at) {
        if (times == null) {
            return new long[] {at};
        }
        long[] result = Arrays.copyOf(times, times.length + 1);
        int i = times.length;
        while (i > 0 && result[i - 1] > at) {
            result[i] = result[i - 1];
            i--;
        }
        result[i] = at;
        return result;
    }

    /**
     * The timestamps within {@code (end - window, end]}, at most the threshold's number of newest ones; {@code end}
     * is the newest event or the wall clock, whichever is later, so replayed history (a first start reading the
     * topics from the beginning) never blocks anyone now.
     */
    private static long[] inWindow(long[] times, KindLimit limit, long now) {
        long end = Math.max(times[times.length - 1], now);
        long from = end - limit.window().toMillis();
        int start = 0;
        while (start < times.length && times[start] <= from) {
            start++;
        }
        start = Math.max(start, times.length - limit.threshold());
        return Arrays.copyOfRange(times, start, times.length);
    }

    static String countKey(String ip, Kind kind) {
        return ip + "|" + kind.name();
    }

    private static Kind kindOf(String key) {
        int bar = key.lastIndexOf('|');
        try {
            return bar < 0 ? null : Kind.valueOf(key.substring(bar + 1));
        } catch (IllegalArgumentException e) {
            return null;
        }
    }

    static String reason(Kind kind, int count, Duration window) {
        String what = switch (kind) {
            case SPAM -> "spam messages";
            case VIRUS -> "virus-infected messages";
            case HARVEST -> "unknown recipients";
            case BOUNCE -> "bounces";
        };
        return "too many " + what + " from your IP address (" + count + " within " + human(window) + ")";
    }

    static String human(Duration d) {
        long s = d.toSeconds();
        if (s % 3600 == 0) {
            return s / 3600 + "h";
        }
        if (s % 60 == 0) {
            return s / 60 + "min";
        }
        return s + "s";
    }
}
