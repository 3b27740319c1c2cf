package io.portcullis.policy.ipprofiler;

import io.portcullis.contracts.events.Topics;
import io.portcullis.policy.config.PolicyConfig;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.jboss.logging.Logger;

/**
 * Reads the block and control topics whole (from the beginning, every partition, no consumer group, committed
 * records only: the profiler writes in transactions) into {@link IpProfilerView} and follows them. Never creates a
 * topic; waits until both exist. Off when {@code portcullis.policy.ip-profiler.follow-topics} is false (tests).
 */
@ApplicationScoped
public class IpProfilerTopicFollower {
    private static final Logger LOG = Logger.getLogger(IpProfilerTopicFollower.class);
    private static final Duration POLL = Duration.ofMillis(500);
    private static final Duration RETRY = Duration.ofSeconds(2);

    private final PolicyConfig.IpProfiler config;
    private final IpProfilerView view;
    private volatile KafkaConsumer<String, byte[]> consumer;
    private volatile boolean closing;
    private Thread thread;

    public IpProfilerTopicFollower(PolicyConfig config, IpProfilerView view) {
        this.config = config.ipProfiler();
        this.view = view;
    }

    void onStart(@Observes StartupEvent event) {
        if (!config.followTopics()) {
            return;
        }
        thread = new Thread(this::run, "ip-profiler-view");
        thread.setDaemon(true);
        thread.start();
    }

    void onStop(@Observes ShutdownEvent event) throws InterruptedException {
        closing = true;
        KafkaConsumer<String, byte[]> c = consumer;
        if (c != null) {
            c.wakeup();
        }
        if (thread != null) {
            thread.join(5000);
        }
    }

    private void run() {
        while (!closing) {
            try {
                follow();
            } catch (WakeupException e) {
                return; // shutting down
            } catch (RuntimeException e) {
                LOG.errorf("IP Profiler view lost its topics, reading them again in %s: %s", RETRY, e.toString());
                try {
                    Thread.sleep(RETRY.toMillis());
                } catch (InterruptedException interrupted) {
                    Thread.currentThread().interrupt();
                    return;
                }
            }
        }
    }

    private void follow() {
        Map<String, Object> props = Map.of(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, config.bootstrapServers(),
                ConsumerConfig.CLIENT_ID_CONFIG, "policy-ip-profiler-view-" + UUID.randomUUID(),
                ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed",
                ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false,
                ConsumerConfig.ALLOW_AUTO_CREATE_TOPICS_CONFIG, false,
                ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class,
                ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class);
        try (KafkaConsumer<String, byte[]> c = new KafkaConsumer<>(props)) {
            consumer = c;
            List<TopicPartition> partitions = partitions(c);
            if (partitions.isEmpty()) {
                return;
            }
            c.assign(partitions);
            c.seekToBeginning(partitions);
            Map<TopicPartition, Long> end = c.endOffsets(partitions);
            while (!closing) {
                for (ConsumerRecord<String, byte[]> record : c.poll(POLL)) {
                    if (Topics.IP_BLOCKS.equals(record.topic())) {
                        view.applyBlock(record.key(), record.value());
                    } else {
                        view.applyCommand(record.key(), record.value());
                    }
                }
                if (!view.caughtUp() && end.entrySet().stream().allMatch(e -> c.position(e.getKey()) >= e.getValue())) {
                    view.caughtUp(true);
                    LOG.infof("IP Profiler view caught up: %d blocks, %d allow-list entries", view.activeBlocks().size(),
                            view.allowList().size());
                }
            }
        }
    }

    /** Every partition of both topics, waiting until both exist. Empty when shutting down. */
    private List<TopicPartition> partitions(KafkaConsumer<String, byte[]> c) {
        while (!closing) {
            try {
                List<TopicPartition> all = new ArrayList<>();
                boolean complete = true;
                for (String topic : List.of(Topics.IP_BLOCKS, Topics.IP_PROFILER_CONTROL)) {
                    List<PartitionInfo> infos = c.partitionsFor(topic, Duration.ofSeconds(10));
                    if (infos == null || infos.isEmpty()) {
                        complete = false;
                        break;
                    }
                    infos.forEach(p -> all.add(new TopicPartition(p.topic(), p.partition())));
                }
                if (complete) {
                    return all;
                }
                LOG.debug("IP Profiler topics not there yet");
            } catch (WakeupException e) {
                throw e;
            } catch (RuntimeException e) {
                LOG.debugf("IP Profiler topics not readable yet: %s", e.toString());
            }
            try {
                Thread.sleep(RETRY.toMillis());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return List.of();
            }
        }
        return List.of();
    }
}
