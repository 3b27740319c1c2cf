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
            "partial",               // 1 when a size limit cut something off
            "shouting_words");       // longest run of words in capitals on one line (see shoutingWords)

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
    static final int SHOUTING_WORDS = 12;

    private MessageFacts() {
    }

    /**
     * The longest run of "shouted" words in {@code text}: a shouted word is a whole ASCII word ({@code [0-9A-Za-z_]+},
     * as regex {@code \b} sees words) made only of 3 or more capitals A-Z; two shouted words are in one run when 1 to
     * 3 characters (code points), none of them a-z or a line break, separate them. {@code shouting_words >= n} holds
     * exactly when {@code (?:\b[A-Z]{3,}\b[^a-z\n]{0,3}){n}} matches somewhere (a test checks this against RE2/J),
     * in one linear pass instead of a pattern without a literal to look for first.
     */
    static int shoutingWords(CharSequence text) {
        int best = 0;
        int run = 0;
        int lastEnd = -1; // end of the previous shouted word, -1 when none can continue
        int n = text.length();
        int i = 0;
        while (i < n) {
            char c = text.charAt(i);
            if (!isWordChar(c)) {
                i++;
                continue;
            }
            int start = i;
            boolean capitals = true;
            while (i < n && isWordChar(text.charAt(i))) {
                char w = text.charAt(i);
                capitals &= w >= 'A' && w <= 'Z';
                i++;
            }
            if (!capitals || i - start < 3) {
                continue;
            }
            run = lastEnd >= 0 && joins(text, lastEnd, start) ? run + 1 : 1;
            best = Math.max(best, run);
            lastEnd = i;
        }
        return best;
    }

    /** Whether the gap between two shouted words is 1 to 3 code points with no a-z and no line break. */
    private static boolean joins(CharSequence text, int from, int to) {
        if (to - from > 6) {
            return false; // more than 3 code points even if every one is a surrogate pair
        }
        int points = 0;
        for (int i = from; i < to; i++) {
            char c = text.charAt(i);
            if (c >= 'a' && c <= 'z' || c == '\n') {
                return false;
            }
            if (!(Character.isLowSurrogate(c) && i > from && Character.isHighSurrogate(text.charAt(i - 1)))) {
                points++;
            }
        }
        return points >= 1 && points <= 3;
    }

    private static boolean isWordChar(char c) {
        return c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c == '_';
    }

    /** Index of a fact, or -1. */
    public static int index(String name) {
        return NAMES.indexOf(name);
    }
}
