package io.portcullis.spam.rules;

import io.portcullis.spam.UrlStarts;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.apache.james.mime4j.MimeException;
import org.apache.james.mime4j.codec.DecodeMonitor;
import org.apache.james.mime4j.codec.DecoderUtil;
import org.apache.james.mime4j.parser.AbstractContentHandler;
import org.apache.james.mime4j.parser.MimeStreamParser;
import org.apache.james.mime4j.stream.BodyDescriptor;
import org.apache.james.mime4j.stream.MimeConfig;
import org.jsoup.Jsoup;
import org.jsoup.nodes.Document;
import org.jsoup.nodes.Element;

/**
 * What rules look at, computed once per message within {@link RuleLimits}: the top-level headers (unfolded, raw and
 * RFC 2047-decoded), the body text (Subject, then decoded text/plain parts and HTML parts rendered to text by jsoup),
 * the raw body (decoded text parts, HTML as source), the URIs (from text and from HTML {@code href/src/action}), the
 * raw message and the {@link MessageFacts}. Never throws on malformed input: MIME that does not parse is read as raw
 * text ({@code mime_error}).
 */
public final class ParsedMessage {
    private static final Pattern URL = Pattern.compile("(?i)\\b(?:https?://|www\\.)[^\\s\"'<>()\\[\\]{}]{1,2000}");
    private static final Pattern URLISH_TEXT = Pattern.compile(
            "(?i)(?:https?://)?((?:[a-z0-9-]{1,63}\\.)+[a-z]{2,24})(?:[:/?#]\\S*)?");
    private static final Pattern INVISIBLE_STYLE = Pattern.compile(
            "(?i)display\\s*:\\s*none|visibility\\s*:\\s*hidden|font-size\\s*:\\s*[01](?:\\.\\d+)?(?:px|pt)?\\s*(?:;|$)");

    private final Map<String, List<String>> raw;
    private final Map<String, String> decoded = new HashMap<>();
    private final String all;
    private final String body;
    private final String rawBody;
    private final String full;
    private final List<String> uris;
    private final int[] facts;
    private final int maxHeaderChars;
    private String lowerBody;
    private String lowerRawBody;
    private String lowerFull;

    private ParsedMessage(Builder b, RuleLimits limits) {
        this.raw = b.headers;
        this.all = b.all;
        this.body = b.body.toString();
        this.rawBody = b.rawBody.toString();
        this.full = b.full;
        this.uris = List.copyOf(b.uris);
        this.facts = b.facts;
        this.maxHeaderChars = limits.maxHeaderChars();
    }

    /** Parses a raw message within the limits. */
    public static ParsedMessage parse(byte[] message, RuleLimits limits) {
        Builder b = new Builder(limits);
        b.run(message);
        return new ParsedMessage(b, limits);
    }

    /** All instances of a header, unfolded, decoded (RFC 2047), joined by newlines; "" when absent. */
    public String header(String name) {
        String key = name.toLowerCase(Locale.ROOT);
        String v = decoded.get(key);
        if (v == null) {
            List<String> values = raw.getOrDefault(key, List.of());
            StringBuilder sb = new StringBuilder();
            for (String s : values) {
                if (sb.length() > 0) {
                    sb.append('\n');
                }
                sb.append(decode(s));
            }
            v = cut(sb.toString(), maxHeaderChars);
            decoded.put(key, v);
        }
        return v;
    }

    /** All instances of a header, unfolded, not decoded, joined by newlines; "" when absent. */
    public String rawHeader(String name) {
        return cut(String.join("\n", raw.getOrDefault(name.toLowerCase(Locale.ROOT), List.of())), maxHeaderChars);
    }

    /** Whether the header is present at least once. */
    public boolean hasHeader(String name) {
        return raw.containsKey(name.toLowerCase(Locale.ROOT));
    }

    /** Every top-level header as {@code Name: value} lines, unfolded and decoded ({@code ALL}). */
    public String allHeaders() {
        return all;
    }

