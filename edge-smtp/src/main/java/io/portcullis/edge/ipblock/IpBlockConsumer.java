package io.portcullis.edge.ipblock;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.portcullis.contracts.events.Topics;
import io.portcullis.edge.config.EdgeConfig;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import java.time.Duration;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import java.util.stream.Collectors;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.InterruptException;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;

/**
 * Reads the whole compacted block topic {@link Topics#IP_BLOCKS} into {@link IpBlockMap} and follows it.
 *
 * <p>A plain {@link KafkaConsumer} without a consumer group (every edge node needs every record, and nothing is
 * committed): it assigns itself all partitions of the topic, seeks each newly found partition to its beginning and
 * polls on its own thread. Partitions are looked up again every {@code rediscover-interval}, so a topic created (by
 * the IP Profiler) or grown after start-up is picked up; a missing topic is an empty block list (the consumer never
 * creates it: {@code allow.auto.create.topics=false}). A malformed record is logged, counted and skipped; any other
 * error is logged (at most once a minute), counted, and the loop goes on after a pause.
 *
 * <p>{@link #caughtUp()} (readiness {@code ip-blocklist}) turns true once every partition's position reached the end
 * offset read at the first successful lookup, or at once when the topic did not exist then.
 */
@ApplicationScoped
public class IpBlockConsumer {

    private static final Logger LOG = Logger.getLogger(IpBlockConsumer.class);
    private static final Duration KAFKA_TIMEOUT = Duration.ofSeconds(10);
    private static final long ERROR_LOG_EVERY_NANOS = TimeUnit.MINUTES.toNanos(1);

    private final IpBlockMap map;
    private final Supplier<Consumer<String, byte[]>> consumerFactory;
    private final boolean enabled;
    private final Duration pollInterval;
    private final Duration rediscoverInterval;
    private final Map<IpBlockMap.Outcome, Counter> records = new EnumMap<>(IpBlockMap.Outcome.class);
    private final Counter errors;
    private final CountDownLatch stopping = new CountDownLatch(1);

    private final Set<TopicPartition> assigned = new HashSet<>();
    private volatile Consumer<String, byte[]> consumer;
    private Map<TopicPartition, Long> startEndOffsets;
    private long nextDiscovery;
    private boolean missingTopicLogged;
    private long lastErrorLog;
    private volatile Thread thread;
    private volatile boolean caughtUp;
    private volatile String problem = "not started";

    @Inject
    public IpBlockConsumer(IpBlockMap map, EdgeConfig config,
            @ConfigProperty(name = "kafka.bootstrap.servers") String bootstrapServers, MeterRegistry registry) {
        this(map, () -> new KafkaConsumer<>(properties(bootstrapServers, config.spool().node())),
                config.ipBlocklist().enabled(), config.ipBlocklist().pollInterval(),
                config.ipBlocklist().rediscoverInterval(), registry);
    }

    /**
     * @param consumerFactory    creates the consumer once, on the consumer's thread
     * @param pollInterval       longest wait of one poll (and the pause after an error)
     * @param rediscoverInterval how often the topic's partitions are looked up again
     */
    public IpBlockConsumer(IpBlockMap map, Supplier<Consumer<String, byte[]>> consumerFactory, boolean enabled,
            Duration pollInterval, Duration rediscoverInterval, MeterRegistry registry) {
        if (pollInterval.compareTo(Duration.ofMillis(10)) < 0 || pollInterval.compareTo(Duration.ofMinutes(1)) > 0) {
            throw new IllegalArgumentException(
                    "portcullis.ip-blocklist.poll-interval must be within 10ms..1m: " + pollInterval);
        }
        if (rediscoverInterval.compareTo(pollInterval) < 0) {
            throw new IllegalArgumentException("portcullis.ip-blocklist.rediscover-interval must be at least the "
                    + "poll interval: " + rediscoverInterval);
        }
        this.map = map;
        this.consumerFactory = consumerFactory;
        this.enabled = enabled;
        this.pollInterval = pollInterval;
        this.rediscoverInterval = rediscoverInterval;
        for (IpBlockMap.Outcome outcome : IpBlockMap.Outcome.values()) {
            records.put(outcome, Counter.builder("portcullis.ipblock.records")
                    .description("Records of the IP block topic applied, by outcome")
                    .tag("outcome", outcome.name().toLowerCase(Locale.ROOT)).register(registry));
        }
        this.errors = Counter.builder("portcullis.ipblock.consumer.errors")
                .description("Failed polls or partition lookups of the IP block topic").register(registry);
        if (!enabled) {
            problem = null;
        }
    }

