package io.portcullis.scanner.signatures;

/**
 * One database file of a signature bundle, held in memory. The name is data (validated: a flat file name with a
 * database extension); it is never used as a path.
 *
 * @param name    file name inside the bundle, e.g. {@code daily.ndb}
 * @param content file bytes
 */
public record BundleFile(String name, byte[] content) {
}