    /** Subject line, then text/plain parts and HTML rendered to text. */
    public String body() {
        return body;
    }

    /** Decoded text parts, HTML as source. */
    public String rawBody() {
        return rawBody;
    }

    /** {@link #body()} in lower case (computed once, for literal prefilters). */
    String lowerBody() {
        if (lowerBody == null) {
            lowerBody = body.toLowerCase(Locale.ROOT);
        }
        return lowerBody;
    }

    /** {@link #rawBody()} in lower case. */
    String lowerRawBody() {
        if (lowerRawBody == null) {
            lowerRawBody = rawBody.toLowerCase(Locale.ROOT);
        }
        return lowerRawBody;
    }

    /** {@link #full()} in lower case. */
    String lowerFull() {
        if (lowerFull == null) {
            lowerFull = full.toLowerCase(Locale.ROOT);
        }
        return lowerFull;
    }

    /** The raw message (ISO-8859-1, bounded). */
    public String full() {
        return full;
    }

    /** Distinct URIs from text and HTML, in first-seen order. */
    public List<String> uris() {
        return uris;
    }

    /** The value of a fact (see {@link MessageFacts}). */
    public int fact(String name) {
        int i = MessageFacts.index(name);
        if (i < 0) {
            throw new IllegalArgumentException("unknown fact " + name);
        }
        return facts[i];
    }

    int[] facts() {
        return facts;
    }

    /** Whether a limit cut something off or MIME did not parse. */
    public boolean partial() {
        return facts[MessageFacts.PARTIAL] != 0 || facts[MessageFacts.MIME_ERROR] != 0;
    }

    /** The first address of an address header ({@code Header:addr}), or "". */
    public String address(String name) {
        String v = header(name);
        String first = firstAddressField(v);
        int lt = first.lastIndexOf('<');
        int gt = first.lastIndexOf('>');
        if (lt >= 0 && gt > lt) {
            return first.substring(lt + 1, gt).trim();
        }
        String s = first.replaceAll("\\(.*?\\)", " ").trim();
        int sp = s.lastIndexOf(' ');
        return sp >= 0 ? s.substring(sp + 1) : s;
    }

    /** The display name of the first address of an address header ({@code Header:name}), or "". */
    public String displayName(String name) {
        String first = firstAddressField(header(name));
        int lt = first.lastIndexOf('<');
        String n;
        if (lt >= 0) {
            n = first.substring(0, lt);
        } else {
            int open = first.indexOf('(');
            int close = first.lastIndexOf(')');
            n = open >= 0 && close > open ? first.substring(open + 1, close) : "";
        }
        n = n.trim();
        if (n.length() >= 2 && n.startsWith("\"") && n.endsWith("\"")) {
            n = n.substring(1, n.length() - 1);
        }
        return n.trim();
    }

    private static String firstAddressField(String v) {
        String line = v.isEmpty() ? v : v.split("\n", 2)[0];
        boolean quoted = false;
        int angle = 0;
        for (int i = 0; i < line.length(); i++) {
            char c = line.charAt(i);
            if (c == '"') {
                quoted = !quoted;
            } else if (!quoted && c == '<') {
                angle++;
            } else if (!quoted && c == '>') {
                angle = Math.max(0, angle - 1);
            } else if (!quoted && angle == 0 && c == ',') {
                return line.substring(0, i);
            }
        }
        return line;
    }

    static String decode(String s) {
        if (s.indexOf("=?") < 0) {
            return s;
        }
        try {
            return DecoderUtil.decodeEncodedWords(s, DecodeMonitor.SILENT);
        } catch (RuntimeException e) {
            return s;
        }
    }

    private static String cut(String s, int max) {
        return s.length() > max ? s.substring(0, max) : s;
    }

    private static final class Builder {
        final RuleLimits limits;
        final Map<String, List<String>> headers = new HashMap<>();
        final StringBuilder body = new StringBuilder();
        final StringBuilder rawBody = new StringBuilder();
        final Set<String> uris = new LinkedHashSet<>();
        final int[] facts = new int[MessageFacts.NAMES.size()];
        String all = "";
        String full = "";
        int bodyStart;

