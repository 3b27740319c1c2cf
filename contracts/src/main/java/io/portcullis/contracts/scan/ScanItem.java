package io.portcullis.contracts.scan;

/**
 * One decoded piece of a message an engine may look at: the raw message, a MIME part body, or an archive entry.
 *
 * @param path        where it is, e.g. {@code raw}, {@code part/2}, {@code part/2/zip:dir/a.exe}
 * @param filename    the file name the part or entry carries, or null
 * @param contentType the declared MIME type, or null
 * @param depth       0 for the raw message, 1 for MIME parts, +1 per archive layer
 * @param content     the decoded bytes (bounded by the scanner's limits)
 */
public record ScanItem(String path, String filename, String contentType, int depth, byte[] content) {
}
