package io.portcullis.scanner.mime;

import io.portcullis.scanner.config.ScannerConfig;

/**
 * Bounds of one message's decomposition. Exceeding any of them yields a limit finding (category FAILURE); the
 * content beyond a limit is never treated as clean.
 *
 * @param maxDepth          deepest item (1 for MIME parts, +1 per archive layer)
 * @param maxTotalBytes     decoded bytes of all parts and entries together
 * @param maxArchiveEntries archive entries of all archives together
 * @param maxItemBytes      decoded bytes of one part or entry
 * @param maxMimeParts      MIME entities (body parts and embedded messages)
 * @param maxHeaderCount    header fields per MIME entity
 * @param maxHeaderBytes    bytes of one header field, folded lines included
 * @param maxLineBytes      bytes of one line read by the MIME parser
 */
public record DecompositionLimits(int maxDepth, long maxTotalBytes, int maxArchiveEntries, long maxItemBytes,
        int maxMimeParts, int maxHeaderCount, int maxHeaderBytes, int maxLineBytes) {

    /** The documented defaults (same as ScannerConfig's). */
    public static final DecompositionLimits DEFAULTS = new DecompositionLimits(5, 50L * 1024 * 1024, 1000,
            25L * 1024 * 1024, 1000, 1000, 65536, 65536);

    public DecompositionLimits {
        require("max-depth", maxDepth >= 1, maxDepth);
        require("max-total-bytes", maxTotalBytes > 0, maxTotalBytes);
        require("max-archive-entries", maxArchiveEntries > 0, maxArchiveEntries);
        require("max-item-bytes", maxItemBytes > 0 && maxItemBytes < Integer.MAX_VALUE - 16, maxItemBytes);
        require("max-mime-parts", maxMimeParts > 0, maxMimeParts);
        require("max-header-count", maxHeaderCount > 0, maxHeaderCount);
        require("max-header-bytes", maxHeaderBytes > 0, maxHeaderBytes);
        require("max-line-bytes", maxLineBytes > 0, maxLineBytes);
    }

    public static DecompositionLimits from(ScannerConfig.Limits c) {
        return new DecompositionLimits(c.maxDepth(), c.maxTotalBytes(), c.maxArchiveEntries(), c.maxItemBytes(),
                c.maxMimeParts(), c.maxHeaderCount(), c.maxHeaderBytes(), c.maxLineBytes());
    }

    private static void require(String key, boolean ok, long value) {
        if (!ok) {
            throw new IllegalStateException("portcullis.scanner.limits." + key + " is out of range: " + value);
        }
    }
}
