package io.portcullis.av;

/**
 * One detection.
 *
 * @param signature signature name as in the database
 * @param category  category derived from the name ({@link ThreatCategory#of(String)})
 * @param database  database file the signature came from ({@code container/member} for .cvd members)
 * @param offset    start offset of the body match, or {@link #WHOLE_FILE} for a hash match
 */
public record Match(String signature, ThreatCategory category, String database, long offset) {
    /** Offset reported for whole-file hash matches. */
    public static final long WHOLE_FILE = -1;
}
