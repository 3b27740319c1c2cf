package io.portcullis.policy;

import io.portcullis.policy.messaging.OutboxRelay;
import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import io.smallrye.reactive.messaging.memory.InMemoryConnector;
import java.util.HashMap;
import java.util.Map;

/** Swaps the Kafka channel for the in-memory connector; no broker needed. */
public class InMemoryKafkaResource implements QuarkusTestResourceLifecycleManager {

    @Override
    public Map<String, String> start() {
        return new HashMap<>(InMemoryConnector.switchOutgoingChannelsToInMemory(OutboxRelay.CHANNEL));
    }

    @Override
    public void stop() {
        InMemoryConnector.clear();
    }
}
