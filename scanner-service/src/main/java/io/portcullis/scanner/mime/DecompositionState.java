package io.portcullis.scanner.mime;

import io.portcullis.contracts.scan.Category;
import io.portcullis.contracts.scan.Finding;
import io.portcullis.contracts.scan.ScanItem;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** The items, findings and budgets of one decomposition (not thread-safe, one per message). */
final class DecompositionState {
    /** Findings kept per symbol; the rest are counted in one summary finding. */
    static final int MAX_FINDINGS_PER_SYMBOL = 20;
    private static final byte[] EMPTY = new byte[0];

    private final DecompositionLimits limits;
    private final List<ScanItem> items = new ArrayList<>();
    private final Map<String, String> charsets = new LinkedHashMap<>();
    private final List<Finding> findings = new ArrayList<>();
    private final Map<String, Integer> kept = new LinkedHashMap<>();
    private final Map<String, Integer> suppressed = new LinkedHashMap<>();
    private final Set<String> limitsReported = new HashSet<>();
    private long expandedBytes;
    private int archiveEntries;
    private int mimeParts;
    private final long deadlineNanos;
    private boolean timeUp;
    private boolean lastReadFailed;

    DecompositionState(DecompositionLimits limits) {
        this.limits = limits;
        this.deadlineNanos = System.nanoTime() + limits.maxUnpackTime().toNanos();
    }

    /**
     * Whether the unpacking time budget is spent (reported once as ARCHIVE_TIME); archive code stops when true.
     */
    boolean timeUp(String where) {
        if (!timeUp && System.nanoTime() - deadlineNanos > 0) {
            timeUp = true;
        }
        if (timeUp) {
            limit(DecompositionSymbols.ARCHIVE_TIME, "time", "unpacking took longer than "
                    + limits.maxUnpackTime() + "; stopped at " + where + ", the rest was not unpacked");
        }
        return timeUp;
    }

    /** Whether the last item read ended in an error (already reported). */
    boolean lastReadFailed() {
        return lastReadFailed;
    }

    /** Decoded bytes the message may still expand to. */
    long remainingBytes() {
        return Math.max(0, limits.maxTotalBytes() - expandedBytes);
    }

    /** Whether the total expansion budget is spent. */
    boolean expandedFull() {
        return expandedBytes >= limits.maxTotalBytes();
    }

    /** An entry's ratio check: a finding when it expands beyond the floor at more than the allowed ratio. */
    void checkRatio(String path, long expanded, long compressed) {
        if (expanded <= limits.ratioMinBytes() || compressed < 0) {
            return;
        }
        if (compressed == 0 || expanded > (double) compressed * limits.maxRatio()) {
            failure(DecompositionSymbols.ARCHIVE_RATIO, path + " expands " + expanded + " bytes from " + compressed
                    + " (more than " + limits.maxRatio() + ":1)");
        }
    }

    /**
     * Reads one archive entry like {@link #readItem}, with the unpacking time budget applied to the read: the
     * per-entry limit is ARCHIVE_LIMIT, the total ARCHIVE_EXPANDED, an unreadable entry ARCHIVE_CORRUPT.
     */
    ScanItem readEntry(String path, String filename, int depth, InputStream in) {
        return readItem(path, filename, null, depth, new TimedStream(in), DecompositionSymbols.ARCHIVE_LIMIT,
                DecompositionSymbols.ARCHIVE_EXPANDED, DecompositionSymbols.ARCHIVE_CORRUPT);
    }

    /** The time budget ran out during a read. */
    static final class UnpackTimeExceeded extends java.io.IOException {
        UnpackTimeExceeded() {
            super("unpacking time budget spent");
        }
    }

    /** Checks the deadline on every read, so one slow decoder cannot stall the worker. */
    private final class TimedStream extends java.io.FilterInputStream {
        TimedStream(InputStream in) {
            super(in);
        }

        private void check() throws UnpackTimeExceeded {
            if (timeUp || System.nanoTime() - deadlineNanos > 0) {
                throw new UnpackTimeExceeded();
            }
        }

        @Override
        public int read() throws java.io.IOException {
            check();
            return super.read();
        }

        @Override
        public int read(byte[] b, int off, int len) throws java.io.IOException {
            check();
            return super.read(b, off, len);
        }
    }

    DecompositionLimits limits() {
        return limits;
    }

