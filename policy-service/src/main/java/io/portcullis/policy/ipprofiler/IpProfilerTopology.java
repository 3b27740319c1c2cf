package io.portcullis.policy.ipprofiler;

import io.portcullis.contracts.events.IpBlock;
import io.portcullis.contracts.events.IpBlock.Kind;
import io.portcullis.contracts.events.IpProfilerCommand;
import io.portcullis.contracts.events.RecipientRejected;
import io.portcullis.contracts.events.Topics;
import io.portcullis.contracts.events.VerdictIssued;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Properties;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.StreamsBuilder;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.Topology;
import org.apache.kafka.streams.kstream.Consumed;
import org.apache.kafka.streams.kstream.KStream;
import org.apache.kafka.streams.kstream.Materialized;
import org.apache.kafka.streams.kstream.Named;
import org.apache.kafka.streams.kstream.Produced;
import org.apache.kafka.streams.kstream.Repartitioned;
import org.apache.kafka.streams.state.Stores;

/**
 * The IP Profiler as a Kafka Streams topology:
 * <ol>
 * <li>verdicts ({@link Topics#MAIL_VERDICT}, keyed by message id) become one {@link ProfileEvent} per message
 * (spam → SPAM, virus → VIRUS, null sender → BOUNCE; several kinds at once are possible), refused recipients
 * ({@link Topics#SMTP_EVENTS}) become HARVEST events; both are re-keyed by the canonical client IP and
 * repartitioned, so every event of one IP reaches the same task;</li>
 * <li>{@link ProfileProcessor} drops duplicates, counts per (IP, kind) over a sliding window, blocks on reaching a
 * threshold and lifts blocks (tombstones) on expiry, allow-listing or UNBLOCK;</li>
 * <li>blocks and tombstones go to the compacted {@link Topics#IP_BLOCKS}, keyed by IP.</li>
 * </ol>
 * The control topic ({@link Topics#IP_PROFILER_CONTROL}) is a global table every task reads (allow-list entries
 * may be CIDR blocks, which no single partition owns).
 */
public final class IpProfilerTopology {
    /** Global store: the latest command per IP/CIDR key. */
    public static final String CONTROL_STORE = "ip-profiler-control";
    /** Window store: event ids seen within the de-duplication retention. */
    public static final String SEEN_STORE = "ip-profiler-seen";
    /** Key-value store {@code <ip>|<KIND>} → timestamps of the events in the window. */
    public static final String COUNT_STORE = "ip-profiler-counts";
    /** Key-value store IP → the block in force (what the blocks topic says for it). */
    public static final String BLOCK_STORE = "ip-profiler-blocks";

    private IpProfilerTopology() {
    }

    public static Topology build(ProfilerSettings settings, ProfilerMetrics metrics) {
        StreamsBuilder builder = new StreamsBuilder();
        JsonSerde<IpProfilerCommand> commands = JsonSerde.lenient(IpProfilerCommand.class);
        builder.globalTable(Topics.IP_PROFILER_CONTROL,
                Consumed.with(Serdes.String(), commands).withName("control-source"),
                Materialized.<String, IpProfilerCommand>as(Stores.inMemoryKeyValueStore(CONTROL_STORE))
                        .withKeySerde(Serdes.String()).withValueSerde(commands));

        builder.addStateStore(Stores.windowStoreBuilder(
                Stores.persistentWindowStore(SEEN_STORE, settings.dedupeRetention(), settings.dedupeRetention(), false),
                Serdes.String(), Serdes.Long()));
        builder.addStateStore(Stores.keyValueStoreBuilder(Stores.persistentKeyValueStore(COUNT_STORE),
                Serdes.String(), new TimestampListSerde()));
        builder.addStateStore(Stores.keyValueStoreBuilder(Stores.persistentKeyValueStore(BLOCK_STORE),
                Serdes.String(), new JsonSerde<>(IpBlock.class)));

        KStream<String, ProfileEvent> verdicts = builder
                .stream(Topics.MAIL_VERDICT,
                        Consumed.with(Serdes.String(), new JsonSerde<>(VerdictIssued.class)).withName("verdicts"))
                .flatMap((key, verdict) -> fromVerdict(verdict, metrics), Named.as("verdict-by-ip"));
        KStream<String, ProfileEvent> refused = builder
                .stream(Topics.SMTP_EVENTS,
                        Consumed.with(Serdes.String(), new JsonSerde<>(RecipientRejected.class)).withName("smtp-events"))
                .flatMap((key, event) -> fromRejected(event, metrics), Named.as("rcpt-by-ip"));
        verdicts.merge(refused, Named.as("events"))
                .repartition(Repartitioned.with(Serdes.String(), new JsonSerde<>(ProfileEvent.class)).withName("by-ip"))
                .process(() -> new ProfileProcessor(settings, metrics), Named.as("profile"), SEEN_STORE, COUNT_STORE,
                        BLOCK_STORE)
                .to(Topics.IP_BLOCKS, Produced.with(Serdes.String(), new JsonSerde<>(IpBlock.class)).withName("blocks"));
        return builder.build();
    }

