package io.portcullis.scanner.engine;

import io.portcullis.contracts.scan.Category;
import io.portcullis.contracts.scan.EngineResult;
import io.portcullis.contracts.scan.Finding;
import io.portcullis.contracts.scan.ScanEngine;
import io.portcullis.contracts.scan.ScanInput;
import io.portcullis.contracts.scan.ScanItem;
import io.portcullis.scanner.config.ScannerConfig;
import io.portcullis.scanner.mime.FileNames;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Pattern;
import org.jsoup.Jsoup;
import org.jsoup.nodes.Attribute;
import org.jsoup.nodes.Document;
import org.jsoup.nodes.Element;

/**
 * Active content in HTML: text/html parts and HTML, HTA and SVG files (by name, declared type or sniffed bytes),
 * parsed with jsoup up to {@code portcullis.scanner.active-content.html-max-bytes} (HTML_LIMIT, FAILURE, beyond).
 *
 * <ul>
 *   <li>CONTENT: HTML_SCRIPT (script elements, event-handler attributes, {@code javascript:} URLs in a message body),
 *       HTML_IFRAME (iframe and frame elements), HTML_FORM (forms; the detail notes password fields and actions that
 *       post to another site)</li>
 *   <li>ACTIVE_CONTENT: HTML_ACTIVEX (object/embed with a classid, an ActiveX/OLE or Flash type, a .cab/.ocx
 *       codebase), HTML_APPLET (applet, Java object/embed types), HTML_SMUGGLING (a script that builds a Blob or File
 *       and triggers a download, a script that decodes a large base64 payload, a data: link with a download attribute
 *       or a non-displayable type), HTML_ATTACHMENT_SCRIPT (an HTML/HTA/SVG attachment with any script: it runs when
 *       opened in a browser)</li>
 * </ul>
 * A body is a text/html MIME part without a file name; everything else (named parts, archive entries, sniffed HTML)
 * is an attachment. Details give counts and the part path, never content. An item the parser fails on is an
 * HTML_FAIL finding (FAILURE) of its own; the other items are still reported.
 */
@ApplicationScoped
public class HtmlActiveContentEngine implements ScanEngine {
    public static final String SCRIPT = "HTML_SCRIPT";
    public static final String IFRAME = "HTML_IFRAME";
    public static final String FORM = "HTML_FORM";
    public static final String ACTIVEX = "HTML_ACTIVEX";
    public static final String APPLET = "HTML_APPLET";
    public static final String SMUGGLING = "HTML_SMUGGLING";
    public static final String ATTACHMENT_SCRIPT = "HTML_ATTACHMENT_SCRIPT";
    public static final String LIMIT = "HTML_LIMIT";
    public static final String FAILURE_SYMBOL = "HTML_FAIL";
    /** A base64 run in a script at least this long is a payload, not data. */
    static final int LARGE_BASE64 = 4096;
    /** Script text collected per item for the smuggling checks. */
    static final int MAX_SCRIPT_CHARS = 8 << 20;

    private static final Set<String> HTML_EXTENSIONS = Set.of("htm", "html", "xhtml", "shtml", "hta", "svg", "svgz",
            "mht", "mhtml", "xht");
    private static final Set<String> HTML_TYPES = Set.of("text/html", "application/xhtml+xml", "image/svg+xml",
            "application/hta", "text/x-component");
    private static final List<String> SNIFF_PREFIXES = List.of("<!doctype html", "<html", "<svg", "<script", "<head",
            "<body", "<hta:", "<iframe", "<object", "<embed", "<applet", "<form", "<meta", "<a ");
    private static final Set<String> ACTIVEX_TYPES = Set.of("application/x-oleobject", "application/olescript",
            "application/x-shockwave-flash", "application/futuresplash", "application/x-silverlight",
            "application/x-silverlight-2", "application/x-ms-wmp", "application/x-mplayer2");
    private static final Set<String> JAVA_CLSIDS = Set.of("8ad9c840-044e-11d1-b3e9-00805f499d93");
    private static final Pattern BLOB = Pattern.compile("\\b(?:Blob|File)\\s*\\(");
    private static final Pattern DOWNLOAD = Pattern.compile(
            "createObjectURL|msSaveOrOpenBlob|msSaveBlob|\\.download\\s*=|setAttribute\\s*\\(\\s*['\"]download");
    private static final Pattern DECODE = Pattern.compile("\\batob\\s*\\(|\\bbase64ToArrayBuffer|Uint8Array");
    /** Characters (script chars or elements) between two interrupt checks. */
    private static final int CHECK_EVERY = 1 << 16;

