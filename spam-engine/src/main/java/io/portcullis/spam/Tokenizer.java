package io.portcullis.spam;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.apache.james.mime4j.codec.DecodeMonitor;
import org.apache.james.mime4j.codec.DecoderUtil;
import org.apache.james.mime4j.parser.AbstractContentHandler;
import org.apache.james.mime4j.parser.MimeStreamParser;
import org.apache.james.mime4j.stream.BodyDescriptor;
import org.apache.james.mime4j.stream.Field;
import org.apache.james.mime4j.stream.MimeConfig;
import org.jsoup.Jsoup;
import org.jsoup.nodes.Document;
import org.jsoup.nodes.Element;

/**
 * Turns a raw RFC 822 message into a bounded set of distinct tokens: header words prefixed per header, decoded text of
 * the text parts (HTML rendered to text by jsoup), URL hosts and path segments, attachment types. Never throws on
 * malformed input: whatever could not be parsed is tokenized as raw text. Thread-safe (stateless).
 */
public final class Tokenizer {

    /** At most this many bytes of a message are looked at. */
    public static final int MAX_BYTES = 512 * 1024;
    /** At most this many distinct tokens per message. */
    public static final int MAX_TOKENS = 4000;
    /** At most this many bytes of decoded text per part. */
    static final int MAX_PART_BYTES = 256 * 1024;
    /** MIME parts beyond this count or nesting depth are ignored. */
    static final int MAX_PARTS = 64;
    static final int MAX_DEPTH = 16;

    private static final Pattern URL = Pattern.compile("(?i)\\b(?:https?://|www\\.)[^\\s\"'<>()]{1,300}");
    private static final Pattern HOST = Pattern.compile("(?i)\\b(?:[a-z0-9-]{1,63}\\.)+[a-z]{2,24}\\b|\\b\\d{1,3}(?:\\.\\d{1,3}){3}\\b");
    private static final Pattern EMAIL = Pattern.compile("[\\w.+-]{1,64}@([\\w-]{1,63}(?:\\.[\\w-]{1,63})+)");
    private static final Set<String> ADDRESS_HEADERS = Set.of("from", "to", "cc", "reply-to", "return-path", "sender");
    private static final Set<String> WORD_HEADERS = Set.of("subject", "from", "to", "cc", "reply-to", "return-path",
            "x-mailer", "user-agent", "x-priority", "x-msmail-priority", "organization", "sender",
            "list-id", "precedence", "importance", "x-mimeole");

    /** Tokens that mark a message as only partly read (see {@link SpamScore#partial()}). */
    public static final java.util.Set<String> LIMIT_TOKENS = java.util.Set.of("parse:failed", "parse:mime-error",
            "mime:too-deep", "mime:too-many-parts", "limit:bytes", "limit:tokens");

    /** Tokens of one message, in first-seen order, distinct, at most {@link #MAX_TOKENS}. */
    public List<String> tokenize(byte[] raw) {
        Sink sink = new Sink();
        byte[] data = raw.length > MAX_BYTES ? java.util.Arrays.copyOf(raw, MAX_BYTES) : raw;
        if (raw.length > MAX_BYTES) {
            sink.add("limit:bytes");
        }
        try {
            parse(data, sink);
        } catch (IOException | RuntimeException | StackOverflowError e) {
            sink.add("parse:failed");
            text(new String(data, StandardCharsets.ISO_8859_1), "", sink);
        } catch (org.apache.james.mime4j.MimeException e) {
            sink.add("parse:mime-error");
            text(new String(data, StandardCharsets.ISO_8859_1), "", sink);
        }
        return new ArrayList<>(sink.tokens);
    }

    private void parse(byte[] data, Sink sink) throws IOException, org.apache.james.mime4j.MimeException {
        int start = 0;
        if (data.length > 5 && data[0] == 'F' && data[1] == 'r' && data[2] == 'o' && data[3] == 'm' && data[4] == ' ') {
            while (start < data.length && data[start] != '\n') {
                start++; // mbox "From " separator line
            }
            start = Math.min(start + 1, data.length);
        }
        MimeConfig config = new MimeConfig.Builder().setStrictParsing(false).setMaxLineLen(-1).setMaxHeaderCount(1000)
                .setMaxHeaderLen(64 * 1024).setMaxContentLen(MAX_BYTES).setMalformedHeaderStartsBody(true).build();
        MimeStreamParser parser = new MimeStreamParser(config, DecodeMonitor.SILENT, null);
        parser.setContentDecoding(true);
        parser.setContentHandler(new Handler(sink));
        parser.parse(new ByteArrayInputStream(data, start, data.length - start));
    }