    /** The raw message: never counted against the expansion budget. */
    void addRaw(byte[] raw) {
        items.add(new ScanItem("raw", null, "message/rfc822", 0, raw));
    }

    void failure(String symbol, String detail) {
        add(new Finding(symbol, Category.FAILURE, 0, detail));
    }

    void content(String symbol, String detail) {
        add(new Finding(symbol, Category.CONTENT, 0, detail));
    }

    /** Reports a limit once per kind (the first place it was hit). */
    void limit(String symbol, String kind, String detail) {
        if (limitsReported.add(symbol + "/" + kind)) {
            failure(symbol, detail);
        }
    }

    private void add(Finding finding) {
        int n = kept.merge(finding.symbol(), 1, Integer::sum);
        if (n <= MAX_FINDINGS_PER_SYMBOL) {
            findings.add(finding);
        } else {
            suppressed.merge(finding.symbol(), 1, Integer::sum);
        }
    }

    /** Counts one more MIME entity; false once the limit is passed. */
    boolean takeMimePart() {
        return ++mimeParts <= limits.maxMimeParts();
    }

    /** Counts one more archive entry; false once the limit is passed. */
    boolean takeArchiveEntry() {
        return ++archiveEntries <= limits.maxArchiveEntries();
    }

    long remainingEntries() {
        return Math.max(0, limits.maxArchiveEntries() - archiveEntries);
    }

    /** An item that only carries a name (encrypted entry, alternative file name): no content, no budget. */
    void addNameOnly(String path, String filename, String contentType, int depth) {
        items.add(new ScanItem(path, filename, contentType, depth, EMPTY));
    }

    /**
     * Reads one part or entry within the per-item and total budgets and adds it as an item (also when truncated or
     * partly unreadable, with a finding, so nothing beyond a limit passes as clean).
     *
     * @return the item added
     */
    ScanItem readItem(String path, String filename, String contentType, int depth, InputStream in,
            String limitSymbol, String unreadableSymbol) {
        return readItem(path, filename, contentType, depth, in, limitSymbol, limitSymbol, unreadableSymbol);
    }

    private ScanItem readItem(String path, String filename, String contentType, int depth, InputStream in,
            String limitSymbol, String totalSymbol, String unreadableSymbol) {
        long remaining = Math.max(0, limits.maxTotalBytes() - expandedBytes);
        long cap = Math.min(limits.maxItemBytes(), remaining);
        BoundedRead read = BoundedRead.of(in, cap);
        if (read.exceeded()) {
            if (cap == limits.maxItemBytes()) {
                limit(limitSymbol, "item-bytes", path + " is larger than " + limits.maxItemBytes()
                        + " bytes; only the first " + limits.maxItemBytes() + " were scanned");
            } else {
                limit(totalSymbol, "total-bytes", "more than " + limits.maxTotalBytes()
                        + " decoded bytes in all; scanning stopped at " + path);
            }
        }
        lastReadFailed = read.error() != null;
        if (read.error() instanceof UnpackTimeExceeded) {
            timeUp(path);
        } else if (read.error() instanceof org.apache.commons.compress.PasswordRequiredException) {
            failure(DecompositionSymbols.ARCHIVE_ENCRYPTED, "encrypted entry " + path);
        } else if (read.error() != null) {
            failure(unreadableSymbol, path + " could not be read completely (" + read.error().getClass().getSimpleName()
                    + ")");
        }
        ScanItem item = new ScanItem(path, filename, contentType, depth, read.bytes());
        items.add(item);
        expandedBytes += read.bytes().length;
        return item;
    }

    /** Records the charset a MIME part's Content-Type declares (first declaration of a path wins). */
    void declareCharset(String path, String charset) {
        if (charset != null && !charset.isBlank() && charsets.size() < limits.maxMimeParts()) {
            charsets.putIfAbsent(path, charset.trim());
        }
    }

    Map<String, String> charsets() {
        return charsets;
    }

    List<ScanItem> items() {
        return items;
    }

    List<Finding> findings() {
        List<Finding> all = new ArrayList<>(findings);
        suppressed.forEach((symbol, count) -> {
            Category category = findings.stream().filter(f -> f.symbol().equals(symbol)).findFirst()
                    .map(Finding::category).orElse(Category.FAILURE);
            all.add(new Finding(symbol, category, 0, count + " more " + symbol + " findings not listed"));
        });
        return all;
    }
}
