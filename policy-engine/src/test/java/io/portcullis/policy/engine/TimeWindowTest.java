package io.portcullis.policy.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Instant;
import java.util.Set;
import org.junit.jupiter.api.Test;

class TimeWindowTest {
    private static Instant t(String s) {
        return Instant.parse(s);
    }

    @Test
    void weekdayOfficeHours() {
        TimeWindow w = TimeWindow.parse("Mon-Fri 08:00-18:00", null, "f");
        assertTrue(w.contains(t("2026-11-27T08:00:00Z")), "Friday 08:00 is in");
        assertFalse(w.contains(t("2026-11-27T18:00:00Z")), "the end is out");
        assertFalse(w.contains(t("2026-11-28T12:00:00Z")), "Saturday is out");
    }

    @Test
    void nightWindowBelongsToTheDayItStarts() {
        TimeWindow w = TimeWindow.parse("Fri 22:00-06:00", null, "f");
        assertTrue(w.contains(t("2026-11-27T23:00:00Z")));
        assertTrue(w.contains(t("2026-11-28T05:59:00Z")), "Saturday early morning belongs to Friday night");
        assertFalse(w.contains(t("2026-11-27T05:00:00Z")), "Friday early morning belongs to Thursday night");
    }

    @Test
    void dayListsRangesThatWrapAndZones() {
        TimeWindow w = TimeWindow.parse("Sat,Sun", null, "f");
        assertTrue(w.contains(t("2026-11-29T23:59:00Z")));
        assertFalse(w.contains(t("2026-11-30T00:00:00Z")));
        TimeWindow wrap = TimeWindow.parse("Fri-Mon", null, "f");
        assertTrue(wrap.contains(t("2026-11-30T10:00:00Z")));
        assertFalse(wrap.contains(t("2026-12-01T10:00:00Z")));
        TimeWindow tokyo = TimeWindow.parse("Mon-Fri 09:00-17:00 Asia/Tokyo", null, "f");
        assertTrue(tokyo.contains(t("2026-11-27T01:00:00Z")), "10:00 in Tokyo");
        assertFalse(tokyo.contains(t("2026-11-27T12:00:00Z")), "21:00 in Tokyo");
        assertTrue(TimeWindow.parse("Monday-Friday", null, "f").contains(t("2026-11-27T12:00:00Z")));
    }

    @Test
    void nextOpeningForDeferredDelivery() {
        TimeWindow w = TimeWindow.parse("Mon-Fri 18:00-07:00 Europe/Berlin", null, "f");
        assertEquals(t("2026-11-27T17:00:00Z"), w.nextOpening(t("2026-11-27T10:00:00Z")), "Friday 18:00 CET");
        assertEquals(t("2026-11-28T05:00:00Z"), w.nextOpening(t("2026-11-28T05:00:00Z")), "already open");
        assertEquals(t("2026-11-30T17:00:00Z"), w.nextOpening(t("2026-11-28T12:00:00Z")), "weekend: Monday evening");
    }

    @Test
    void badWindowsNameTheField() {
        for (String bad : Set.of("", "Someday", "25:00-26:00", "08:00-08:00", "Mon 08:00-18:00 Mars/Base",
                "Mon 08:00-18:00 UTC extra", "x".repeat(201), "Mon-Fri-Sat")) {
            PolicyValidationException e = assertThrows(PolicyValidationException.class,
                    () -> TimeWindow.parse(bad, null, "actions[0].value"), bad);
            assertEquals("actions[0].value", e.field());
        }
    }
}