    private final class Handler extends AbstractContentHandler {
        private final Sink sink;
        private int depth;
        private int parts;
        private boolean topHeader = true;

        Handler(Sink sink) {
            this.sink = sink;
        }

        @Override
        public void startMultipart(BodyDescriptor bd) {
            depth++;
            if (depth == MAX_DEPTH) {
                sink.add("mime:too-deep");
            }
        }

        @Override
        public void endMultipart() {
            depth--;
        }

        @Override
        public void endHeader() {
            topHeader = false;
        }

        @Override
        public void field(Field field) {
            if (depth > MAX_DEPTH) {
                return;
            }
            String name = field.getName().toLowerCase(Locale.ROOT);
            if (name.startsWith("x-spam") || name.length() > 40) {
                return; // filter verdicts of other filters are not evidence we want to learn from
            }
            String body = field.getBody();
            if (body.length() > 2048) {
                body = body.substring(0, 2048);
                sink.add("hdr:long:" + name);
            }
            if (!topHeader) {
                if (name.equals("content-disposition")) {
                    words(decode(body), "part-" + name + ":", sink);
                }
                return;
            }
            sink.add("hdr:" + name);
            if (name.equals("received")) {
                Matcher m = HOST.matcher(body);
                int n = 0;
                while (m.find() && n++ < 10) {
                    sink.add("rcvd:" + m.group().toLowerCase(Locale.ROOT));
                }
            } else if (name.equals("message-id")) {
                int at = body.lastIndexOf('@');
                if (at >= 0) {
                    words(body.substring(at + 1), "msgid:", sink);
                }
            } else if (WORD_HEADERS.contains(name)) {
                String decoded = decode(body);
                if (ADDRESS_HEADERS.contains(name)) {
                    Matcher m = EMAIL.matcher(decoded);
                    for (int n = 0; m.find() && n < 20; n++) {
                        sink.add(name + ":" + m.group().toLowerCase(Locale.ROOT));
                        sink.add(name + ":@" + m.group(1).toLowerCase(Locale.ROOT));
                    }
                }
                words(decoded, name + ":", sink);
            }
        }

        @Override
        public void body(BodyDescriptor bd, InputStream is) throws IOException {
            if (++parts > MAX_PARTS || depth > MAX_DEPTH) {
                sink.add("mime:too-many-parts");
                return;
            }
            String type = bd.getMimeType() == null ? "text/plain" : bd.getMimeType().toLowerCase(Locale.ROOT);
            sink.add("ctype:" + type);
            byte[] bytes = is.readNBytes(MAX_PART_BYTES);
            if (!type.startsWith("text/")) {
                return;
            }
            String text = new String(bytes, charset(bd.getCharset(), sink));
            if (type.equals("text/html")) {
                html(text, sink);
            } else {
                text(text, "", sink);
            }
        }
    }

    private static String decode(String headerBody) {
        try {
            return DecoderUtil.decodeEncodedWords(headerBody, DecodeMonitor.SILENT);
        } catch (RuntimeException e) {
            return headerBody;
        }
    }

    private static Charset charset(String name, Sink sink) {
        if (name == null || name.isBlank()) {
            return StandardCharsets.ISO_8859_1;
        }
        try {
            return Charset.forName(name.trim());
        } catch (RuntimeException e) {
            sink.add("charset:bad");
            return StandardCharsets.ISO_8859_1;
        }
    }

    private void html(String html, Sink sink) {
        sink.add("html:yes");
        Document doc = Jsoup.parse(html);
        for (Element a : doc.select("a[href], img[src], form[action], area[href]")) {
            String u = a.hasAttr("href") ? a.attr("href") : a.hasAttr("src") ? a.attr("src") : a.attr("action");
            sink.add("tag:" + a.tagName());
            url(u, sink);
        }
        for (Element e : doc.select("font[color], font[size], script, iframe, table")) {
            sink.add("tag:" + e.tagName());
        }
        text(doc.text(), "", sink);
    }

    private void text(String text, String prefix, Sink sink) {
        Matcher m = URL.matcher(text);
        int n = 0;
        for (int from = 0; UrlStarts.find(m, text, from) && n++ < 50; from = m.end()) {
            url(m.group(), sink);
        }
        words(text, prefix, sink);
    }

