package io.portcullis.spam.rules;

import java.util.List;

/**
 * Numbers the parser computes about a message, usable in {@code meta} expressions by their lower-case names. Each is
 * a count (0 when absent); flags are 0 or 1.
 */
public final class MessageFacts {
    /** Fact names, in index order. */
    public static final List<String> NAMES = List.of(
            "text_parts",            // text/plain parts
            "html_parts",            // text/html parts
            "html_only",             // 1 when there is HTML and no text/plain part
            "attachments",           // parts that are not text/plain or text/html, or carry a file name
            "body_chars",            // characters of body text (text parts plus rendered HTML, without the Subject)
            "html_text_chars",       // characters of text rendered from the HTML parts
            "html_images",           // <img> elements
            "html_invisible_chars",  // characters of text inside display:none, visibility:hidden or font-size:0/1px
            "html_link_mismatch",    // links whose visible text is a URL or domain on another domain than the href
            "uri_count",             // distinct URIs collected (bounded by the limits)
            "mime_error",            // 1 when MIME did not parse and the body was read as raw text
            "partial");              // 1 when a size limit cut something off

    static final int TEXT_PARTS = 0;
    static final int HTML_PARTS = 1;
    static final int HTML_ONLY = 2;
    static final int ATTACHMENTS = 3;
    static final int BODY_CHARS = 4;
    static final int HTML_TEXT_CHARS = 5;
    static final int HTML_IMAGES = 6;
    static final int HTML_INVISIBLE_CHARS = 7;
    static final int HTML_LINK_MISMATCH = 8;
    static final int URI_COUNT = 9;
    static final int MIME_ERROR = 10;
    static final int PARTIAL = 11;

    private MessageFacts() {
    }

    /** Index of a fact, or -1. */
    public static int index(String name) {
        return NAMES.indexOf(name);
    }
}
