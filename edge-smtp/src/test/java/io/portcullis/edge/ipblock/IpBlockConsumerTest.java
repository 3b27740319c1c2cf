package io.portcullis.edge.ipblock;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.portcullis.contracts.events.EventJson;
import io.portcullis.contracts.events.IpBlock;
import io.portcullis.contracts.events.Topics;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.MockConsumer;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The block-list consumer on a {@link MockConsumer}: whole topic from the beginning, catch-up, errors. */
class IpBlockConsumerTest {

    static final TopicPartition P0 = new TopicPartition(Topics.IP_BLOCKS, 0);
    static final TopicPartition P1 = new TopicPartition(Topics.IP_BLOCKS, 1);

    private MockConsumer<String, byte[]> kafka;
    private IpBlockMap map;
    private SimpleMeterRegistry registry;
    private IpBlockConsumer consumer;

    @BeforeEach
    void setUp() {
        kafka = new MockConsumer<>("earliest");
        map = new IpBlockMap(java.time.Clock.systemUTC());
        registry = new SimpleMeterRegistry();
        consumer = new IpBlockConsumer(map, () -> kafka, true, Duration.ofMillis(10), Duration.ofMillis(50),
                registry);
    }

    @AfterEach
    void tearDown() {
        consumer.stop();
    }

    private static PartitionInfo partition(int p) {
        return new PartitionInfo(Topics.IP_BLOCKS, p, null, null, null);
    }

    private void topicWithPartitions(long... endOffsets) {
        List<PartitionInfo> infos = new java.util.ArrayList<>();
        Map<TopicPartition, Long> begin = new java.util.HashMap<>();
        Map<TopicPartition, Long> end = new java.util.HashMap<>();
        for (int p = 0; p < endOffsets.length; p++) {
            infos.add(partition(p));
            begin.put(new TopicPartition(Topics.IP_BLOCKS, p), 0L);
            end.put(new TopicPartition(Topics.IP_BLOCKS, p), endOffsets[p]);
        }
        kafka.updatePartitions(Topics.IP_BLOCKS, infos);
        kafka.updateBeginningOffsets(begin);
        kafka.updateEndOffsets(end);
    }

    private static byte[] block(String ip, IpBlock.Response response) {
        return EventJson.write(new IpBlock(ip, IpBlock.Kind.SPAM, 10, 3600, Instant.now(),
                Instant.now().plusSeconds(3600), response, "too much spam"));
    }

    private void record(TopicPartition tp, long offset, String key, byte[] value) {
        kafka.addRecord(new ConsumerRecord<>(tp.topic(), tp.partition(), offset, key, value));
    }

    private double count(String outcome) {
        return registry.get("portcullis.ipblock.records").tag("outcome", outcome).counter().count();
    }

    @Test
    void assignsEveryPartitionFromTheBeginningWithoutAGroupAndCatchesUpToTheStartEndOffsets() {
        topicWithPartitions(2, 1);
        consumer.pollOnce();
        assertEquals(Set.of(P0, P1), kafka.assignment());
        assertFalse(consumer.caughtUp(), "3 records exist, none applied yet");
        assertEquals("loading", consumer.problem());

        record(P0, 0, "192.0.2.1", block("192.0.2.1", IpBlock.Response.REJECT));
        record(P1, 0, "192.0.2.2", block("192.0.2.2", IpBlock.Response.TEMPFAIL));
        consumer.pollOnce();
        assertFalse(consumer.caughtUp(), "partition 0 is at 1 of 2");
        assertTrue(map.activeBlock("192.0.2.1").isPresent());

        record(P0, 1, "192.0.2.1", null);
        consumer.pollOnce();
        assertTrue(consumer.caughtUp());
        assertNull(consumer.problem());
        assertTrue(map.activeBlock("192.0.2.1").isEmpty(), "tombstone lifted it");
        assertEquals(IpBlock.Response.TEMPFAIL, map.activeBlock("192.0.2.2").orElseThrow().response());
        assertEquals(2, count("blocked"));
        assertEquals(1, count("lifted"));
    }

    @Test
    void emptyTopicIsCaughtUpAtOnceAndLaterRecordsAreFollowed() {
        topicWithPartitions(0);
        consumer.pollOnce();
        assertTrue(consumer.caughtUp());
        record(P0, 0, "192.0.2.3", block("192.0.2.3", IpBlock.Response.REJECT));
        consumer.pollOnce();
        assertTrue(map.activeBlock("192.0.2.3").isPresent());
    }