    /**
     * The Streams configuration: exactly-once (every count taken once even when this application restarts),
     * malformed records logged and skipped.
     */
    public static Properties properties(String applicationId, String bootstrapServers, Path stateDir,
            int replicationFactor, ProfilerMetrics metrics) {
        Properties props = new Properties();
        props.put(StreamsConfig.APPLICATION_ID_CONFIG, applicationId);
        props.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        props.put(StreamsConfig.PROCESSING_GUARANTEE_CONFIG, StreamsConfig.EXACTLY_ONCE_V2);
        props.put(StreamsConfig.STATE_DIR_CONFIG, stateDir.toAbsolutePath().toString());
        props.put(StreamsConfig.REPLICATION_FACTOR_CONFIG, replicationFactor);
        props.put(StreamsConfig.DESERIALIZATION_EXCEPTION_HANDLER_CLASS_CONFIG, SkipBadRecordHandler.class);
        props.put(SkipBadRecordHandler.METRICS_CONFIG, metrics);
        props.put(StreamsConfig.consumerPrefix("auto.offset.reset"), "earliest");
        return props;
    }

    static List<KeyValue<String, ProfileEvent>> fromVerdict(VerdictIssued verdict, ProfilerMetrics metrics) {
        if (verdict == null) {
            return List.of(); // a tombstone on the verdict topic means nothing here
        }
        if (verdict.messageId() == null || verdict.messageId().isBlank()) {
            metrics.skipped(ProfilerMetrics.MALFORMED);
            return List.of();
        }
        List<Kind> kinds = new ArrayList<>(3);
        if (verdict.spam()) {
            kinds.add(Kind.SPAM);
        }
        if (verdict.virus()) {
            kinds.add(Kind.VIRUS);
        }
        if (verdict.envelope() != null && "".equals(verdict.envelope().mailFrom())) {
            kinds.add(Kind.BOUNCE);
        }
        Optional<String> ip = clientIp(verdict.envelope() == null ? null : verdict.envelope().clientIp(), metrics);
        if (ip.isEmpty() || kinds.isEmpty()) {
            return List.of();
        }
        return List.of(KeyValue.pair(ip.get(), new ProfileEvent("verdict:" + verdict.messageId(), kinds)));
    }

    static List<KeyValue<String, ProfileEvent>> fromRejected(RecipientRejected event, ProfilerMetrics metrics) {
        if (event == null) {
            return List.of();
        }
        if (event.eventId() == null || event.eventId().isBlank()) {
            metrics.skipped(ProfilerMetrics.MALFORMED);
            return List.of();
        }
        return clientIp(event.clientIp(), metrics)
                .map(ip -> List.of(KeyValue.pair(ip, new ProfileEvent("rcpt:" + event.eventId(), List.of(Kind.HARVEST)))))
                .orElse(List.of());
    }

    private static Optional<String> clientIp(String text, ProfilerMetrics metrics) {
        if (text == null || text.isBlank()) {
            metrics.skipped(ProfilerMetrics.MISSING_IP);
            return Optional.empty();
        }
        Optional<String> ip = IpAddresses.canonical(text.strip());
        if (ip.isEmpty()) {
            metrics.skipped(ProfilerMetrics.INVALID_IP);
        }
        return ip;
    }
}
