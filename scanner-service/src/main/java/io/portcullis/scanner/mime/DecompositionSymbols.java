package io.portcullis.scanner.mime;

/** Symbols the decomposer reports about the structure of a message (not about its content). */
public final class DecompositionSymbols {
    /** FAILURE: a MIME limit was exceeded (parts, header count/size, line length, part size); the rest was not scanned. */
    public static final String MIME_LIMIT = "MIME_LIMIT";
    /** FAILURE: the MIME parser could not continue; what followed the error was not scanned. */
    public static final String MIME_MALFORMED = "MIME_MALFORMED";
    /** CONTENT (score 0): the parser recovered from defects (missing end boundary, bad header line, bad base64). */
    public static final String MIME_DEFECT = "MIME_DEFECT";
    /** FAILURE: an archive limit was exceeded (depth, entries, total or per-entry bytes). */
    public static final String ARCHIVE_LIMIT = "ARCHIVE_LIMIT";
    /** FAILURE: an archive entry is encrypted and could not be scanned. */
    public static final String ARCHIVE_ENCRYPTED = "ARCHIVE_ENCRYPTED";
    /** FAILURE: an archive (or one of its entries) is corrupt, truncated or uses an unsupported method. */
    public static final String ARCHIVE_CORRUPT = "ARCHIVE_CORRUPT";

    private DecompositionSymbols() {
    }
}