    @Test
    void missingTopicIsAnEmptyListAndIsPickedUpWhenItAppears() throws Exception {
        consumer.pollOnce();
        assertTrue(consumer.caughtUp(), "no topic yet: nothing to wait for");
        assertTrue(kafka.assignment().isEmpty());

        topicWithPartitions(1);
        record0Later();
        Thread.sleep(60); // past the rediscover interval
        consumer.pollOnce();
        assertEquals(Set.of(P0), kafka.assignment());
        consumer.pollOnce();
        assertTrue(map.activeBlock("192.0.2.4").isPresent());
    }

    private void record0Later() {
        kafka.schedulePollTask(() -> record(P0, 0, "192.0.2.4", block("192.0.2.4", IpBlock.Response.REJECT)));
    }

    @Test
    void partitionsAddedLaterAreReadFromTheirBeginning() throws Exception {
        topicWithPartitions(0);
        consumer.pollOnce();
        topicWithPartitions(0, 1);
        Thread.sleep(60);
        consumer.pollOnce();
        assertEquals(Set.of(P0, P1), kafka.assignment());
        record(P1, 0, "192.0.2.5", block("192.0.2.5", IpBlock.Response.REJECT));
        consumer.pollOnce();
        assertTrue(map.activeBlock("192.0.2.5").isPresent());
    }

    @Test
    void malformedRecordsAreCountedAndSkippedAndTheLoopGoesOn() {
        topicWithPartitions(4);
        consumer.pollOnce();
        record(P0, 0, "192.0.2.6", "{garbage".getBytes(StandardCharsets.UTF_8));
        record(P0, 1, "not-an-ip", block("192.0.2.6", IpBlock.Response.REJECT));
        record(P0, 2, null, null);
        record(P0, 3, "192.0.2.6", block("192.0.2.6", IpBlock.Response.REJECT));
        consumer.pollOnce();
        assertEquals(3, count("malformed"));
        assertEquals(1, count("blocked"));
        assertTrue(map.activeBlock("192.0.2.6").isPresent());
        assertTrue(consumer.caughtUp());
    }

    @Test
    void pollErrorsAreCountedReportedAndRetriedOnTheConsumerThread() {
        topicWithPartitions(1);
        kafka.setPollException(new KafkaException("broker gone"));
        consumer.start();
        await().atMost(Duration.ofSeconds(5))
                .until(() -> registry.get("portcullis.ipblock.consumer.errors").counter().count() >= 1);
        kafka.schedulePollTask(() -> record(P0, 0, "192.0.2.7", block("192.0.2.7", IpBlock.Response.REJECT)));
        await().atMost(Duration.ofSeconds(5)).until(consumer::caughtUp);
        assertTrue(map.activeBlock("192.0.2.7").isPresent());
        assertNull(consumer.problem());
        consumer.stop();
        assertTrue(kafka.closed(), "stop closes the consumer");
    }

    @Test
    void unreachableKafkaKeepsReadinessDownWithTheReason() {
        MockConsumer<String, byte[]> down = new MockConsumer<>("earliest") {
            @Override
            public List<PartitionInfo> partitionsFor(String topic, Duration timeout) {
                throw new org.apache.kafka.common.errors.TimeoutException("no broker answered");
            }
        };
        IpBlockConsumer c = new IpBlockConsumer(map, () -> down, true, Duration.ofMillis(10), Duration.ofMillis(50),
                registry);
        try {
            c.start();
            await().atMost(Duration.ofSeconds(5))
                    .until(() -> registry.get("portcullis.ipblock.consumer.errors").counter().count() >= 2);
            assertFalse(c.caughtUp());
            assertTrue(c.problem().contains("no broker answered"), c.problem());
        } finally {
            c.stop();
        }
    }

    @Test
    void disabledConsumerNeverStartsAndIsNotAProblem() {
        IpBlockConsumer off = new IpBlockConsumer(map, () -> {
            throw new AssertionError("must not create a consumer");
        }, false, Duration.ofSeconds(1), Duration.ofSeconds(30), registry);
        off.start();
        assertFalse(off.enabled());
        assertNull(off.problem());
    }

    @Test
    void badIntervalsFailAtStartUp() {
        assertThrows(IllegalArgumentException.class, () -> new IpBlockConsumer(map, () -> kafka, true,
                Duration.ZERO, Duration.ofSeconds(30), registry));
        assertThrows(IllegalArgumentException.class, () -> new IpBlockConsumer(map, () -> kafka, true,
                Duration.ofSeconds(5), Duration.ofSeconds(1), registry));
    }

    @Test
    void consumerPropertiesUseNoGroupAndNeverCreateTheTopic() {
        Map<String, Object> props = IpBlockConsumer.properties("k:9092", "edge-9");
        assertFalse(props.containsKey("group.id"));
        assertEquals(false, props.get("enable.auto.commit"));
        assertEquals(false, props.get("allow.auto.create.topics"));
        assertEquals("read_committed", props.get("isolation.level"));
        assertEquals("edge-ipblocks-edge-9", props.get("client.id"));
    }
}
