package io.portcullis.quarantine.digest;

import java.time.Duration;
import java.util.Locale;
import java.util.Optional;

/** How often a user gets a digest. */
public enum DigestSchedule {
    OFF(null), DAILY(Duration.ofDays(1)), WEEKLY(Duration.ofDays(7));

    private final Duration every;

    DigestSchedule(Duration every) {
        this.every = every;
    }

    /** Null for OFF. */
    public Duration every() {
        return every;
    }

    public String code() {
        return name().toLowerCase(Locale.ROOT);
    }

    public static Optional<DigestSchedule> of(String code) {
        if (code == null) {
            return Optional.empty();
        }
        for (DigestSchedule s : values()) {
            if (s.code().equals(code.strip().toLowerCase(Locale.ROOT))) {
                return Optional.of(s);
            }
        }
        return Optional.empty();
    }
}
