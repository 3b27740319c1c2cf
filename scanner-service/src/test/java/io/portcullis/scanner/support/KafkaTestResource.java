package io.portcullis.scanner.support;

import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import io.smallrye.reactive.messaging.memory.InMemoryConnector;
import java.util.HashMap;
import java.util.Map;

/** Replaces the Kafka channels with in-memory ones: no broker needed. */
public class KafkaTestResource implements QuarkusTestResourceLifecycleManager {

    @Override
    public Map<String, String> start() {
        Map<String, String> props = new HashMap<>();
        props.putAll(InMemoryConnector.switchIncomingChannelsToInMemory("mail-received", "policy-changed",
                "signature-bundles"));
        props.putAll(InMemoryConnector.switchIncomingChannelsToInMemory("spam-model", "quarantine-released"));
        props.putAll(InMemoryConnector.switchOutgoingChannelsToInMemory("mail-verdict", "release-verdict"));
        return props;
    }

    @Override
    public void stop() {
        InMemoryConnector.clear();
    }
}