    private final int maxBytes;

    @Inject
    public HtmlActiveContentEngine(ScannerConfig config) {
        this(config.scanner().activeContent().htmlMaxBytes());
    }

    public HtmlActiveContentEngine(int maxBytes) {
        if (maxBytes <= 0) {
            throw new IllegalStateException("portcullis.scanner.active-content.html-max-bytes must be positive");
        }
        this.maxBytes = maxBytes;
    }

    @Override
    public String name() {
        return "html-active-content";
    }

    @Override
    public String failureSymbol() {
        return FAILURE_SYMBOL;
    }

    @Override
    public EngineResult scan(ScanInput input) throws InterruptedException {
        List<Finding> findings = new ArrayList<>();
        for (ScanItem item : input.items()) {
            checkInterrupt();
            byte[] content = item.content();
            if (item.depth() == 0 || content == null || content.length == 0 || !isHtml(item)) {
                continue;
            }
            boolean body = item.depth() == 1 && item.filename() == null && item.contentType() != null
                    && item.contentType().toLowerCase(Locale.ROOT).startsWith("text/html");
            int n = Math.min(content.length, maxBytes);
            if (content.length > maxBytes) {
                findings.add(new Finding(LIMIT, Category.FAILURE, 0, "HTML in " + item.path() + " is "
                        + content.length + " bytes; only the first " + maxBytes + " were inspected"));
            }
            try {
                Document doc = Jsoup.parse(new ByteArrayInputStream(content, 0, n), null, "");
                inspect(doc, item.path(), body, findings);
            } catch (IOException | RuntimeException | StackOverflowError e) {
                findings.add(new Finding(FAILURE_SYMBOL, Category.FAILURE, 0, "HTML in " + item.path()
                        + " could not be inspected (" + e.getClass().getSimpleName() + ")"));
            }
        }
        return EngineResult.ok(name(), findings);
    }

    /** By file name, declared type, or the first bytes looking like markup. */
    static boolean isHtml(ScanItem item) {
        if (HTML_EXTENSIONS.contains(FileNames.lastExtension(item.filename()))) {
            return true;
        }
        String type = item.contentType() == null ? "" : item.contentType().toLowerCase(Locale.ROOT);
        if (HTML_TYPES.contains(type)) {
            return true;
        }
        if (type.startsWith("image/") || type.startsWith("audio/") || type.startsWith("video/")) {
            return false;
        }
        return sniff(item.content());
    }

    private static boolean sniff(byte[] b) {
        int i = 0;
        int end = Math.min(b.length, 1024);
        if (end >= 3 && (b[0] & 0xFF) == 0xEF && (b[1] & 0xFF) == 0xBB && (b[2] & 0xFF) == 0xBF) {
            i = 3;
        }
        while (i < end && (b[i] == ' ' || b[i] == '\t' || b[i] == '\r' || b[i] == '\n')) {
            i++;
        }
        String head = new String(b, i, Math.min(end - i, 512), StandardCharsets.ISO_8859_1).toLowerCase(Locale.ROOT);
        if (head.startsWith("<?xml")) {
            return head.contains("<svg") || head.contains("<html");
        }
        if (head.startsWith("<!--")) {
            return head.contains("<html") || head.contains("<script") || head.contains("<svg");
        }
        for (String prefix : SNIFF_PREFIXES) {
            if (head.startsWith(prefix)) {
                return true;
            }
        }
        return false;
    }

