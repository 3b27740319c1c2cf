package io.portcullis.scanner.content;

import io.micrometer.core.instrument.MeterRegistry;
import io.opentelemetry.instrumentation.annotations.SpanAttribute;
import io.opentelemetry.instrumentation.annotations.WithSpan;
import io.portcullis.contracts.scan.Finding;
import io.portcullis.contracts.scan.ScanItem;
import io.portcullis.scanner.config.ScannerConfig;
import io.portcullis.scanner.content.MessageText.PartText;
import io.portcullis.scanner.content.MessageText.Status;
import io.portcullis.scanner.engine.pdf.PdfTokens;
import io.portcullis.scanner.mime.Decomposition;
import io.portcullis.scanner.mime.DecompositionSymbols;
import io.portcullis.scanner.mime.MessageDecomposer;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.Charset;
import java.nio.charset.IllegalCharsetNameException;
import java.nio.charset.StandardCharsets;
import java.nio.charset.UnsupportedCharsetException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Pattern;
import org.apache.tika.exception.EncryptedDocumentException;
import org.apache.tika.exception.UnsupportedFormatException;
import org.apache.tika.exception.WriteLimitReachedException;
import org.apache.tika.exception.ZeroByteFileException;
import org.apache.tika.extractor.EmbeddedDocumentExtractor;
import org.apache.tika.extractor.ParsingEmbeddedDocumentExtractor;
import org.apache.tika.io.TikaInputStream;
import org.apache.tika.metadata.Metadata;
import org.apache.tika.metadata.TikaCoreProperties;
import org.apache.tika.mime.MediaType;
import org.apache.tika.parser.ParseContext;
import org.apache.tika.parser.Parser;
import org.apache.tika.parser.pdf.PDFParserConfig;
import org.apache.tika.sax.BodyContentHandler;
import org.jboss.logging.Logger;
import org.xml.sax.ContentHandler;
import org.xml.sax.SAXException;

/**
 * Extracts the text of a message for content rules from the scanner's decomposition: the subject, the inline text
 * and HTML parts (HTML rendered to text, script and style left out), and the text of attachments and archive entries
 * (PDF, Office, OpenDocument, RTF, HTML, plain text and the like through Apache Tika).
 *
 * <p>Bounded: characters per part and per message (Tika's write limit, so a text bomb is cut, never buffered whole),
 * bytes handed to Tika, depth and count of attachments, entries and embedded documents, and time per part and per
 * message (parses run on a small bounded pool, {@link ParsePool}). Every part says what became of its text
 * ({@link Status}); nothing here throws for any content, and nothing is cached or logged beyond ids and counts.
 */
@ApplicationScoped
public class TextExtractor {
    private static final Logger LOG = Logger.getLogger(TextExtractor.class);
    private static final Set<String> BODY_TYPES = Set.of("text/plain", "text/html");
    /** Types that only hold other files: the decomposition unpacks them, their entries are extracted instead. */
    private static final Set<String> CONTAINER_TYPES = Set.of("application/zip", "application/x-tar",
            "application/gzip", "application/x-gzip", "application/x-bzip2", "application/x-xz",
            "application/x-7z-compressed", "application/x-cpio", "application/x-archive", "application/x-arj",
            "application/vnd.ms-cab-compressed", "application/vnd.ms-tnef", "message/rfc822", "application/mbox",
            "application/x-rar-compressed", "application/x-rar", "application/java-archive", "application/x-lzma",
            "application/x-compress", "application/x-lzip", "application/zstd");
    private static final Set<String> LIMIT_SYMBOLS = Set.of(DecompositionSymbols.ARCHIVE_DEPTH,
            DecompositionSymbols.ARCHIVE_ENTRIES, DecompositionSymbols.ARCHIVE_EXPANDED,
            DecompositionSymbols.ARCHIVE_TIME, DecompositionSymbols.ARCHIVE_LIMIT, DecompositionSymbols.MIME_LIMIT);
    private static final Set<String> FAILED_SYMBOLS = Set.of(DecompositionSymbols.ARCHIVE_CORRUPT,
            DecompositionSymbols.ARCHIVE_UNSCANNABLE, DecompositionSymbols.ARCHIVE_OVERLAP,
            DecompositionSymbols.ARCHIVE_HEADER_MISMATCH);

