package io.portcullis.av;

/**
 * An ndb body signature. {@code target} is recorded; this version scans every target type over the raw bytes
 * (type 0 semantics), see README.
 */
record BodySignature(String name, String database, int target, OffsetSpec offset, BodyPattern pattern,
                     int minFlevel, int maxFlevel) {
}
