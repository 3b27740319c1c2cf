package io.portcullis.av;

/**
 * A body signature: an ndb line, or one subsignature of an ldb logical signature ({@code logical >= 0} is the index of
 * the owning {@link LogicalSignature}, {@code subsig} its subsignature number). {@code target} is recorded; this version
 * scans every target type over the raw bytes (type 0 semantics), see README.
 */
record BodySignature(String name, String database, int target, OffsetSpec offset, BodyPattern pattern,
                     int minFlevel, int maxFlevel, int logical, int subsig) {

    static BodySignature ndb(String name, String database, int target, OffsetSpec offset, BodyPattern pattern,
                             int minFlevel, int maxFlevel) {
        return new BodySignature(name, database, target, offset, pattern, minFlevel, maxFlevel, -1, 0);
    }
}
