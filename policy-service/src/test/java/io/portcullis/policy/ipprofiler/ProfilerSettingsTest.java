package io.portcullis.policy.ipprofiler;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.portcullis.contracts.events.IpBlock;
import io.portcullis.contracts.events.IpBlock.Kind;
import java.time.Duration;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ProfilerSettingsTest {

    @Test
    void theDefaultsAreTheDocumentedOnes() {
        ProfilerSettings defaults = ProfilerSettings.defaults();
        assertEquals(new KindLimit(20, Duration.ofHours(1), Duration.ofHours(1), IpBlock.Response.TEMPFAIL),
                defaults.limit(Kind.SPAM));
        assertEquals(new KindLimit(5, Duration.ofHours(1), Duration.ofHours(4), IpBlock.Response.TEMPFAIL),
                defaults.limit(Kind.VIRUS));
        assertEquals(new KindLimit(30, Duration.ofMinutes(10), Duration.ofHours(1), IpBlock.Response.REJECT),
                defaults.limit(Kind.HARVEST));
        assertEquals(new KindLimit(50, Duration.ofHours(1), Duration.ofHours(1), IpBlock.Response.TEMPFAIL),
                defaults.limit(Kind.BOUNCE));
        assertEquals(List.of("127.0.0.0/8", "::1"), defaults.exempt().stream().map(IpRange::text).toList());
    }

    @Test
    void badLimitsFailNamingTheProblem() {
        assertThrows(IllegalArgumentException.class,
                () -> new KindLimit(0, Duration.ofHours(1), Duration.ofHours(1), IpBlock.Response.TEMPFAIL));
        assertThrows(IllegalArgumentException.class,
                () -> new KindLimit(3, Duration.ZERO, Duration.ofHours(1), IpBlock.Response.TEMPFAIL));
        assertThrows(IllegalArgumentException.class,
                () -> new KindLimit(3, Duration.ofHours(1), Duration.ofMillis(10), IpBlock.Response.TEMPFAIL));
        assertThrows(IllegalArgumentException.class,
                () -> new KindLimit(3, Duration.ofHours(1), Duration.ofHours(1), null));
    }

    @Test
    void theDeduplicationRetentionMustCoverTheLongestWindow() {
        Map<Kind, KindLimit> limits = new EnumMap<>(ProfilerSettings.defaults().limits());
        limits.put(Kind.BOUNCE, new KindLimit(3, Duration.ofHours(48), Duration.ofHours(1), IpBlock.Response.TEMPFAIL));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> new ProfilerSettings(limits, List.of(), Duration.ofSeconds(5), Duration.ofHours(24)));
        assertTrue(e.getMessage().contains("dedupe-retention"), e.getMessage());
    }

    @Test
    void everyKindNeedsALimit() {
        Map<Kind, KindLimit> limits = new EnumMap<>(ProfilerSettings.defaults().limits());
        limits.remove(Kind.HARVEST);
        assertThrows(IllegalArgumentException.class,
                () -> new ProfilerSettings(limits, List.of(), Duration.ofSeconds(5), Duration.ofHours(24)));
    }
}
