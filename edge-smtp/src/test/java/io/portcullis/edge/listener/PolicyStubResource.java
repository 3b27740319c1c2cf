package io.portcullis.edge.listener;

import io.portcullis.edge.policy.StubPolicyService;
import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import io.smallrye.reactive.messaging.memory.InMemoryConnector;
import java.io.InputStream;
import java.util.HashMap;
import java.util.Map;
import java.util.Properties;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** A stub policy-service and the PolicyChanged channel in memory. */
public class PolicyStubResource implements QuarkusTestResourceLifecycleManager {

    static volatile StubPolicyService policy;

    @Override
    public Map<String, String> start() {
        try {
            policy = StubPolicyService.start();
        } catch (java.io.IOException e) {
            throw new IllegalStateException(e);
        }
        policy.respond(200, StubPolicyService.snapshot(1, "quarkus.example", "unvalidated.example"));
        Map<String, String> config = new HashMap<>();
        // every Kafka channel of the module (delivery's too) in memory: a broker running on this machine must not
        // receive or hand out records during tests
        config.putAll(InMemoryConnector.switchIncomingChannelsToInMemory(kafkaChannels("incoming")));
        config.putAll(InMemoryConnector.switchOutgoingChannelsToInMemory(kafkaChannels("outgoing")));
        config.put("portcullis.policy.url", policy.url());
        return config;
    }

    private static String[] kafkaChannels(String direction) {
        Properties props = new Properties();
        try (InputStream in = PolicyStubResource.class.getResourceAsStream("/application.properties")) {
            props.load(in);
        } catch (java.io.IOException e) {
            throw new IllegalStateException(e);
        }
        Pattern pattern = Pattern.compile("mp\\.messaging\\." + direction + "\\.([^.]+)\\.connector");
        return props.stringPropertyNames().stream().map(pattern::matcher).filter(Matcher::matches)
                .map(m -> m.group(1)).distinct().toArray(String[]::new);
    }

    @Override
    public void stop() {
        InMemoryConnector.clear();
        if (policy != null) {
            policy.close();
        }
    }
}