    private static void inspect(Document doc, String path, boolean body, List<Finding> findings)
            throws InterruptedException {
        int scripts = 0;
        int handlers = 0;
        int jsUrls = 0;
        int frames = 0;
        int forms = 0;
        boolean password = false;
        boolean external = false;
        List<String> activeX = new ArrayList<>();
        List<String> applets = new ArrayList<>();
        List<String> smuggling = new ArrayList<>();
        StringBuilder script = new StringBuilder();
        int elements = 0;
        for (Element e : doc.getAllElements()) {
            if (++elements % CHECK_EVERY == 0) {
                checkInterrupt();
            }
            String tag = e.normalName();
            int colon = tag.indexOf(':');
            if (colon >= 0) {
                tag = tag.substring(colon + 1);
            }
            for (Attribute a : e.attributes()) {
                String key = a.getKey().toLowerCase(Locale.ROOT);
                String value = a.getValue();
                if (key.length() > 2 && key.startsWith("on")) {
                    handlers++;
                    append(script, value);
                } else if (value.trim().toLowerCase(Locale.ROOT).startsWith("javascript:")) {
                    jsUrls++;
                    append(script, value);
                }
            }
            switch (tag) {
                case "script" -> {
                    scripts++;
                    append(script, e.data().isEmpty() ? e.wholeText() : e.data());
                }
                case "iframe", "frame" -> frames++;
                case "form" -> {
                    forms++;
                    String action = e.attr("action").trim().toLowerCase(Locale.ROOT);
                    external |= action.startsWith("http:") || action.startsWith("https:") || action.startsWith("//");
                    password |= !e.select("input[type=password]").isEmpty();
                }
                case "applet" -> applets.add("applet element");
                case "object", "embed" -> plugin(e, tag, activeX, applets);
                case "a", "area" -> dataLink(e, smuggling);
                default -> {
                }
            }
        }
        smugglingScript(script, smuggling);
        if (scripts + handlers + jsUrls > 0) {
            String counts = counts(scripts, "script element", handlers, "event handler", jsUrls, "javascript: URL");
            if (body) {
                findings.add(new Finding(SCRIPT, Category.CONTENT, 0, counts + " in " + path));
            } else {
                findings.add(new Finding(ATTACHMENT_SCRIPT, Category.ACTIVE_CONTENT, 0,
                        "script in HTML attachment " + path + " (" + counts + ")"));
            }
        }
        if (frames > 0) {
            findings.add(new Finding(IFRAME, Category.CONTENT, 0, frames + " iframe/frame element"
                    + (frames > 1 ? "s" : "") + " in " + path));
        }
        if (forms > 0) {
            List<String> notes = new ArrayList<>();
            if (password) {
                notes.add("password field");
            }
            if (external) {
                notes.add("posts to another site");
            }
            findings.add(new Finding(FORM, Category.CONTENT, 0, forms + " form" + (forms > 1 ? "s" : "") + " in "
                    + path + (notes.isEmpty() ? "" : " (" + String.join(", ", notes) + ")")));
        }
        if (!activeX.isEmpty()) {
            findings.add(new Finding(ACTIVEX, Category.ACTIVE_CONTENT, 0, summary(activeX) + " in " + path));
        }
        if (!applets.isEmpty()) {
            findings.add(new Finding(APPLET, Category.ACTIVE_CONTENT, 0, summary(applets) + " in " + path));
        }
        if (!smuggling.isEmpty()) {
            findings.add(new Finding(SMUGGLING, Category.ACTIVE_CONTENT, 0, summary(smuggling) + " in " + path));
        }
    }

    /** object/embed: Java applets by class id or type, everything else with a class id or plug-in type is ActiveX. */
    private static void plugin(Element e, String tag, List<String> activeX, List<String> applets) {
        String classid = e.attr("classid").trim().toLowerCase(Locale.ROOT);
        String type = (e.attr("type") + " " + e.attr("codetype")).trim().toLowerCase(Locale.ROOT);
        String codebase = e.attr("codebase").toLowerCase(Locale.ROOT);
        String src = (e.attr("src") + " " + e.attr("data")).toLowerCase(Locale.ROOT);
        boolean java = classid.startsWith("java:") || type.contains("application/x-java") || type.contains(
                "application/java") || JAVA_CLSIDS.stream().anyMatch(classid::contains)
                || classid.contains("cafeefac-") || src.contains(".jar") || src.contains(".class");
        if (java) {
            applets.add("Java " + tag);
            return;
        }
        if (!classid.isEmpty()) {
            activeX.add(tag + " with classid");
        } else if (ACTIVEX_TYPES.stream().anyMatch(type::contains)) {
            activeX.add(tag + " of type " + ACTIVEX_TYPES.stream().filter(type::contains).findFirst().orElse(""));
        } else if (codebase.contains(".cab") || codebase.contains(".ocx") || src.contains(".ocx")
                || src.contains(".swf")) {
            activeX.add(tag + " loading a control");
        }
    }