    /** The consumer properties: no group, nothing committed, read committed, never creates the topic. */
    public static Map<String, Object> properties(String bootstrapServers, String node) {
        Map<String, Object> props = new HashMap<>();
        props.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        props.put(ConsumerConfig.CLIENT_ID_CONFIG, "edge-ipblocks-" + node);
        props.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        props.put(ConsumerConfig.ALLOW_AUTO_CREATE_TOPICS_CONFIG, false);
        props.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        props.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        props.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName());
        props.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class.getName());
        return props;
    }

    void onStart(@Observes StartupEvent event) {
        if (enabled) {
            start();
        } else {
            LOG.info("IP block list disabled (portcullis.ip-blocklist.enabled=false): no client IP is blocked");
        }
    }

    void onStop(@Observes ShutdownEvent event) {
        stop();
    }

    /** Starts the consumer thread (once). */
    public synchronized void start() {
        if (thread != null || !enabled) {
            return;
        }
        problem = "loading";
        Thread t = new Thread(this::run, "portcullis-ipblocks");
        t.setDaemon(true);
        thread = t;
        t.start();
    }

    /** Stops the consumer thread and closes the consumer. */
    public void stop() {
        stopping.countDown();
        Thread t = thread;
        if (t == null) {
            return;
        }
        Consumer<String, byte[]> c = consumer;
        if (c != null) {
            c.wakeup();
        }
        try {
            t.join(TimeUnit.SECONDS.toMillis(10));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** Whether the block list is read at all. */
    public boolean enabled() {
        return enabled;
    }

    /** Whether the records present at start-up have all been applied. */
    public boolean caughtUp() {
        return caughtUp;
    }

    /** The last error of the loop, "loading" before the first successful poll, null when fine. */
    public String problem() {
        return problem;
    }

    private void run() {
        try {
            consumer = consumerFactory.get();
            while (stopping.getCount() > 0) {
                try {
                    pollOnce();
                } catch (WakeupException | InterruptException e) {
                    break;
                } catch (RuntimeException e) {
                    failed(e);
                    pause(pollInterval);
                }
            }
        } catch (RuntimeException e) {
            LOG.errorf(e, "IP block consumer cannot start: no client IP is blocked by this node");
            problem = "cannot start: " + e;
        } finally {
            if (consumer != null) {
                try {
                    consumer.close(Duration.ofSeconds(2));
                } catch (RuntimeException e) {
                    LOG.debugf("closing the IP block consumer: %s", e.toString());
                }
            }
        }
    }

    /** One turn of the loop: look up partitions when due, poll, apply, check the catch-up (tests drive this). */
    void pollOnce() {
        if (consumer == null) {
            consumer = consumerFactory.get();
        }
        long now = System.nanoTime();
        if (startEndOffsets == null || now - nextDiscovery >= 0) {
            discover();
            nextDiscovery = now + rediscoverInterval.toNanos();
        }
        if (assigned.isEmpty()) {
            pause(pollInterval); // nothing to poll yet: the topic does not exist
        } else {
            ConsumerRecords<String, byte[]> batch = consumer.poll(pollInterval);
            for (ConsumerRecord<String, byte[]> record : batch) {
                apply(record);
            }
            if (!caughtUp) {
                checkCaughtUp();
            }
        }
        map.purgeExpired();
        problem = caughtUp ? null : "loading";
    }

    private void discover() {
        List<PartitionInfo> infos = consumer.partitionsFor(Topics.IP_BLOCKS, KAFKA_TIMEOUT);
        Set<TopicPartition> all = infos == null ? Set.of()
                : infos.stream().map(p -> new TopicPartition(p.topic(), p.partition())).collect(Collectors.toSet());
        if (all.isEmpty()) {
            if (!missingTopicLogged) {
                LOG.infof("topic %s does not exist yet: no IP blocks; looking again every %s", Topics.IP_BLOCKS,
                        rediscoverInterval);
                missingTopicLogged = true;
            }
            if (startEndOffsets == null) {
                startEndOffsets = Map.of();
                markCaughtUp();
            }
            return;
        }
        Set<TopicPartition> added = new HashSet<>(all);
        added.removeAll(assigned);
        if (!added.isEmpty()) {
            assigned.addAll(added);
            consumer.assign(Set.copyOf(assigned));
            consumer.seekToBeginning(added);
            LOG.infof("reading %s from the beginning: %d partition(s) (%d new)", Topics.IP_BLOCKS, assigned.size(),
                    added.size());
        }
        if (startEndOffsets == null) {
            startEndOffsets = Map.copyOf(consumer.endOffsets(all, KAFKA_TIMEOUT));
        }
    }

    private void apply(ConsumerRecord<String, byte[]> record) {
        IpBlockMap.Outcome outcome;
        try {
            outcome = map.apply(record.key(), record.value());
        } catch (RuntimeException e) {
            outcome = IpBlockMap.Outcome.MALFORMED;
        }
        records.get(outcome).increment();
        if (outcome == IpBlockMap.Outcome.MALFORMED) {
            LOG.warnf("skipped a malformed IP block record at %s-%d@%d", record.topic(), record.partition(),
                    record.offset());
        } else {
            LOG.debugf("IP block record %s-%d@%d: %s", record.topic(), record.partition(), record.offset(), outcome);
        }
    }

    private void checkCaughtUp() {
        for (Map.Entry<TopicPartition, Long> end : startEndOffsets.entrySet()) {
            if (end.getValue() != null && consumer.position(end.getKey(), KAFKA_TIMEOUT) < end.getValue()) {
                return;
            }
        }
        markCaughtUp();
    }

    private void markCaughtUp() {
        caughtUp = true;
        problem = null;
        LOG.infof("IP block list loaded: %d block(s) in force", map.activeCount());
    }

    private void failed(RuntimeException e) {
        errors.increment();
        problem = e.getClass().getSimpleName() + ": " + e.getMessage();
        long now = System.nanoTime();
        if (lastErrorLog == 0 || now - lastErrorLog >= ERROR_LOG_EVERY_NANOS) {
            lastErrorLog = now;
            LOG.warnf("IP block consumer: %s (the current list stays in force; retrying)", problem);
        }
    }

    private void pause(Duration duration) {
        try {
            stopping.await(duration.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            stopping.countDown();
        }
    }
}
