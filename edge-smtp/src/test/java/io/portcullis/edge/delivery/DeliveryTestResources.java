package io.portcullis.edge.delivery;

import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import io.smallrye.reactive.messaging.memory.InMemoryConnector;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;

/**
 * For delivery's {@code @QuarkusTest}s: every Kafka channel of the application in memory, and the development
 * sink writing to a fresh temporary directory (its port is 0 in the test profile).
 */
public class DeliveryTestResources implements QuarkusTestResourceLifecycleManager {

    @Override
    public Map<String, String> start() {
        Map<String, String> props = new HashMap<>();
        props.putAll(InMemoryConnector.switchIncomingChannelsToInMemory(VerdictConsumer.CHANNEL,
                RetryConsumer.CHANNEL, "policy-changed"));
        props.putAll(InMemoryConnector.switchOutgoingChannelsToInMemory(KafkaDeliveryEventPublisher.CHANNEL,
                KafkaDeliveryRetryPublisher.CHANNEL));
        try {
            Path dir = Files.createTempDirectory("portcullis-sink-test");
            props.put("portcullis.sink.dir", dir.toString());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return props;
    }

    @Override
    public void stop() {
        InMemoryConnector.clear();
    }
}
