package io.portcullis.policy.ipprofiler;

import io.portcullis.contracts.events.Topics;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.common.config.TopicConfig;
import org.apache.kafka.common.errors.TopicExistsException;
import org.jboss.logging.Logger;

/**
 * Creates the topics the IP Profiler needs when they are missing: the block list and the control topic compacted
 * (keyed by IP, the last record per key is the state), and its two source topics with the broker's defaults (the
 * Streams application does not start while a source topic is missing). Partitions follow the broker default.
 */
final class IpProfilerTopics {
    private static final Logger LOG = Logger.getLogger(IpProfilerTopics.class);
    static final List<String> COMPACTED = List.of(Topics.IP_BLOCKS, Topics.IP_PROFILER_CONTROL);
    static final List<String> SOURCES = List.of(Topics.MAIL_VERDICT, Topics.SMTP_EVENTS);

    private IpProfilerTopics() {
    }

    /** @throws Exception when the broker cannot be asked or refuses (the caller retries) */
    static void ensure(Admin admin, short replicationFactor, Duration timeout) throws Exception {
        Set<String> existing = admin.listTopics().names().get(timeout.toMillis(), TimeUnit.MILLISECONDS);
        List<NewTopic> missing = new ArrayList<>();
        for (String topic : COMPACTED) {
            if (!existing.contains(topic)) {
                missing.add(new NewTopic(topic, Optional.empty(), Optional.of(replicationFactor))
                        .configs(Map.of(TopicConfig.CLEANUP_POLICY_CONFIG, TopicConfig.CLEANUP_POLICY_COMPACT)));
            }
        }
        for (String topic : SOURCES) {
            if (!existing.contains(topic)) {
                missing.add(new NewTopic(topic, Optional.empty(), Optional.of(replicationFactor)));
            }
        }
        if (missing.isEmpty()) {
            return;
        }
        for (Map.Entry<String, org.apache.kafka.common.KafkaFuture<Void>> created : admin.createTopics(missing)
                .values().entrySet()) {
            try {
                created.getValue().get(timeout.toMillis(), TimeUnit.MILLISECONDS);
                LOG.infof("created topic %s", created.getKey());
            } catch (ExecutionException e) {
                if (!(e.getCause() instanceof TopicExistsException)) {
                    throw e; // another instance creating it at the same time is fine, anything else is not
                }
            } catch (TimeoutException e) {
                throw e;
            }
        }
    }
}