    /** A link whose target is a data: URI that the browser saves rather than shows. */
    private static void dataLink(Element e, List<String> smuggling) {
        String href = e.attr("href").trim().toLowerCase(Locale.ROOT);
        if (href.startsWith("data:")) {
            String type = href.substring(5, indexOrEnd(href, 5)).trim();
            if (e.hasAttr("download")) {
                smuggling.add("data: link with a download attribute");
            } else if (!type.isEmpty() && !type.startsWith("image/") && !type.startsWith("text/")) {
                smuggling.add("data: link of type " + clip(type));
            }
        } else if (href.startsWith("blob:") && e.hasAttr("download")) {
            smuggling.add("blob: link with a download attribute");
        }
    }

    private static void smugglingScript(CharSequence script, List<String> smuggling) throws InterruptedException {
        if (script.length() == 0) {
            return;
        }
        if (BLOB.matcher(script).find() && DOWNLOAD.matcher(script).find()) {
            smuggling.add("script builds a Blob or File and triggers a download");
        }
        if (DECODE.matcher(script).find()) {
            int longest = longestBase64Run(script);
            if (longest > 0) {
                smuggling.add("script decodes a base64 payload of " + (longest * 3 / 4 / 1024) + " KiB");
            }
        }
    }

    /**
     * The length of the longest run of at least {@link #LARGE_BASE64} base64 characters ({@code A-Za-z0-9+/}), with
     * up to two {@code =} after it, or 0. One pass over {@code s} (a regular expression with {@code find()} retried
     * every start inside every shorter run: quadratic, and deaf to interrupts), checking for an interrupt as it goes.
     */
    static int longestBase64Run(CharSequence s) throws InterruptedException {
        int longest = 0;
        int run = 0;
        int n = s.length();
        for (int i = 0; i < n; i++) {
            if (i % CHECK_EVERY == 0) {
                checkInterrupt();
            }
            char c = s.charAt(i);
            if (c >= 'A' && c <= 'Z' || c >= 'a' && c <= 'z' || c >= '0' && c <= '9' || c == '+' || c == '/') {
                run++;
                continue;
            }
            if (run >= LARGE_BASE64) {
                int pad = 0;
                while (pad < 2 && i + pad < n && s.charAt(i + pad) == '=') {
                    pad++;
                }
                longest = Math.max(longest, run + pad);
            }
            run = 0;
        }
        return run >= LARGE_BASE64 ? Math.max(longest, run) : longest;
    }

    private static void checkInterrupt() throws InterruptedException {
        if (Thread.interrupted()) {
            throw new InterruptedException("HTML engine cancelled");
        }
    }

    private static void append(StringBuilder script, String text) {
        if (script.length() < MAX_SCRIPT_CHARS && text != null) {
            script.append(text, 0, Math.min(text.length(), MAX_SCRIPT_CHARS - script.length())).append('\n');
        }
    }

    private static int indexOrEnd(String s, int from) {
        for (int i = from; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c == ';' || c == ',') {
                return i;
            }
        }
        return s.length();
    }

    private static String clip(String s) {
        String t = s.replaceAll("[^a-z0-9./+-]", "");
        return t.length() > 60 ? t.substring(0, 60) : t;
    }

    private static String counts(int a, String an, int b, String bn, int c, String cn) {
        List<String> parts = new ArrayList<>();
        if (a > 0) {
            parts.add(a + " " + an + (a > 1 ? "s" : ""));
        }
        if (b > 0) {
            parts.add(b + " " + bn + (b > 1 ? "s" : ""));
        }
        if (c > 0) {
            parts.add(c + " " + cn + (c > 1 ? "s" : ""));
        }
        return String.join(", ", parts);
    }

    private static String summary(List<String> notes) {
        List<String> distinct = notes.stream().distinct().limit(5).toList();
        return String.join(", ", distinct);
    }
}
