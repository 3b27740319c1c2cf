package io.portcullis.quarantine.user;

import org.jsoup.Jsoup;
import org.jsoup.nodes.Document;
import org.jsoup.safety.Safelist;

/**
 * Turns a message's HTML into inert HTML with jsoup's {@link Safelist}: text structure, tables and links only. No
 * scripts, event handlers, styles (so no CSS expressions), images (so no remote images or tracking pixels), forms,
 * frames, SVG or MathML; links only to http, https and mailto and with {@code rel="noopener noreferrer nofollow"}.
 * admin-api serves the result with a Content-Security-Policy that would block all of those anyway.
 */
public final class HtmlSanitizer {
    private static final Safelist SAFELIST = Safelist.relaxed()
            .removeTags("img")
            .removeProtocols("a", "href", "ftp")
            .addEnforcedAttribute("a", "rel", "noopener noreferrer nofollow");

    private HtmlSanitizer() {
    }

    /** @return the sanitised body fragment, cut at {@code maxChars} characters of input */
    public static String sanitize(String html, int maxChars) {
        if (html == null || html.isEmpty()) {
            return "";
        }
        String input = html.length() > maxChars ? html.substring(0, maxChars) : html;
        Document.OutputSettings output = new Document.OutputSettings().prettyPrint(false);
        return Jsoup.clean(input, "", SAFELIST, output);
    }

    /** The visible text of an HTML body (for a message without a text/plain part). */
    public static String text(String html, int maxChars) {
        if (html == null || html.isEmpty()) {
            return "";
        }
        String input = html.length() > maxChars ? html.substring(0, maxChars) : html;
        Document document = Jsoup.parse(input);
        document.select("script, style, noscript, template").remove();
        return document.wholeText().strip();
    }
}