    private static void url(String u, Sink sink) {
        String s = u.trim();
        if (s.regionMatches(true, 0, "mailto:", 0, 7)) {
            int at = s.indexOf('@');
            if (at > 0) {
                sink.add("mailto:" + s.substring(at + 1).toLowerCase(Locale.ROOT));
            }
            return;
        }
        if (s.regionMatches(true, 0, "www.", 0, 4)) {
            s = "http://" + s;
        }
        try {
            URI uri = new URI(s.replace(" ", "%20"));
            String host = uri.getHost();
            if (host == null) {
                return;
            }
            host = host.toLowerCase(Locale.ROOT);
            sink.add("url:" + host);
            String[] labels = host.split("\\.");
            if (labels.length >= 2) {
                sink.add("url:" + labels[labels.length - 2] + "." + labels[labels.length - 1]);
            }
            if (host.matches("\\d+\\.\\d+\\.\\d+\\.\\d+")) {
                sink.add("url:ip-literal");
            }
            String path = uri.getRawPath();
            if (path != null) {
                int k = 0;
                for (String seg : path.split("/")) {
                    if (!seg.isEmpty() && seg.length() <= 40 && k++ < 5) {
                        sink.add("urlp:" + seg.toLowerCase(Locale.ROOT));
                    }
                }
            }
        } catch (java.net.URISyntaxException | RuntimeException e) {
            sink.add("url:malformed");
        }
    }

    private static void words(String text, String prefix, Sink sink) {
        for (int start = nextWord(text, 0); start >= 0 && !sink.full(); ) {
            int end = wordEnd(text, start);
            String w = text.substring(start, end);
            start = nextWord(text, end);
            if (w.length() > 40) {
                sink.add(prefix + "long-word");
                continue;
            }
            if (w.length() < 2 && prefix.isEmpty()) {
                continue;
            }
            String lower = w.toLowerCase(Locale.ROOT);
            sink.add(prefix + lower);
            if (w.length() > 2 && !w.equals(lower) && w.equals(w.toUpperCase(Locale.ROOT))) {
                sink.add(prefix + "UPPER");
            }
        }
    }

    /*
     * Words are the matches of [\p{L}\p{N}$][\p{L}\p{N}$'._-]*[\p{L}\p{N}$]|[\p{L}\p{N}$], found by hand because
     * the regex search was a fifth of the classifier's time: a word starts at a letter, digit or '$' and runs over
     * letters, digits, '$' and the joiners ' . _ -, ending at its last letter, digit or '$' (a test checks this
     * against the pattern on random text).
     */
    private static final int WORD_TYPES = 1 << Character.UPPERCASE_LETTER | 1 << Character.LOWERCASE_LETTER
            | 1 << Character.TITLECASE_LETTER | 1 << Character.MODIFIER_LETTER | 1 << Character.OTHER_LETTER
            | 1 << Character.DECIMAL_DIGIT_NUMBER | 1 << Character.LETTER_NUMBER | 1 << Character.OTHER_NUMBER;

    /** Index of the first word at or after {@code from} (a code point boundary), or -1. */
    static int nextWord(String text, int from) {
        int n = text.length();
        for (int i = from; i < n; ) {
            int cp = text.codePointAt(i);
            if (isWordChar(cp)) {
                return i;
            }
            i += Character.charCount(cp);
        }
        return -1;
    }

    /** End of the word that starts at {@code start}. */
    static int wordEnd(String text, int start) {
        int n = text.length();
        int end = start + Character.charCount(text.codePointAt(start));
        for (int j = end; j < n; ) {
            int cp = text.codePointAt(j);
            if (isWordChar(cp)) {
                j += Character.charCount(cp);
                end = j;
            } else if (cp == '\'' || cp == '.' || cp == '_' || cp == '-') {
                j++;
            } else {
                break;
            }
        }
        return end;
    }

    private static boolean isWordChar(int cp) {
        if (cp < 128) {
            return cp >= 'a' && cp <= 'z' || cp >= 'A' && cp <= 'Z' || cp >= '0' && cp <= '9' || cp == '$';
        }
        return (WORD_TYPES >> Character.getType(cp) & 1) != 0;
    }

    private static final class Sink {
        final LinkedHashSet<String> tokens = new LinkedHashSet<>();

        void add(String t) {
            if (tokens.size() < MAX_TOKENS - 1) {
                tokens.add(t);
            } else if (!tokens.contains(t)) {
                tokens.add("limit:tokens"); // the last slot records that tokens were dropped
            }
        }

        boolean full() {
            return tokens.size() >= MAX_TOKENS;
        }
    }
}
