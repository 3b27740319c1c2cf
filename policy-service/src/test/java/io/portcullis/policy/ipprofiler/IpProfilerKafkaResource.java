package io.portcullis.policy.ipprofiler;

import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import io.smallrye.reactive.messaging.memory.InMemoryConnector;
import java.util.HashMap;
import java.util.Map;

/** Swaps the IP Profiler's control channel for the in-memory connector; no broker needed. */
public class IpProfilerKafkaResource implements QuarkusTestResourceLifecycleManager {

    @Override
    public Map<String, String> start() {
        return new HashMap<>(InMemoryConnector.switchOutgoingChannelsToInMemory(IpProfilerCommands.CHANNEL));
    }

    @Override
    public void stop() {
        InMemoryConnector.clear();
    }
}