    private final MessageDecomposer decomposer;
    private final TextLimits limits;
    private final TikaParsers tika;
    private final ParsePool pool;

    @Inject
    public TextExtractor(MessageDecomposer decomposer, ScannerConfig config, MeterRegistry registry) {
        this(decomposer, TextLimits.from(config.scanner().text()), new TikaParsers(), registry);
    }

    /** With the standard parsers. */
    public TextExtractor(MessageDecomposer decomposer, TextLimits limits, MeterRegistry registry) {
        this(decomposer, limits, new TikaParsers(), registry);
    }

    /** With another document parser (tests: a parser that sleeps or fails). */
    TextExtractor(MessageDecomposer decomposer, TextLimits limits, Parser parser, MeterRegistry registry) {
        this(decomposer, limits, new TikaParsers(parser), registry);
    }

    private TextExtractor(MessageDecomposer decomposer, TextLimits limits, TikaParsers tika, MeterRegistry registry) {
        this.decomposer = decomposer;
        this.limits = limits;
        this.tika = tika;
        this.pool = new ParsePool(limits.threads(), limits.queue(), registry);
    }

    public TextLimits limits() {
        return limits;
    }

    /** Abandoned parses still holding a thread (also the gauge portcullis.scanner.text.abandoned.running). */
    public int abandonedRunning() {
        return pool.stuck();
    }

    /** Decomposes the raw message and extracts its text; never throws for any content. */
    public MessageText extract(String messageId, byte[] raw) {
        return extract(messageId, decomposer.decompose(raw));
    }

    /** The text of a decomposed message; never throws for any content. */
    @WithSpan("TextExtractor.extract")
    public MessageText extract(@SpanAttribute("portcullis.message_id") String messageId, Decomposition parts) {
        Run run = new Run(parts);
        for (ScanItem item : parts.items()) {
            run.item(item);
        }
        MessageText text = new MessageText(parts.subject(), run.body, run.attachments, List.copyOf(run.limitsHit));
        if (LOG.isDebugEnabled()) {
            LOG.debugf("text of %s: %d body part(s), %d attachment(s), complete=%s, limits=%s", messageId,
                    text.body().size(), text.attachments().size(), text.complete(), text.limits());
        }
        return text;
    }

    @PreDestroy
    void close() {
        pool.close();
    }

    /** The extraction of one message: its budgets and results. */
    private final class Run {
        private final Decomposition parts;
        private final long deadline;
        private final List<PartText> body = new ArrayList<>();
        private final List<PartText> attachments = new ArrayList<>();
        private final Set<String> limitsHit = new LinkedHashSet<>();
        private final Set<String> seen = new HashSet<>();
        /** Paths whose descendants Tika already covered (a document's own parts, embedded files). */
        private final List<String> covered = new ArrayList<>();
        private int charsLeft;
        private int embeddedLeft;

        Run(Decomposition parts) {
            this.parts = parts;
            this.deadline = System.nanoTime() + limits.messageTimeout().toNanos();
            this.charsLeft = limits.maxMessageChars();
            this.embeddedLeft = limits.maxEmbedded();
        }

        void item(ScanItem item) {
            if (item.depth() == 0 || !seen.add(item.path()) || isCovered(item.path())) {
                return;
            }
            boolean inBody = item.depth() == 1 && item.filename() == null && item.contentType() != null
                    && BODY_TYPES.contains(item.contentType().toLowerCase(Locale.ROOT));
            PartText part = inBody ? extract(item, true) : attachment(item);
            (inBody ? body : attachments).add(part);
        }

        private PartText attachment(ScanItem item) {
            if (embeddedLeft <= 0) {
                limitsHit.add("more than " + limits.maxEmbedded() + " attachments, entries and embedded documents");
                return part(item, null, "", Status.LIMIT, "attachment count limit (" + limits.maxEmbedded() + ")");
            }
            embeddedLeft--;
            if (item.depth() > limits.maxDepth()) {
                limitsHit.add("items nested deeper than " + limits.maxDepth());
                return part(item, null, "", Status.LIMIT, "nested deeper than " + limits.maxDepth());
            }
            return extract(item, false);
        }

