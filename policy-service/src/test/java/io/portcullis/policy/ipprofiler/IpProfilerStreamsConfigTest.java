package io.portcullis.policy.ipprofiler;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.nio.file.Path;
import java.util.Properties;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.StreamsConfig;
import org.junit.jupiter.api.Test;

/** The production configuration is one a real KafkaStreams client accepts (no broker needed to construct one). */
class IpProfilerStreamsConfigTest {

    @Test
    void aRealClientAcceptsTheTopologyAndTheExactlyOnceConfiguration() {
        ProfilerMetrics metrics = new ProfilerMetrics(new SimpleMeterRegistry());
        Path stateDir = Path.of("target", "ip-profiler-state", "config-test");
        Properties props = IpProfilerTopology.properties("portcullis-ip-profiler", "localhost:1", stateDir, 1,
                metrics);
        StreamsConfig config = new StreamsConfig(props);
        assertEquals(StreamsConfig.EXACTLY_ONCE_V2, config.getString(StreamsConfig.PROCESSING_GUARANTEE_CONFIG));
        assertEquals(SkipBadRecordHandler.class, config.deserializationExceptionHandler().getClass());
        KafkaStreams streams = new KafkaStreams(IpProfilerTopology.build(ProfilerSettings.defaults(), metrics), props);
        try {
            assertEquals(KafkaStreams.State.CREATED, streams.state());
        } finally {
            streams.close();
        }
    }
}
