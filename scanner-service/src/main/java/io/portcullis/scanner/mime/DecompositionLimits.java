package io.portcullis.scanner.mime;

import io.portcullis.scanner.config.ScannerConfig;
import java.time.Duration;

/**
 * Bounds of one message's decomposition. Exceeding any of them yields a finding (category FAILURE); the content
 * beyond a limit is never treated as clean.
 *
 * @param maxDepth          deepest item (1 for MIME parts, +1 per archive layer)
 * @param maxTotalBytes     decoded bytes of all parts and entries together
 * @param maxArchiveEntries archive entries of all archives together
 * @param maxItemBytes      decoded bytes of one part or entry
 * @param maxMimeParts      MIME entities (body parts and embedded messages)
 * @param maxHeaderCount    header fields per MIME entity
 * @param maxHeaderBytes    bytes of one header field, folded lines included
 * @param maxLineBytes      bytes of one line read by the MIME parser
 * @param maxRatio          highest expanded : compressed ratio of one archive entry
 * @param ratioMinBytes     entries expanding to at most this many bytes are never ratio findings
 * @param maxUnpackTime     time budget for unpacking the archives of one message
 */
public record DecompositionLimits(int maxDepth, long maxTotalBytes, int maxArchiveEntries, long maxItemBytes,
        int maxMimeParts, int maxHeaderCount, int maxHeaderBytes, int maxLineBytes, int maxRatio,
        long ratioMinBytes, Duration maxUnpackTime) {

    /** The documented defaults (same as ScannerConfig's). */
    public static final DecompositionLimits DEFAULTS = new DecompositionLimits(10, 100L * 1024 * 1024, 10_000,
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
        require("max-ratio", maxRatio >= 1, maxRatio);
        require("ratio-min-bytes", ratioMinBytes >= 0, ratioMinBytes);
        if (maxUnpackTime == null || maxUnpackTime.isNegative() || maxUnpackTime.isZero()) {
            throw new IllegalStateException("portcullis.scanner.limits.max-unpack-time must be positive: "
                    + maxUnpackTime);
        }
    }

    /** The size limits with the default IntelliTrap heuristics (ratio 100 beyond 64 KiB, 30 s). */
    public DecompositionLimits(int maxDepth, long maxTotalBytes, int maxArchiveEntries, long maxItemBytes,
            int maxMimeParts, int maxHeaderCount, int maxHeaderBytes, int maxLineBytes) {
        this(maxDepth, maxTotalBytes, maxArchiveEntries, maxItemBytes, maxMimeParts, maxHeaderCount, maxHeaderBytes,
                maxLineBytes, 100, 64 * 1024, Duration.ofSeconds(30));
    }

    /** A copy with another unpacking time budget. */
    public DecompositionLimits withMaxUnpackTime(Duration time) {
        return new DecompositionLimits(maxDepth, maxTotalBytes, maxArchiveEntries, maxItemBytes, maxMimeParts,
                maxHeaderCount, maxHeaderBytes, maxLineBytes, maxRatio, ratioMinBytes, time);
    }

    public static DecompositionLimits from(ScannerConfig.Limits c) {
        return new DecompositionLimits(c.maxDepth(), c.maxTotalBytes(), c.maxArchiveEntries(), c.maxItemBytes(),
                c.maxMimeParts(), c.maxHeaderCount(), c.maxHeaderBytes(), c.maxLineBytes(), c.maxRatio(),
                c.ratioMinBytes(), c.maxUnpackTime());
    }

    private static void require(String key, boolean ok, long value) {
        if (!ok) {
            throw new IllegalStateException("portcullis.scanner.limits." + key + " is out of range: " + value);
        }
    }
}