        private PartText extract(ScanItem item, boolean inBody) {
            byte[] content = item.content();
            MediaType type = inBody ? MediaType.parse(item.contentType().toLowerCase(Locale.ROOT))
                    : tika.detect(content, item.filename());
            String trueType = type.getBaseType().toString();
            boolean textual = TikaParsers.textual(type);
            boolean parses = tika.parses(type);
            if (!inBody && (CONTAINER_TYPES.contains(trueType) || !parses && !textual && hasChildren(item.path()))) {
                return container(item, trueType);
            }
            if (content.length == 0 && !inBody) {
                // an entry the decomposition could not read (encrypted, no decoder) is an empty name-only item
                PartText unread = unread(item, trueType);
                if (unread != null) {
                    return unread;
                }
            }
            if (!parses && !textual) {
                return part(item, trueType, "", Status.UNSUPPORTED, "no text extraction for " + trueType);
            }
            if (content.length == 0) {
                return part(item, trueType, "", Status.OK, null);
            }
            String truncatedBy = null;
            int length = content.length;
            if (length > limits.maxAttachmentBytes()) {
                if (!TikaParsers.plain(type)) {
                    return part(item, trueType, "", Status.LIMIT, "larger than " + limits.maxAttachmentBytes()
                            + " bytes");
                }
                length = (int) limits.maxAttachmentBytes();
                truncatedBy = "first " + length + " bytes";
            } else if (content.length >= decomposer.limits().maxItemBytes()) {
                truncatedBy = "cut at the decomposition item limit (" + decomposer.limits().maxItemBytes() + " bytes)";
            }
            if (charsLeft <= 0) {
                limitsHit.add("message text limit of " + limits.maxMessageChars() + " characters");
                return part(item, trueType, "", Status.LIMIT, "message character limit ("
                        + limits.maxMessageChars() + ")");
            }
            long remaining = deadline - System.nanoTime();
            if (remaining <= 0) {
                limitsHit.add("message time budget of " + limits.messageTimeout());
                return part(item, trueType, "", Status.TIMEOUT, "message time budget (" + limits.messageTimeout()
                        + ") spent");
            }
            int writeLimit = Math.min(limits.maxAttachmentChars(), charsLeft);
            boolean messageCut = writeLimit < limits.maxAttachmentChars();
            Duration time = Duration.ofNanos(Math.min(limits.attachmentTimeout().toNanos(), remaining));
            boolean messageTime = time.compareTo(limits.attachmentTimeout()) < 0;
            Charset charset = declaredCharset(item.path());
            Parser parser = parses ? tika.documents() : tika.text();
            int embedded = embeddedLeft;
            int depth = Math.max(0, limits.maxDepth() - item.depth());
            Parse parse = new Parse(parser, tika.embedded(), content, length, item.filename(), trueType, charset,
                    writeLimit, depth, embedded);
            if (!inBody && !TikaParsers.plain(type)) {
                // one document, one status: its own parts in the decomposition are not extracted again
                covered.add(item.path() + "/");
            }
            Parsed result;
            try {
                result = pool.run(parse, time);
            } catch (ParsePool.NotDone e) {
                return notDone(item, trueType, e, time, messageTime);
            }
            embeddedLeft = Math.max(0, embeddedLeft - result.embedded());
            charsLeft -= result.text().length();
            if (result.error() != null) {
                return part(item, trueType, result.text(), result.error().status(), result.error().reason());
            }
            if (result.writeLimit()) {
                if (messageCut) {
                    limitsHit.add("message text limit of " + limits.maxMessageChars() + " characters");
                }
                return part(item, trueType, result.text(), Status.TRUNCATED, messageCut
                        ? "message character limit (" + limits.maxMessageChars() + ")"
                        : "character limit (" + limits.maxAttachmentChars() + ")");
            }
            if (result.embeddedSkipped() != null) {
                return part(item, trueType, result.text(), Status.TRUNCATED, result.embeddedSkipped());
            }
            if (truncatedBy != null) {
                return part(item, trueType, result.text(), Status.TRUNCATED, truncatedBy);
            }
            return part(item, trueType, result.text(), Status.OK, null);
        }

