package io.portcullis.scanner.storage;

/**
 * A body loaded for scanning.
 *
 * @param bytes     the bytes (at most the configured maximum)
 * @param truncated whether the body was longer than the maximum (only the first bytes were loaded)
 */
public record LoadedBody(byte[] bytes, boolean truncated) {
}
