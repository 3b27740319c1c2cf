package io.portcullis.scanner.engine;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.portcullis.scanner.config.ScannerConfig;
import io.portcullis.scanner.config.ScannerConfigCheck;
import io.quarkus.runtime.configuration.DurationConverter;
import io.smallrye.config.PropertiesConfigSource;
import io.smallrye.config.SmallRyeConfig;
import io.smallrye.config.SmallRyeConfigBuilder;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ClamdConfigTest {

    private static ScannerConfig config(Map<String, String> given) {
        // keys without a default in the mapping (application.properties supplies them in the service)
        Map<String, String> properties = new java.util.HashMap<>(given);
        properties.putIfAbsent("portcullis.scanner.signatures.updates.group-id", "test-signatures");
        SmallRyeConfig c = new SmallRyeConfigBuilder().withMapping(ScannerConfig.class)
                .withConverter(Duration.class, 200, new DurationConverter())
                .withSources(new PropertiesConfigSource(properties, "test", 500)).build();
        return c.getConfigMapping(ScannerConfig.class);
    }

    @Test
    void defaultsAreOffWithDebiansSocket25MbAnd30Seconds() {
        ScannerConfig.Clamd c = config(Map.of()).scanner().clamd();
        assertEquals(false, c.enabled());
        assertEquals("unix:/var/run/clamav/clamd.ctl", c.address());
        assertEquals(Duration.ofSeconds(30), c.timeout());
        assertEquals(26_214_400L, c.maxStreamBytes());
    }

    @Test
    void parsesTcpAndUnixAddresses() {
        ClamdClient.Address tcp = ClamdClient.Address.parse("tcp:clamd.internal:3310");
        assertEquals("clamd.internal", tcp.host());
        assertEquals(3310, tcp.port());
        assertNull(tcp.socketPath());
        assertEquals("::1", ClamdClient.Address.parse("tcp:[::1]:3310").host());
        assertEquals("/run/clamav/clamd.ctl", ClamdClient.Address.parse("unix:/run/clamav/clamd.ctl").socketPath());
    }

    @Test
    void rejectsMalformedAddresses() {
        for (String bad : new String[] {"", " ", "clamd:3310", "localhost:3310", "tcp:localhost", "tcp::3310",
                "tcp:localhost:0", "tcp:localhost:65536", "tcp:localhost:31o", "tcp:a b:3310", "unix:",
                "unix:relative/clamd.ctl", "unix:/" + "x".repeat(120), "http://localhost:3310"}) {
            assertThrows(IllegalArgumentException.class, () -> ClamdClient.Address.parse(bad), bad);
        }
    }

    @Test
    void badAddressFailsStartupOnlyWhenEnabled() {
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> ScannerConfigCheck.check(config(
                Map.of("portcullis.scanner.clamd.enabled", "true", "portcullis.scanner.clamd.address",
                        "localhost:3310"))));
        assertTrue(e.getMessage().startsWith("portcullis.scanner.clamd.address"), e.getMessage());
        assertDoesNotThrow(() -> ScannerConfigCheck.check(config(Map.of("portcullis.scanner.clamd.address",
                "localhost:3310"))), "an unused address of a disabled engine is not checked");
        assertDoesNotThrow(() -> ScannerConfigCheck.check(config(Map.of("portcullis.scanner.clamd.enabled", "true",
                "portcullis.scanner.clamd.address", "tcp:127.0.0.1:3310"))));
    }

    @Test
    void nonPositiveTimeoutOrStreamLimitFailsStartup() {
        IllegalStateException t = assertThrows(IllegalStateException.class, () -> ScannerConfigCheck.check(config(
                Map.of("portcullis.scanner.clamd.enabled", "true", "portcullis.scanner.clamd.timeout", "0S"))));
        assertTrue(t.getMessage().contains("portcullis.scanner.clamd.timeout"), t.getMessage());
        IllegalStateException m = assertThrows(IllegalStateException.class, () -> ScannerConfigCheck.check(config(
                Map.of("portcullis.scanner.clamd.enabled", "true", "portcullis.scanner.clamd.max-stream-bytes",
                        "-1"))));
        assertTrue(m.getMessage().contains("portcullis.scanner.clamd.max-stream-bytes"), m.getMessage());
    }
}