        private PartText notDone(ScanItem item, String trueType, ParsePool.NotDone e, Duration time,
                boolean messageTime) {
            return switch (e.outcome) {
                case TIMEOUT -> {
                    if (messageTime) {
                        limitsHit.add("message time budget of " + limits.messageTimeout());
                    }
                    yield part(item, trueType, "", Status.TIMEOUT, "no text after " + time.toMillis() + " ms");
                }
                case REJECTED -> part(item, trueType, "", Status.FAILED, "extraction busy: no parser thread free");
                case INTERRUPTED -> part(item, trueType, "", Status.FAILED, "interrupted");
                case FAILED -> {
                    Throwable cause = e.getCause();
                    LOG.debugf(cause, "text extraction of %s failed", item.path());
                    yield part(item, trueType, "", Status.FAILED, "parser error ("
                            + (cause == null ? "unknown" : cause.getClass().getSimpleName()) + ")");
                }
            };
        }

        /** The status of an entry the decomposition reported as unreadable, or null. */
        private PartText unread(ScanItem item, String trueType) {
            for (Finding f : parts.findings()) {
                if (f.detail() == null || !mentionsOwn(f.detail(), item.path())) {
                    continue;
                }
                if (f.symbol().equals(DecompositionSymbols.ARCHIVE_ENCRYPTED)) {
                    return part(item, trueType, "", Status.ENCRYPTED, "encrypted entry");
                }
                if (FAILED_SYMBOLS.contains(f.symbol())) {
                    return part(item, trueType, "", Status.FAILED, "not readable (" + f.symbol() + ")");
                }
            }
            return null;
        }

        /** An archive or attached message: its entries are items of their own. */
        private PartText container(ScanItem item, String trueType) {
            String prefix = item.path() + "/";
            Status status = null;
            String reason = null;
            for (Finding f : parts.findings()) {
                if (f.detail() == null || !mentionsOwn(f.detail(), item.path())) {
                    continue;
                }
                if (f.symbol().equals(DecompositionSymbols.ARCHIVE_ENCRYPTED)) {
                    status = Status.ENCRYPTED;
                    reason = "encrypted entries";
                    break;
                }
                if (status == null && LIMIT_SYMBOLS.contains(f.symbol())) {
                    status = Status.LIMIT;
                    reason = "not fully unpacked (" + f.symbol() + ")";
                } else if (status == null && FAILED_SYMBOLS.contains(f.symbol())) {
                    status = Status.FAILED;
                    reason = "not fully unpacked (" + f.symbol() + ")";
                }
            }
            if (status == null && !hasChildren(item.path())) {
                if (item.depth() >= decomposer.limits().maxDepth() || item.depth() >= limits.maxDepth()) {
                    status = Status.LIMIT;
                    reason = "nested deeper than " + Math.min(decomposer.limits().maxDepth(), limits.maxDepth());
                } else {
                    status = Status.FAILED;
                    reason = "no entries could be read";
                }
            }
            if (status == Status.LIMIT && reason.startsWith("nested")) {
                limitsHit.add("items nested deeper than " + Math.min(decomposer.limits().maxDepth(),
                        limits.maxDepth()));
            }
            return part(item, trueType, "", status == null ? Status.CONTAINER : status, status == null ? null
                    : reason + " in " + prefix.substring(0, prefix.length() - 1));
        }

        /** Whether the finding is about this item or entries of it that are not items of their own. */
        private boolean mentionsOwn(String detail, String path) {
            if (!mentions(detail, path)) {
                return false;
            }
            String prefix = path + "/";
            return parts.items().stream().noneMatch(i -> i.path().startsWith(prefix) && mentions(detail, i.path()));
        }

        private boolean hasChildren(String path) {
            String prefix = path + "/";
            return parts.items().stream().anyMatch(i -> i.path().startsWith(prefix));
        }

        private boolean isCovered(String path) {
            for (String prefix : covered) {
                if (path.startsWith(prefix)) {
                    return true;
                }
            }
            return false;
        }

