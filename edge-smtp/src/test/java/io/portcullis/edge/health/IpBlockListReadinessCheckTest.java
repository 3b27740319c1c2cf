package io.portcullis.edge.health;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.portcullis.contracts.events.Topics;
import io.portcullis.edge.ipblock.IpBlockConsumer;
import io.portcullis.edge.ipblock.IpBlockMap;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.MockConsumer;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.junit.jupiter.api.Test;

class IpBlockListReadinessCheckTest {

    private static final TopicPartition P0 = new TopicPartition(Topics.IP_BLOCKS, 0);

    @Test
    void downWhileLoadingUpOnceTheStartOffsetsAreReached() {
        MockConsumer<String, byte[]> kafka = new MockConsumer<>("earliest");
        kafka.updatePartitions(Topics.IP_BLOCKS, List.of(new PartitionInfo(Topics.IP_BLOCKS, 0, null, null, null)));
        kafka.updateBeginningOffsets(Map.of(P0, 0L));
        kafka.updateEndOffsets(Map.of(P0, 1L));
        IpBlockMap map = new IpBlockMap(Clock.systemUTC());
        IpBlockConsumer consumer = new IpBlockConsumer(map, () -> kafka, true, Duration.ofMillis(10),
                Duration.ofSeconds(30), new SimpleMeterRegistry());
        IpBlockListReadinessCheck check = new IpBlockListReadinessCheck(consumer, map);
        try {
            HealthCheckResponse before = check.call();
            assertEquals(HealthCheckResponse.Status.DOWN, before.getStatus());
            assertEquals("loading", before.getData().orElseThrow().get("state"));
            consumer.start();
            await().atMost(Duration.ofSeconds(5)).until(() -> !kafka.assignment().isEmpty());
            assertEquals(HealthCheckResponse.Status.DOWN, check.call().getStatus(), "one record still to read");
            kafka.schedulePollTask(() -> kafka.addRecord(new ConsumerRecord<>(Topics.IP_BLOCKS, 0, 0, "192.0.2.1",
                    null)));
            await().atMost(Duration.ofSeconds(5))
                    .until(() -> check.call().getStatus() == HealthCheckResponse.Status.UP);
            assertEquals("caught up", check.call().getData().orElseThrow().get("state"));
        } finally {
            consumer.stop();
        }
    }

    @Test
    void upWhenDisabled() {
        IpBlockMap map = new IpBlockMap(Clock.systemUTC());
        IpBlockConsumer consumer = new IpBlockConsumer(map, () -> {
            throw new AssertionError("disabled");
        }, false, Duration.ofSeconds(1), Duration.ofSeconds(30), new SimpleMeterRegistry());
        HealthCheckResponse response = new IpBlockListReadinessCheck(consumer, map).call();
        assertEquals(HealthCheckResponse.Status.UP, response.getStatus());
        assertEquals("disabled", response.getData().orElseThrow().get("state"));
    }
}
