package io.portcullis.scanner.mime;

/** Symbols the decomposer reports about the structure of a message (not about its content). */
public final class DecompositionSymbols {
    /** FAILURE: a MIME limit was exceeded (parts, header count/size, line length, part size); the rest was not scanned. */
    public static final String MIME_LIMIT = "MIME_LIMIT";
    /** FAILURE: the MIME parser could not continue; what followed the error was not scanned. */
    public static final String MIME_MALFORMED = "MIME_MALFORMED";
    /** CONTENT (score 0): the parser recovered from defects (missing end boundary, bad header line, bad base64). */
    public static final String MIME_DEFECT = "MIME_DEFECT";
    /** FAILURE: one archive entry is larger than the per-item limit; only its first bytes were scanned. */
    public static final String ARCHIVE_LIMIT = "ARCHIVE_LIMIT";
    /** FAILURE: archives nested deeper than the depth limit; the deeper layers were not unpacked. */
    public static final String ARCHIVE_DEPTH = "ARCHIVE_DEPTH";
    /**
     * FAILURE: more expanded bytes in the message than the total limit; unpacking stopped there. Also a PDF whose
     * object or cross-reference stream inflates beyond the structure-stream bound (a deflate bomb that PDFBox would
     * inflate into memory): that PDF is not unpacked at all.
     */
    public static final String ARCHIVE_EXPANDED = "ARCHIVE_EXPANDED";
    /** FAILURE: more archive entries in the message than the entry limit; the rest were not scanned. */
    public static final String ARCHIVE_ENTRIES = "ARCHIVE_ENTRIES";
    /** FAILURE: an entry's compression ratio is above the limit (and it expands beyond the ratio floor). */
    public static final String ARCHIVE_RATIO = "ARCHIVE_RATIO";
    /** FAILURE: zip entries whose local data ranges overlap (non-recursive zip bomb); not unpacked. */
    public static final String ARCHIVE_OVERLAP = "ARCHIVE_OVERLAP";
    /** FAILURE: a zip's local header and central directory disagree on an entry's name or sizes. */
    public static final String ARCHIVE_HEADER_MISMATCH = "ARCHIVE_HEADER_MISMATCH";
    /** FAILURE: data after the end of an archive, or archives back to back. */
    public static final String ARCHIVE_CONCATENATED = "ARCHIVE_CONCATENATED";
    /** FAILURE: the unpacking time budget of the message ran out; the rest was not unpacked. */
    public static final String ARCHIVE_TIME = "ARCHIVE_TIME";
    /**
     * FAILURE: a format or method without a decoder here (RAR, compressed ARJ, CAB LZX/Quantum, CHM, InstallShield,
     * NSIS zlib/bzip2, AutoIt, zip PPMd/LZMA...); its content was not scanned. The detail starts with the format.
     */
    public static final String ARCHIVE_UNSCANNABLE = "ARCHIVE_UNSCANNABLE";
    /**
     * FAILURE: an archive (or one of its entries), an Office document or a PDF is encrypted and could not be scanned.
     */
    public static final String ARCHIVE_ENCRYPTED = "ARCHIVE_ENCRYPTED";
    /** FAILURE: an archive (or one of its entries) is corrupt, truncated or uses an unsupported method. */
    public static final String ARCHIVE_CORRUPT = "ARCHIVE_CORRUPT";
    /** FAILURE: a file name with a deceptive extension before the real one ({@code invoice.pdf.exe}). */
    public static final String DOUBLE_EXTENSION = "DOUBLE_EXTENSION";

    private DecompositionSymbols() {
    }
}
