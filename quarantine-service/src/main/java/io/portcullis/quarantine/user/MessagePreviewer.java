package io.portcullis.quarantine.user;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import org.apache.james.mime4j.MimeException;
import org.apache.james.mime4j.codec.DecodeMonitor;
import org.apache.james.mime4j.codec.DecoderUtil;
import org.apache.james.mime4j.message.DefaultBodyDescriptorBuilder;
import org.apache.james.mime4j.message.MaximalBodyDescriptor;
import org.apache.james.mime4j.parser.AbstractContentHandler;
import org.apache.james.mime4j.parser.MimeStreamParser;
import org.apache.james.mime4j.stream.BodyDescriptor;
import org.apache.james.mime4j.stream.Field;
import org.apache.james.mime4j.stream.MimeConfig;

/**
 * Bounded MIME parsing for the end-user preview (mime4j, streaming): at most {@code maxBytes} of the message are read,
 * at most {@code maxParts} parts and {@code maxDepth} nested multiparts; text is cut at {@code maxChars}. Embedded
 * messages (message/rfc822) are not opened: they are attachments. Never throws on malformed input: what could be read
 * is shown and {@link MessagePreview#limits()} says what was cut.
 */
public final class MessagePreviewer {
    private static final int MAX_HEADER_VALUE = 2000;

    private final long maxBytes;
    private final int maxParts;
    private final int maxDepth;
    private final int maxChars;

    public MessagePreviewer(long maxBytes, int maxParts, int maxDepth, int maxChars) {
        this.maxBytes = maxBytes;
        this.maxParts = maxParts;
        this.maxDepth = maxDepth;
        this.maxChars = maxChars;
    }

    /** The preview; the caller closes {@code message}. */
    public MessagePreview preview(InputStream message) throws IOException {
        Collector collector = new Collector(-1, null);
        parse(message, collector);
        String html = collector.html == null ? "" : HtmlSanitizer.sanitize(collector.html, maxChars);
        String text = collector.text != null ? collector.text
                : collector.html != null ? HtmlSanitizer.text(collector.html, maxChars) : "";
        return new MessagePreview(collector.subject, collector.from, collector.to, collector.date, text, html,
                List.copyOf(collector.attachments), List.copyOf(collector.limits));
    }

    /**
     * Copies the decoded bytes of attachment {@code index} (as numbered by {@link #preview}) to {@code out}.
     *
     * @return the attachment, or empty when there is no such attachment (nothing was written)
     */
    public Optional<MessagePreview.Attachment> attachment(InputStream message, int index, OutputStream out)
            throws IOException {
        Collector collector = new Collector(index, out);
        parse(message, collector);
        return Optional.ofNullable(collector.copied);
    }

    private void parse(InputStream message, Collector collector) throws IOException {
        MimeConfig config = MimeConfig.custom().setMaxLineLen(-1).setMaxHeaderCount(1000).setMaxHeaderLen(100_000)
                .setMaxContentLen(-1).build();
        MimeStreamParser parser = new MimeStreamParser(config, DecodeMonitor.SILENT,
                new DefaultBodyDescriptorBuilder());
        parser.setContentDecoding(true);
        parser.setNoRecurse();
        parser.setContentHandler(collector);
        LimitedInputStream limited = new LimitedInputStream(message, maxBytes);
        try {
            parser.parse(limited);
        } catch (Stop stop) {
            collector.limits.add(stop.getMessage());
        } catch (MimeException e) {
            collector.limits.add("the message is malformed: " + e.getMessage());
        }
        if (limited.cut) {
            collector.limits.add("only the first " + maxBytes + " bytes of the message were read");
        }
    }

    /** Stops the parser at a limit. */
    private static final class Stop extends MimeException {
        Stop(String message) {
            super(message);
        }
    }

    private final class Collector extends AbstractContentHandler {
        final List<MessagePreview.Attachment> attachments = new ArrayList<>();
        final List<String> limits = new ArrayList<>();
        final int wanted;
        final OutputStream out;
        MessagePreview.Attachment copied;
        String subject;
        String from;
        String to;
        String date;
        String text;
        String html;
        int depth;
        int parts;
        boolean topHeader = true;

        Collector(int wanted, OutputStream out) {
            this.wanted = wanted;
            this.out = out;
        }

        @Override
        public void field(Field field) {
            if (!topHeader) {
                return;
            }
            String value = headerValue(field);
            switch (field.getName().toLowerCase(Locale.ROOT)) {
                case "subject" -> subject = subject == null ? value : subject;
                case "from" -> from = from == null ? value : from;
                case "to" -> to = to == null ? value : to;
                case "date" -> date = date == null ? value : date;
                default -> {
                }
            }
        }

        @Override
        public void endHeader() {
            topHeader = false;
        }

        @Override
        public void startMultipart(BodyDescriptor bd) throws MimeException {
            depth++;
            if (depth > maxDepth) {
                throw new Stop("multiparts nested deeper than " + maxDepth + " were not read");
            }
        }

