package io.portcullis.av;

/** An ldb logical signature: its subsignatures are {@link BodySignature}s with {@code logical} pointing here. */
record LogicalSignature(String name, String database, int target, LogicalExpression expression, int subsignatures) {
}
