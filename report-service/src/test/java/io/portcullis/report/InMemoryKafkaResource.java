package io.portcullis.report;

import io.portcullis.report.messaging.DeliveryEventConsumer;
import io.portcullis.report.messaging.QuarantineEventConsumer;
import io.portcullis.report.messaging.VerdictConsumer;
import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import io.smallrye.reactive.messaging.memory.InMemoryConnector;
import java.util.HashMap;
import java.util.Map;

/** Swaps the three Kafka channels for the in-memory connector; no broker needed. */
public class InMemoryKafkaResource implements QuarkusTestResourceLifecycleManager {

    @Override
    public Map<String, String> start() {
        return new HashMap<>(InMemoryConnector.switchIncomingChannelsToInMemory(VerdictConsumer.CHANNEL,
                DeliveryEventConsumer.CHANNEL, QuarantineEventConsumer.CHANNEL));
    }

    @Override
    public void stop() {
        InMemoryConnector.clear();
    }
}