        private Charset declaredCharset(String path) {
            String name = parts.charsets().get(path);
            if (name == null || name.equalsIgnoreCase("us-ascii") || name.equalsIgnoreCase("ascii")) {
                return null; // undeclared or the default: let the bytes tell (8-bit text is common in "us-ascii")
            }
            try {
                return Charset.forName(name.replace("\"", "").trim());
            } catch (IllegalCharsetNameException | UnsupportedCharsetException e) {
                return null;
            }
        }
    }

    /** Whether a decomposition finding's detail names the path or one of its entries ({@code part/2} not part/2.1). */
    static boolean mentions(String detail, String path) {
        return Pattern.compile(Pattern.quote(path) + "(?![0-9]|\\.[0-9])").matcher(detail).find();
    }

    private static PartText part(ScanItem item, String trueType, String text, Status status, String reason) {
        return new PartText(item.path(), item.filename(), trueType, item.content().length, text, status, reason);
    }

    /** A parse's outcome: the text so far and whether a limit or an error ended it. */
    private record Parsed(String text, boolean writeLimit, int embedded, String embeddedSkipped, ParseError error) {
    }

    private record ParseError(Status status, String reason) {
    }

    /** One Tika parse on a pool thread; the text is kept to the write limit, whatever the outcome. */
    private static final class Parse implements java.util.concurrent.Callable<Parsed> {
        private final Parser parser;
        private final Parser embeddedParser;
        private final byte[] content;
        private final int length;
        private final String filename;
        private final String trueType;
        private final Charset charset;
        private final int writeLimit;
        private final int depth;
        private final int embedded;

        Parse(Parser parser, Parser embeddedParser, byte[] content, int length, String filename, String trueType,
                Charset charset, int writeLimit, int depth, int embedded) {
            this.parser = parser;
            this.embeddedParser = embeddedParser;
            this.content = content;
            this.length = length;
            this.filename = filename;
            this.trueType = trueType;
            this.charset = charset;
            this.writeLimit = writeLimit;
            this.depth = depth;
            this.embedded = embedded;
        }

        @Override
        public Parsed call() throws IOException {
            Metadata metadata = new Metadata();
            if (filename != null) {
                metadata.set(TikaCoreProperties.RESOURCE_NAME_KEY, filename);
            }
            metadata.set(Metadata.CONTENT_TYPE, charset == null ? trueType : trueType + "; charset=" + charset.name());
            ParseContext context = new ParseContext();
            context.set(Parser.class, embeddedParser);
            LimitedEmbedded extractor = new LimitedEmbedded(context, depth, embedded, length);
            context.set(EmbeddedDocumentExtractor.class, extractor);
            if (charset != null) {
                context.set(org.apache.tika.detect.EncodingDetector.class, (in, m) -> charset);
            }
            PDFParserConfig pdf = new PDFParserConfig();
            pdf.setOcrStrategy(PDFParserConfig.OCR_STRATEGY.NO_OCR);
            pdf.setExtractInlineImages(false);
            context.set(PDFParserConfig.class, pdf);
            if (PdfGuard.isPdf(content, length) && PdfGuard.bomb(content, length)) {
                return new Parsed("", false, 0, null, new ParseError(Status.LIMIT, PdfGuard.REASON));
            }
            BodyContentHandler handler = new BodyContentHandler(writeLimit);
            ParseError error = null;
            boolean cut = false;
            try (InputStream in = TikaInputStream.get(new java.io.ByteArrayInputStream(content, 0, length))) {
                parser.parse(in, handler, metadata, context);
            } catch (SAXException | org.apache.tika.exception.TikaException | RuntimeException e) {
                if (WriteLimitReachedException.isWriteLimitReached(e)) {
                    cut = true;
                } else {
                    error = classify(e);
                }
            }
            return new Parsed(handler.toString(), cut, extractor.parsed, extractor.skipped, error);
        }

        private static ParseError classify(Exception e) {
            for (Throwable t = e; t != null; t = t.getCause()) {
                if (t instanceof EncryptedDocumentException
                        || t instanceof org.apache.poi.EncryptedDocumentException
                        || t instanceof org.apache.pdfbox.pdmodel.encryption.InvalidPasswordException) {
                    return new ParseError(Status.ENCRYPTED, "encrypted document");
                }
                if (t instanceof ZeroByteFileException) {
                    return null;
                }
                if (t instanceof UnsupportedFormatException) {
                    return new ParseError(Status.UNSUPPORTED, "unsupported format version");
                }
                if (t.getCause() == t) {
                    break;
                }
            }
            Throwable root = e;
            while (root.getCause() != null && root.getCause() != root) {
                root = root.getCause();
            }
            return new ParseError(Status.FAILED, "parser error (" + e.getClass().getSimpleName()
                    + (root == e ? "" : ": " + root.getClass().getSimpleName()) + ")");
        }
    }