        Builder(RuleLimits limits) {
            this.limits = limits;
        }

        void run(byte[] message) {
            byte[] data = message;
            if (message.length > limits.maxMessageBytes()) {
                data = java.util.Arrays.copyOf(message, limits.maxMessageBytes());
                facts[MessageFacts.PARTIAL] = 1;
            }
            int start = 0;
            if (data.length > 5 && data[0] == 'F' && data[1] == 'r' && data[2] == 'o' && data[3] == 'm'
                    && data[4] == ' ') {
                while (start < data.length && data[start] != '\n') {
                    start++; // mbox "From " separator line
                }
                start = Math.min(start + 1, data.length);
            }
            full = new String(data, StandardCharsets.ISO_8859_1);
            headers(data, start);
            String subject = headerValue("subject");
            appendBody(subject);
            appendBody("\n");
            int before = body.length();
            try {
                mime(data, start);
            } catch (IOException | MimeException | RuntimeException | StackOverflowError e) {
                facts[MessageFacts.MIME_ERROR] = 1;
                body.setLength(before);
                rawBody.setLength(0);
                String text = full.substring(Math.min(bodyStart, full.length()));
                appendBody(text);
                appendRaw(text);
                urls(text);
            }
            facts[MessageFacts.BODY_CHARS] = body.substring(before).strip().length();
            facts[MessageFacts.HTML_ONLY] = facts[MessageFacts.HTML_PARTS] > 0 && facts[MessageFacts.TEXT_PARTS] == 0
                    ? 1 : 0;
            facts[MessageFacts.URI_COUNT] = uris.size();
            facts[MessageFacts.SHOUTING_WORDS] = MessageFacts.shoutingWords(body);
        }

        private String headerValue(String name) {
            List<String> v = headers.get(name);
            return v == null || v.isEmpty() ? "" : cut(decode(v.get(0)), limits.maxHeaderChars());
        }

        /** Unfolds the top-level header block (up to the first empty line) into name → values. */
        private void headers(byte[] data, int start) {
            int end = start;
            int n = data.length;
            // find the empty line that ends the header
            int i = start;
            int lineStart = start;
            List<String> lines = new ArrayList<>();
            while (i <= n) {
                if (i == n || data[i] == '\n') {
                    int lineEnd = i > lineStart && data[i - 1] == '\r' ? i - 1 : i;
                    if (lineEnd == lineStart) {
                        end = Math.min(i + 1, n);
                        break;
                    }
                    lines.add(new String(data, lineStart, lineEnd - lineStart, StandardCharsets.ISO_8859_1));
                    lineStart = i + 1;
                    end = Math.min(i + 1, n);
                    if (i == n) {
                        break;
                    }
                }
                i++;
            }
            bodyStart = end;
            StringBuilder allText = new StringBuilder();
            String name = null;
            StringBuilder value = new StringBuilder();
            for (String line : lines) {
                if (!line.isEmpty() && (line.charAt(0) == ' ' || line.charAt(0) == '\t') && name != null) {
                    if (value.length() < limits.maxHeaderChars()) {
                        value.append(' ').append(line.strip());
                    } else {
                        facts[MessageFacts.PARTIAL] = 1;
                    }
                    continue;
                }
                addHeader(name, value, allText);
                int colon = line.indexOf(':');
                if (colon <= 0 || line.substring(0, colon).strip().isEmpty()) {
                    name = null; // not a header line: ignored (lenient, like the MIME parser)
                    value.setLength(0);
                    continue;
                }
                name = line.substring(0, colon).strip();
                value.setLength(0);
                value.append(line.substring(colon + 1).strip());
            }
            addHeader(name, value, allText);
            all = cut(allText.toString(), limits.maxHeaderChars());
            if (allText.length() > limits.maxHeaderChars()) {
                facts[MessageFacts.PARTIAL] = 1;
            }
        }

