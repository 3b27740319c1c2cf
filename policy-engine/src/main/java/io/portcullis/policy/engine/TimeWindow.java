package io.portcullis.policy.engine;

import java.time.DateTimeException;
import java.time.DayOfWeek;
import java.time.Instant;
import java.time.LocalTime;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.time.temporal.ChronoUnit;
import java.util.EnumSet;
import java.util.Locale;
import java.util.Set;

/**
 * A weekly time window: {@code [DAYS] [HH:MM-HH:MM] [ZONE]}, e.g. {@code Mon-Fri 08:00-18:00},
 * {@code Sat,Sun}, {@code 22:00-06:00 Europe/Berlin}. Days are names (Mon..Sun), lists and ranges (Fri-Mon wraps);
 * no days means every day, no times means the whole day. A time range that ends before it starts runs past midnight
 * and belongs to the day it starts on. The zone is an IANA id or an offset (default UTC, or the default given).
 */
public final class TimeWindow {
    private static final String[] DAYS = {"mon", "tue", "wed", "thu", "fri", "sat", "sun"};

    private final Set<DayOfWeek> days;
    private final LocalTime start;
    private final LocalTime end;
    private final ZoneId zone;
    private final String text;

    private TimeWindow(Set<DayOfWeek> days, LocalTime start, LocalTime end, ZoneId zone, String text) {
        this.days = days;
        this.start = start;
        this.end = end;
        this.zone = zone;
        this.text = text;
    }

    /** Parses a window; {@code defaultZone} applies when the text names none (null = UTC). */
    public static TimeWindow parse(String text, String defaultZone, String field) {
        if (text == null || text.isBlank()) {
            throw new PolicyValidationException(field, "empty time window");
        }
        if (text.length() > 200) {
            throw new PolicyValidationException(field, "time window longer than 200 characters");
        }
        Set<DayOfWeek> days = EnumSet.noneOf(DayOfWeek.class);
        LocalTime start = LocalTime.MIDNIGHT;
        LocalTime end = LocalTime.MIDNIGHT;
        ZoneId zone = null;
        boolean sawDays = false;
        boolean sawTime = false;
        for (String part : text.strip().split("\\s+")) {
            if (!sawTime && !sawDays && zone == null && isDays(part)) {
                sawDays = true;
                for (String item : part.split(",")) {
                    days.addAll(dayRange(item, field));
                }
            } else if (!sawTime && zone == null && part.matches("\\d{1,2}:\\d{2}-\\d{1,2}:\\d{2}")) {
                sawTime = true;
                String[] se = part.split("-");
                start = time(se[0], field);
                end = time(se[1], field);
                if (start.equals(end)) {
                    throw new PolicyValidationException(field, "time range '" + part + "' is empty");
                }
            } else if (zone == null) {
                try {
                    zone = ZoneId.of(part);
                } catch (DateTimeException e) {
                    throw new PolicyValidationException(field, "'" + part + "' is not a day list (Mon-Fri), a time "
                            + "range (08:00-18:00) or a time zone (Europe/Berlin, UTC, +02:00)");
                }
            } else {
                throw new PolicyValidationException(field, "unexpected '" + part + "' after the time zone");
            }
        }
        if (!sawDays && !sawTime) {
            throw new PolicyValidationException(field, "a time window needs days, a time range or both");
        }
        if (zone == null) {
            try {
                zone = defaultZone == null || defaultZone.isBlank() ? ZoneId.of("UTC") : ZoneId.of(defaultZone);
            } catch (DateTimeException e) {
                throw new PolicyValidationException(field, "'" + defaultZone + "' is not a time zone");
            }
        }
        return new TimeWindow(sawDays ? days : EnumSet.allOf(DayOfWeek.class), start, end, zone, text.strip());
    }

    private static boolean isDays(String part) {
        for (String item : part.split(",")) {
            for (String d : item.split("-")) {
                if (dayIndex(d) < 0) {
                    return false;
                }
            }
        }
        return true;
    }

    private static int dayIndex(String d) {
        String l = d.toLowerCase(Locale.ROOT);
        for (int i = 0; i < DAYS.length; i++) {
            if (l.length() >= 3 && DAYS[i].equals(l.substring(0, 3))
                    && DayOfWeek.of(i + 1).name().toLowerCase(Locale.ROOT).startsWith(l)) {
                return i;
            }
        }
        return -1;
    }

    private static Set<DayOfWeek> dayRange(String item, String field) {
        String[] ends = item.split("-");
        if (ends.length > 2 || ends.length == 0) {
            throw new PolicyValidationException(field, "'" + item + "' is not a day or a day range");
        }
        int a = dayIndex(ends[0]);
        int b = ends.length == 2 ? dayIndex(ends[1]) : a;
        Set<DayOfWeek> out = EnumSet.noneOf(DayOfWeek.class);
        for (int i = a; ; i = (i + 1) % 7) {
            out.add(DayOfWeek.of(i + 1));
            if (i == b) {
                return out;
            }
        }
    }

    private static LocalTime time(String hhmm, String field) {
        String[] p = hhmm.split(":");
        int h = Integer.parseInt(p[0]);
        int m = Integer.parseInt(p[1]);
        if (h > 24 || m > 59 || h == 24 && m != 0) {
            throw new PolicyValidationException(field, "'" + hhmm + "' is not a time of day");
        }
        return h == 24 ? LocalTime.MIDNIGHT : LocalTime.of(h, m);
    }

    /** Whether the instant falls in the window. */
    public boolean contains(Instant at) {
        ZonedDateTime t = at.atZone(zone);
        LocalTime time = t.toLocalTime();
        boolean wraps = !end.isAfter(start); // runs past midnight (also 00:00-00:00 = whole day)
        if (!wraps) {
            return days.contains(t.getDayOfWeek()) && !time.isBefore(start) && time.isBefore(end);
        }
        if (!time.isBefore(start)) {
            return days.contains(t.getDayOfWeek());
        }
        return time.isBefore(end) && days.contains(t.getDayOfWeek().minus(1));
    }

    /** The first instant at or after {@code from} that is in the window (within the next 8 days). */
    public Instant nextOpening(Instant from) {
        if (contains(from)) {
            return from;
        }
        ZonedDateTime t = from.atZone(zone).truncatedTo(ChronoUnit.DAYS);
        for (int d = 0; d <= 8; d++) {
            ZonedDateTime day = t.plusDays(d);
            if (days.contains(day.getDayOfWeek())) {
                ZonedDateTime open = day.with(start);
                if (!open.toInstant().isBefore(from)) {
                    return open.toInstant();
                }
            }
        }
        throw new IllegalStateException("no opening within 8 days: " + text); // can't happen: days is never empty
    }

    @Override
    public String toString() {
        return text;
    }
}