    /**
     * Parses documents embedded in a document (an Excel sheet in a Word file, a PDF's attachments) into the same text,
     * within the depth and count left; a skipped one makes the part TRUNCATED.
     */
    private static final class LimitedEmbedded extends ParsingEmbeddedDocumentExtractor {
        private final int maxDepth;
        private final int max;
        private final int maxPdfBytes;
        private int depth;
        int parsed;
        String skipped;

        LimitedEmbedded(ParseContext context, int maxDepth, int max, int maxPdfBytes) {
            super(context);
            this.maxDepth = maxDepth;
            this.max = max;
            this.maxPdfBytes = maxPdfBytes;
            setWriteFileNameToContent(false);
        }

        @Override
        public boolean shouldParseEmbedded(Metadata metadata) {
            String type = metadata.get(Metadata.CONTENT_TYPE);
            if (type != null && type.startsWith("image/")) {
                return false; // pictures carry no text here (no OCR): neither parsed nor counted
            }
            if (depth >= maxDepth) {
                skipped = "embedded documents nested deeper than the depth limit not extracted";
                return false;
            }
            if (parsed >= max) {
                skipped = "embedded documents beyond the count limit not extracted";
                return false;
            }
            return super.shouldParseEmbedded(metadata);
        }

        @Override
        public void parseEmbedded(InputStream stream, ContentHandler handler, Metadata metadata, boolean outputHtml)
                throws SAXException, IOException {
            parsed++;
            InputStream in = stream.markSupported() ? stream : new BufferedInputStream(stream);
            in.mark(PdfGuard.HEADER_WINDOW);
            byte[] head = in.readNBytes(PdfGuard.HEADER_WINDOW);
            in.reset();
            if (PdfGuard.isPdf(head, head.length)) {
                // a PDF in a document: the same deflate-bomb check as for attachments, on at most the attachment size
                byte[] pdf = in.readNBytes(maxPdfBytes + 1);
                if (pdf.length > maxPdfBytes || PdfGuard.bomb(pdf, pdf.length)) {
                    skipped = "an embedded PDF was not extracted: " + PdfGuard.REASON;
                    return;
                }
                in = TikaInputStream.get(pdf);
            }
            depth++;
            try {
                super.parseEmbedded(in, handler, metadata, outputHtml);
            } finally {
                depth--;
            }
        }
    }

    /**
     * PDF deflate bombs: PDFBox inflates object and cross-reference streams into the heap without a bound, so a PDF
     * whose structure streams inflate beyond {@link PdfTokens#MAX_STRUCTURE_STREAM_BYTES} is never handed to it (the
     * decomposer's check, {@code PdfExpander}).
     */
    static final class PdfGuard {
        static final int HEADER_WINDOW = 1024;
        static final String REASON = "PDF structure streams inflate beyond "
                + PdfTokens.MAX_STRUCTURE_STREAM_BYTES + " bytes";
        private static final byte[] MAGIC = "%PDF-".getBytes(StandardCharsets.US_ASCII);

        private PdfGuard() {
        }

        static boolean isPdf(byte[] b, int length) {
            int end = Math.min(length, HEADER_WINDOW) - MAGIC.length;
            outer:
            for (int i = 0; i <= end; i++) {
                for (int j = 0; j < MAGIC.length; j++) {
                    if (b[i + j] != MAGIC[j]) {
                        continue outer;
                    }
                }
                return true;
            }
            return false;
        }

        static boolean bomb(byte[] b, int length) {
            byte[] pdf = length == b.length ? b : Arrays.copyOf(b, length);
            return PdfTokens.scan(pdf, PdfTokens.MAX_STRUCTURE_STREAM_BYTES).objectStreamProblem() != null;
        }
    }
}
