package io.portcullis.policy.signatures;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.portcullis.policy.service.InvalidPolicyException;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneId;
import java.util.List;
import org.junit.jupiter.api.Test;

class BundleVersionTest {
    private static final Clock CLOCK = Clock.fixed(Instant.parse("2026-11-27T05:04:03.999Z"), ZoneId.of("Europe/Paris"));

    @Test
    void defaultVersionIsUtcTimeToTheSecond() {
        assertEquals("20261127050403", BundleVersion.requestedOrDefault(null, CLOCK));
    }

    @Test
    void acceptsLettersDigitsDotsDashesAndUnderscoresUpTo64() {
        for (String v : List.of("1", "2026112701", "daily-27120", "v1.2.3_rc-1", "a".repeat(64), "...x", "-x")) {
            assertTrue(BundleVersion.isValid(v), v);
            assertEquals(v, BundleVersion.requestedOrDefault(v, CLOCK));
        }
    }

    @Test
    void rejectsEmptyTooLongPathLikeAndOtherCharacters() {
        for (String v : List.of("", "a".repeat(65), ".", "..", "a/b", "../x", "a b", "v%2F", "ä", "a:b", "a\nb")) {
            assertFalse(BundleVersion.isValid(v), v);
            InvalidPolicyException e = assertThrows(InvalidPolicyException.class,
                    () -> BundleVersion.requestedOrDefault(v, CLOCK));
            assertEquals("version", e.field());
        }
        assertFalse(BundleVersion.isValid(null));
    }

    @Test
    void objectKeyIsBundlesVersionTar() {
        assertEquals("bundles/2026112701.tar", BundleVersion.objectKey("2026112701"));
    }
}
