package io.portcullis.policy.directory;

import java.util.Objects;

/**
 * What a directory look-up found. Failure is a value: an unreachable or failing directory is
 * {@link Outcome#UNAVAILABLE}, never {@link Outcome#NOT_FOUND}.
 *
 * @param outcome what happened
 * @param entry   the user when {@link Outcome#FOUND}, else null
 * @param problem why when {@link Outcome#UNAVAILABLE} or {@link Outcome#NOT_CONFIGURED}, else null
 */
public record LookupResult(Outcome outcome, DirectoryEntry entry, String problem) {

    public enum Outcome {
        /** The address belongs to a user (as primary address or alias). */
        FOUND,
        /** The directory answered: no user has this address. */
        NOT_FOUND,
        /** The directory could not be asked (down, timeout, bind failure, error result). */
        UNAVAILABLE,
        /** No directory is configured ({@code portcullis.policy.directory.enabled=false}). */
        NOT_CONFIGURED
    }

    public LookupResult {
        Objects.requireNonNull(outcome, "outcome");
    }

    public static LookupResult found(DirectoryEntry entry) {
        return new LookupResult(Outcome.FOUND, Objects.requireNonNull(entry, "entry"), null);
    }

    public static LookupResult notFound() {
        return new LookupResult(Outcome.NOT_FOUND, null, null);
    }

    public static LookupResult unavailable(String problem) {
        return new LookupResult(Outcome.UNAVAILABLE, null, problem);
    }

    public static LookupResult notConfigured() {
        return new LookupResult(Outcome.NOT_CONFIGURED, null, "directory not configured");
    }
}
