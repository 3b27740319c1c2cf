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
        Map<String, String> props = new HashMap<>(InMemoryConnector.switchOutgoingChannelsToInMemory(OutboxRelay.CHANNEL));
        // spam learning: feedback out, feedback and quarantine events in
        props.putAll(InMemoryConnector.switchOutgoingChannelsToInMemory(
                io.portcullis.policy.spam.FeedbackIntake.CHANNEL));
        props.putAll(InMemoryConnector.switchIncomingChannelsToInMemory(
                io.portcullis.policy.messaging.SpamFeedbackConsumer.CHANNEL,
                io.portcullis.policy.messaging.QuarantineReleasedConsumer.CHANNEL));
        return props;
    }

    @Override
    public void stop() {
        InMemoryConnector.clear();
    }
}
