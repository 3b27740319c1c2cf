package io.portcullis.quarantine;

import io.portcullis.quarantine.messaging.QuarantineEventPublisher;
import io.portcullis.quarantine.messaging.QuarantineStateConsumer;
import io.portcullis.quarantine.messaging.VerdictConsumer;
import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import io.smallrye.reactive.messaging.memory.InMemoryConnector;
import java.util.HashMap;
import java.util.Map;

/** Replaces the Kafka channels with the in-memory connector: no broker needed. */
public class InMemoryKafkaResource implements QuarkusTestResourceLifecycleManager {

    @Override
    public Map<String, String> start() {
        Map<String, String> props = new HashMap<>();
        props.putAll(InMemoryConnector.switchIncomingChannelsToInMemory(VerdictConsumer.CHANNEL,
                QuarantineStateConsumer.CHANNEL));
        props.putAll(InMemoryConnector.switchOutgoingChannelsToInMemory(QuarantineEventPublisher.CHANNEL));
        return props;
    }

    @Override
    public void stop() {
        InMemoryConnector.clear();
    }
}
