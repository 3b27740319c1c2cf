package io.portcullis.quarantine.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.quarkus.runtime.configuration.DurationConverter;
import io.smallrye.config.SmallRyeConfigBuilder;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ConfigCheckTest {

    private static QuarantineConfig config(Map<String, String> overrides) {
        Map<String, String> values = new HashMap<>(Map.of(
                "portcullis.quarantine.s3.endpoint", "http://localhost:9000",
                "portcullis.quarantine.s3.access-key", "portcullis",
                "portcullis.quarantine.s3.secret-key", "portcullis-secret"));
        values.putAll(overrides);
        return new SmallRyeConfigBuilder().withMapping(QuarantineConfig.class)
                .withConverter(Duration.class, 100, new DurationConverter())
                .withDefaultValues(values).build().getConfigMapping(QuarantineConfig.class);
    }

    @Test
    void defaultsAreValid() {
        assertEquals(List.of(), ConfigCheck.problems(config(Map.of())));
    }

    @Test
    void rejectsEndpointWithoutSchemeBadBucketAndInvertedBackoff() {
        List<String> problems = ConfigCheck.problems(config(Map.of(
                "portcullis.quarantine.s3.endpoint", "localhost:9000",
                "portcullis.quarantine.s3.bucket", "Bad_Bucket",
                "portcullis.quarantine.retry.initial-backoff", "10s",
                "portcullis.quarantine.retry.max-backoff", "1s",
                "portcullis.quarantine.api.default-limit", "0")));
        assertEquals(4, problems.size(), problems::toString);
        assertTrue(problems.get(0).contains("s3.endpoint"));
    }
}