        private void addHeader(String name, StringBuilder value, StringBuilder allText) {
            if (name == null) {
                return;
            }
            String v = cut(value.toString(), limits.maxHeaderChars());
            List<String> list = headers.computeIfAbsent(name.toLowerCase(Locale.ROOT), k -> new ArrayList<>(1));
            if (list.size() < 100) {
                list.add(v);
            }
            if (allText.length() < limits.maxHeaderChars()) {
                allText.append(name).append(": ").append(decode(v)).append('\n');
            }
        }

        private void mime(byte[] data, int start) throws IOException, MimeException {
            MimeConfig config = new MimeConfig.Builder().setStrictParsing(false).setMaxLineLen(-1)
                    .setMaxHeaderCount(1000).setMaxHeaderLen(64 * 1024).setMaxContentLen(-1)
                    .setMalformedHeaderStartsBody(true).build();
            MimeStreamParser parser = new MimeStreamParser(config, DecodeMonitor.SILENT, null);
            parser.setContentDecoding(true);
            parser.setContentHandler(new Handler());
            parser.parse(new ByteArrayInputStream(data, start, data.length - start));
        }

        private final class Handler extends AbstractContentHandler {
            private int parts;
            private boolean named;

            @Override
            public void startHeader() {
                named = false;
            }

            @Override
            public void field(org.apache.james.mime4j.stream.Field field) {
                String n = field.getName();
                if (n.equalsIgnoreCase("content-disposition") || n.equalsIgnoreCase("content-type")) {
                    String b = field.getBody().toLowerCase(Locale.ROOT);
                    if (b.startsWith("attachment") || b.contains("name=") || b.contains("name*=")) {
                        named = true;
                    }
                }
            }

            @Override
            public void body(BodyDescriptor bd, InputStream is) throws IOException {
                if (++parts > limits.maxParts()) {
                    facts[MessageFacts.PARTIAL] = 1;
                    return;
                }
                String type = bd.getMimeType() == null ? "text/plain" : bd.getMimeType().toLowerCase(Locale.ROOT);
                if (!type.equals("text/plain") && !type.equals("text/html") || named) {
                    facts[MessageFacts.ATTACHMENTS]++;
                    if (!type.startsWith("text/")) {
                        return;
                    }
                }
                byte[] bytes = is.readNBytes(limits.maxPartBytes());
                if (is.read() >= 0) {
                    facts[MessageFacts.PARTIAL] = 1;
                }
                String text = new String(bytes, charset(bd.getCharset()));
                appendRaw(text);
                appendRaw("\n");
                if (type.equals("text/html")) {
                    facts[MessageFacts.HTML_PARTS]++;
                    html(text);
                } else {
                    if (type.equals("text/plain")) {
                        facts[MessageFacts.TEXT_PARTS]++;
                    }
                    appendBody(text);
                    appendBody("\n");
                    urls(text);
                }
            }
        }

        private void html(String html) {
            Document doc = Jsoup.parse(html);
            for (Element e : doc.select("a[href], area[href], img[src], form[action], iframe[src], frame[src]")) {
                String u = e.hasAttr("href") ? e.attr("href") : e.hasAttr("src") ? e.attr("src") : e.attr("action");
                uri(u);
            }
            facts[MessageFacts.HTML_IMAGES] += doc.select("img").size();
            Map<Element, Boolean> invisible = new IdentityHashMap<>();
            for (Element e : doc.select("[style], font[size]")) {
                boolean hidden = e.hasAttr("style") && INVISIBLE_STYLE.matcher(e.attr("style")).find()
                        || e.tagName().equals("font") && e.attr("size").strip().equals("0");
                if (hidden) {
                    invisible.put(e, Boolean.TRUE);
                }
            }
            for (Element e : invisible.keySet()) {
                boolean nested = false;
                for (Element p : e.parents()) {
                    if (invisible.containsKey(p)) {
                        nested = true;
                        break;
                    }
                }
                if (!nested) {
                    facts[MessageFacts.HTML_INVISIBLE_CHARS] += e.text().length();
                }
            }
            for (Element a : doc.select("a[href]")) {
                if (mismatched(a.text().strip(), a.attr("href").strip())) {
                    facts[MessageFacts.HTML_LINK_MISMATCH]++;
                }
            }
            String text = doc.text();
            facts[MessageFacts.HTML_TEXT_CHARS] += text.length();
            appendBody(text);
            appendBody("\n");
            urls(text);
        }

