package io.portcullis.scanner.release;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.portcullis.contracts.scan.Category;
import io.portcullis.scanner.config.ScannerConfig;
import io.portcullis.scanner.config.ScannerConfigCheck;
import io.quarkus.runtime.configuration.DurationConverter;
import io.smallrye.config.PropertiesConfigSource;
import io.smallrye.config.SmallRyeConfig;
import io.smallrye.config.SmallRyeConfigBuilder;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ReleaseConfigTest {

    private static ScannerConfig config(Map<String, String> given) {
        Map<String, String> properties = new java.util.HashMap<>(given);
        properties.putIfAbsent("portcullis.scanner.signatures.updates.group-id", "test-signatures");
        SmallRyeConfig c = new SmallRyeConfigBuilder().withMapping(ScannerConfig.class)
                .withConverter(Duration.class, 200, new DurationConverter())
                .withSources(new PropertiesConfigSource(properties, "test", 500)).build();
        return c.getConfigMapping(ScannerConfig.class);
    }

    @Test
    void defaultsAreVirusAndGraywareThreeScansAndADayOfMemory() {
        ScannerConfig.Release r = config(Map.of()).scanner().release();
        assertEquals(List.of(Category.VIRUS, Category.GRAYWARE), r.threatCategories());
        assertEquals(3, r.attempts());
        assertEquals(Duration.ofSeconds(2), r.retryDelay());
        assertEquals(Duration.ofHours(24), r.dedupeTtl());
        assertEquals(100_000, r.dedupeMaxEntries());
        ScannerConfigCheck.check(config(Map.of()));
    }

    @Test
    void spamInfoOrFailureAsAThreatCategoryFailsStartUpNamingTheKey() {
        for (String bad : List.of("VIRUS,SPAM", "INFO", "FAILURE")) {
            IllegalStateException e = assertThrows(IllegalStateException.class, () -> ScannerConfigCheck.check(
                    config(Map.of("portcullis.scanner.release.threat-categories", bad))), bad);
            assertTrue(e.getMessage().contains("portcullis.scanner.release.threat-categories"), e.getMessage());
        }
    }

    @Test
    void zeroAttemptsFailsStartUp() {
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> ScannerConfigCheck.check(
                config(Map.of("portcullis.scanner.release.attempts", "0"))));
        assertTrue(e.getMessage().contains("portcullis.scanner.release.attempts"), e.getMessage());
    }
}