        @Override
        public void endMultipart() {
            depth--;
        }

        @Override
        public void startBodyPart() throws MimeException {
            parts++;
            if (parts > maxParts) {
                throw new Stop("only the first " + maxParts + " parts were read");
            }
        }

        @Override
        public void body(BodyDescriptor bd, InputStream is) throws MimeException, IOException {
            MaximalBodyDescriptor body = (MaximalBodyDescriptor) bd;
            String type = body.getMimeType() == null ? "text/plain" : body.getMimeType().toLowerCase(Locale.ROOT);
            String filename = filename(body);
            boolean attachment = "attachment".equalsIgnoreCase(body.getContentDispositionType()) || filename != null
                    || !(type.equals("text/plain") || type.equals("text/html"));
            if (!attachment) {
                if (wanted < 0 && type.equals("text/plain") && text == null) {
                    text = read(is, body.getCharset());
                } else if (wanted < 0 && type.equals("text/html") && html == null) {
                    html = read(is, body.getCharset());
                }
                return;
            }
            int index = attachments.size() + 1;
            String name = filename != null ? filename : "attachment-" + index;
            if (index == wanted) {
                long size = is.transferTo(out);
                copied = new MessagePreview.Attachment(index, name, type, size);
                attachments.add(copied);
                throw new Stop("found");
            }
            long size = wanted < 0 ? is.transferTo(OutputStream.nullOutputStream()) : 0;
            attachments.add(new MessagePreview.Attachment(index, name, type, size));
        }

        private String read(InputStream is, String charsetName) throws IOException {
            byte[] bytes = is.readNBytes(Math.max(maxChars, 1) * 4);
            boolean more = is.read() >= 0;
            String decoded = new String(bytes, charset(charsetName));
            if (decoded.length() > maxChars || more) {
                limits.add("the text was cut at " + maxChars + " characters");
                return decoded.length() > maxChars ? decoded.substring(0, maxChars) : decoded;
            }
            return decoded;
        }
    }

    private static Charset charset(String name) {
        if (name == null || name.isBlank()) {
            return StandardCharsets.UTF_8; // US-ASCII's superset: undeclared 8-bit text is most often UTF-8
        }
        try {
            return Charset.forName(name.trim());
        } catch (IllegalArgumentException e) {
            return StandardCharsets.UTF_8;
        }
    }

    private static String filename(MaximalBodyDescriptor body) {
        String name = body.getContentDispositionFilename();
        if (name == null || name.isBlank()) {
            name = body.getContentTypeParameters().get("name");
        }
        if (name == null || name.isBlank()) {
            return null;
        }
        name = name.contains("=?") ? DecoderUtil.decodeEncodedWords(name, DecodeMonitor.SILENT) : name;
        return safeFilename(name);
    }

    /** A file name fit for a Content-Disposition header: no path, no quotes or controls, at most 200 characters. */
    static String safeFilename(String name) {
        String base = name.replace('\\', '/');
        base = base.substring(base.lastIndexOf('/') + 1);
        StringBuilder clean = new StringBuilder();
        base.codePoints().filter(c -> c >= 0x20 && c != 0x7f && c != '"' && c != ';' && !Character.isISOControl(c)
                && Character.getType(c) != Character.FORMAT).limit(200).forEach(clean::appendCodePoint);
        String result = clean.toString().strip();
        return result.isEmpty() || result.equals(".") || result.equals("..") ? null : result;
    }

    private static String headerValue(Field field) {
        String raw = field.getBody() == null ? "" : field.getBody();
        String unfolded = raw.replaceAll("\r?\n[ \t]*", " ").strip();
        String decoded = unfolded.contains("=?") ? DecoderUtil.decodeEncodedWords(unfolded, DecodeMonitor.SILENT)
                : unfolded;
        StringBuilder clean = new StringBuilder();
        decoded.codePoints().filter(c -> c >= 0x20 && c != 0x7f).limit(MAX_HEADER_VALUE).forEach(clean::appendCodePoint);
        return clean.toString();
    }

    /** Reads at most {@code limit} bytes, then reports end of stream and remembers that it cut. */
    private static final class LimitedInputStream extends InputStream {
        private final InputStream in;
        private long left;
        boolean cut;

        LimitedInputStream(InputStream in, long limit) {
            this.in = in;
            this.left = limit;
        }

        @Override
        public int read() throws IOException {
            if (left <= 0) {
                cut |= in.read() >= 0;
                return -1;
            }
            int b = in.read();
            if (b >= 0) {
                left--;
            }
            return b;
        }

        @Override
        public int read(byte[] buffer, int offset, int length) throws IOException {
            if (left <= 0) {
                cut |= in.read() >= 0;
                return -1;
            }
            int n = in.read(buffer, offset, (int) Math.min(length, left));
            if (n > 0) {
                left -= n;
            }
            return n;
        }
    }
}