        /** Link text that names a URL or domain on another registrable-ish domain (last two labels) than the href. */
        private static boolean mismatched(String text, String href) {
            if (text.isEmpty() || text.length() > 300 || text.indexOf(' ') >= 0) {
                return false;
            }
            Matcher m = URLISH_TEXT.matcher(text);
            if (!m.matches()) {
                return false;
            }
            String hrefHost = host(href);
            if (hrefHost == null) {
                return false;
            }
            return !lastTwo(m.group(1).toLowerCase(Locale.ROOT)).equals(lastTwo(hrefHost));
        }

        private static String host(String u) {
            if (!u.regionMatches(true, 0, "http://", 0, 7) && !u.regionMatches(true, 0, "https://", 0, 8)) {
                return null;
            }
            try {
                String h = URI.create(u.replace(" ", "%20")).getHost();
                return h == null ? null : h.toLowerCase(Locale.ROOT);
            } catch (IllegalArgumentException e) {
                int s = u.indexOf("//") + 2;
                int e2 = s;
                while (e2 < u.length() && "/?#:".indexOf(u.charAt(e2)) < 0) {
                    e2++;
                }
                return e2 > s ? u.substring(s, e2).toLowerCase(Locale.ROOT) : null;
            }
        }

        private static String lastTwo(String host) {
            String h = host.endsWith(".") ? host.substring(0, host.length() - 1) : host;
            int last = h.lastIndexOf('.');
            if (last <= 0) {
                return h;
            }
            int prev = h.lastIndexOf('.', last - 1);
            return prev < 0 ? h : h.substring(prev + 1);
        }

        private void urls(String text) {
            Matcher m = URL.matcher(text);
            for (int from = 0; UrlStarts.find(m, text, from); from = m.end()) {
                if (uris.size() >= limits.maxUris()) {
                    facts[MessageFacts.PARTIAL] = 1;
                    return;
                }
                String u = m.group();
                while (!u.isEmpty() && ".,;:!?".indexOf(u.charAt(u.length() - 1)) >= 0) {
                    u = u.substring(0, u.length() - 1);
                }
                uri(u);
            }
        }

        private void uri(String u) {
            String s = u.strip();
            if (s.isEmpty()) {
                return;
            }
            if (uris.size() >= limits.maxUris()) {
                facts[MessageFacts.PARTIAL] = 1;
                return;
            }
            uris.add(cut(s, limits.maxUriChars()));
        }

        private void appendBody(String s) {
            append(body, s);
        }

        private void appendRaw(String s) {
            append(rawBody, s);
        }

        private void append(StringBuilder sb, String s) {
            int room = limits.maxTextChars() - sb.length();
            if (room <= 0) {
                if (!s.isEmpty()) {
                    facts[MessageFacts.PARTIAL] = 1;
                }
                return;
            }
            if (s.length() > room) {
                sb.append(s, 0, room);
                facts[MessageFacts.PARTIAL] = 1;
            } else {
                sb.append(s);
            }
        }

        private static Charset charset(String name) {
            if (name == null || name.isBlank()) {
                return StandardCharsets.ISO_8859_1;
            }
            try {
                return Charset.forName(name.strip());
            } catch (RuntimeException e) {
                return StandardCharsets.ISO_8859_1;
            }
        }
    }

    /** For tests: the unmodifiable header names seen (lower case). */
    Set<String> headerNames() {
        return Collections.unmodifiableSet(raw.keySet());
    }
}
