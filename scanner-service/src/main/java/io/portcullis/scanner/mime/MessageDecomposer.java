package io.portcullis.scanner.mime;

import static io.portcullis.scanner.mime.DecompositionSymbols.MIME_DEFECT;
import static io.portcullis.scanner.mime.DecompositionSymbols.MIME_LIMIT;
import static io.portcullis.scanner.mime.DecompositionSymbols.MIME_MALFORMED;

import io.portcullis.contracts.scan.ScanItem;
import io.portcullis.scanner.config.ScannerConfig;
import io.quarkus.runtime.Startup;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import org.apache.james.mime4j.MimeException;
import org.apache.james.mime4j.codec.DecodeMonitor;
import org.apache.james.mime4j.codec.DecoderUtil;
import org.apache.james.mime4j.dom.field.ContentDispositionField;
import org.apache.james.mime4j.dom.field.ContentTypeField;
import org.apache.james.mime4j.dom.field.ParsedField;
import org.apache.james.mime4j.field.LenientFieldParser;
import org.apache.james.mime4j.io.MaxHeaderLengthLimitException;
import org.apache.james.mime4j.io.MaxHeaderLimitException;
import org.apache.james.mime4j.io.MaxLineLimitException;
import org.apache.james.mime4j.message.DefaultBodyDescriptorBuilder;
import org.apache.james.mime4j.parser.AbstractContentHandler;
import org.apache.james.mime4j.parser.MimeStreamParser;
import org.apache.james.mime4j.stream.BodyDescriptor;
import org.apache.james.mime4j.stream.Field;
import org.apache.james.mime4j.stream.MimeConfig;
import org.apache.james.mime4j.util.MimeUtil;
import org.jboss.logging.Logger;

/**
 * Takes an RFC 822 message apart into {@link ScanItem}s with mime4j's streaming parser: the raw message, every
 * decoded leaf part (base64 and quoted-printable decoded), parts of embedded message/rfc822 messages, and archive
 * entries of every layer ({@link ArchiveExpander}). Part paths follow IMAP numbering: {@code part/1},
 * {@code part/2.1}; archive entries append {@code /<format>:<entry name>} ({@code part/2/gz:a.tar/tar:b.txt}).
 * Names with a deceptive double extension are DOUBLE_EXTENSION findings.
 *
 * <p>Lenient but bounded: defects the parser recovers from are one MIME_DEFECT finding (CONTENT); a limit or an
 * unrecoverable error stops parsing with a MIME_LIMIT or MIME_MALFORMED finding (FAILURE), and what was read before
 * still gets scanned. Never throws for any input.
 */
@ApplicationScoped
@Startup
public class MessageDecomposer {
    private static final Logger LOG = Logger.getLogger(MessageDecomposer.class);
    private static final int MAX_HEADER_VALUE_CHARS = 2048;
    /** Top-level header fields kept for policy rules; a header block longer than this is cut (rules see the first). */
    static final int MAX_TOP_FIELDS = 500;

    private final DecompositionLimits limits;
    private final MimeConfig mimeConfig;
    private final ArchiveExpander archives = new ArchiveExpander(this::parseEmbedded);

    @Inject
    public MessageDecomposer(ScannerConfig config) {
        this(DecompositionLimits.from(config.scanner().limits()));
    }

    public MessageDecomposer(DecompositionLimits limits) {
        this.limits = limits;
        this.mimeConfig = MimeConfig.custom()
                .setStrictParsing(false)
                .setMalformedHeaderStartsBody(true)
                .setMaxLineLen(limits.maxLineBytes())
                .setMaxHeaderCount(limits.maxHeaderCount())
                .setMaxHeaderLen(limits.maxHeaderBytes())
                .setMaxContentLen(-1)
                .build();
    }

    public DecompositionLimits limits() {
        return limits;
    }

    /** Never throws: every problem becomes a finding, and the raw message is always the first item. */
    public Decomposition decompose(byte[] raw) {
        DecompositionState state = new DecompositionState(limits);
        state.addRaw(raw);
        DefectMonitor monitor = new DefectMonitor();
        Handler handler = new Handler(state, "part/", 1, true);
        try {
            parser(monitor, handler).parse(new ByteArrayInputStream(raw));
        } catch (PartLimitReached e) {
            // reported when reached; parsing stops here on purpose
        } catch (MimeException | IOException | RuntimeException e) {
            reportParseError(e, handler, state);
        } catch (StackOverflowError e) {
            state.failure(MIME_MALFORMED, "MIME structure too deeply nested after " + handler.entities + " entities");
        }
        for (ScanItem item : state.items()) {
            String deceptive = FileNames.doubleExtension(item.filename());
            if (deceptive != null) {
                state.failure(DecompositionSymbols.DOUBLE_EXTENSION, deceptive + " in " + item.path());
            }
        }
        if (monitor.count > 0) {
            state.content(MIME_DEFECT, monitor.count + " MIME defect(s) recovered, first: " + monitor.first);
        }
        return new Decomposition(state.items(), state.findings(), handler.subject, handler.messageId,
                handler.headers, state.charsets());
    }

    private MimeStreamParser parser(DefectMonitor monitor, Handler handler) {
        MimeStreamParser parser = new MimeStreamParser(mimeConfig, monitor,
                new DefaultBodyDescriptorBuilder(null, LenientFieldParser.getParser(), DecodeMonitor.SILENT));
        parser.setContentDecoding(true);
        parser.setRecurse();
        parser.setContentHandler(handler);
        return parser;
    }

    /**
     * A message inside an item (an attached .eml that was not declared message/rfc822, a mailbox, a message in an
     * archive): its parts become items {@code <prefix><imap part number>} at the given depth, with the same limits.
     */
    private void parseEmbedded(String prefix, byte[] message, int depth, DecompositionState state) {
        DefectMonitor monitor = new DefectMonitor();
        Handler handler = new Handler(state, prefix, depth, false);
        try {
            parser(monitor, handler).parse(new ByteArrayInputStream(message));
        } catch (PartLimitReached e) {
            // reported when reached
        } catch (MimeException | IOException | RuntimeException e) {
            reportParseError(e, handler, state);
        } catch (StackOverflowError e) {
            state.failure(MIME_MALFORMED, "embedded message " + prefix + " too deeply nested");
        }
        if (monitor.count > 0) {
            state.content(MIME_DEFECT, monitor.count + " MIME defect(s) recovered in " + prefix + ", first: "
                    + monitor.first);
        }
    }

    private void reportParseError(Exception e, Handler handler, DecompositionState state) {
        String where = " after " + handler.entities + " MIME entities; the rest was not scanned";
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof PartLimitReached) {
                return;
            }
            if (t instanceof MaxHeaderLengthLimitException) {
                state.limit(MIME_LIMIT, "header-bytes", "a header field is longer than " + limits.maxHeaderBytes()
                        + " bytes" + where);
                return;
            }
            if (t instanceof MaxHeaderLimitException) {
                state.limit(MIME_LIMIT, "header-count", "more than " + limits.maxHeaderCount()
                        + " header fields in one entity" + where);
                return;
            }
            if (t instanceof MaxLineLimitException) {
                state.limit(MIME_LIMIT, "line-bytes", "a line is longer than " + limits.maxLineBytes() + " bytes"
                        + where);
                return;
            }
        }
        LOG.debugf(e, "MIME parsing stopped");
        state.failure(MIME_MALFORMED, "MIME parsing failed (" + e.getClass().getSimpleName() + ")" + where);
    }

    /** Thrown by the handler to stop parsing at the part limit (mime4j's own stop() can loop forever). */
    private static final class PartLimitReached extends MimeException {
        PartLimitReached() {
            super("MIME part limit reached");
        }
    }

    /** Counts the defects mime4j recovers from (messages are fixed texts, never content). */
    private static final class DefectMonitor extends DecodeMonitor {
        private int count;
        private String first;

        @Override
        public boolean warn(String error, String dropDesc) {
            if (count++ == 0) {
                first = error == null ? "unknown" : error.length() > 100 ? error.substring(0, 100) : error;
            }
            return false;
        }

        @Override
        public boolean isListening() {
            return true;
        }
    }

    /** One MIME entity being parsed: a message (top-level or embedded) or a body part. */
    private static final class Frame {
        final String path;
        final boolean message;
        int children;
        /** Every file name the entity's headers give, in header order: filename forms first, then name forms. */
        final Set<String> dispositionNames = new LinkedHashSet<>();
        final Set<String> typeNames = new LinkedHashSet<>();

        Frame(String path, boolean message) {
            this.path = path;
            this.message = message;
        }

        String childPath(int n) {
            return path.isEmpty() ? String.valueOf(n) : path + "." + n;
        }

        List<String> names() {
            Set<String> all = new LinkedHashSet<>(dispositionNames);
            all.addAll(typeNames);
            return new ArrayList<>(all);
        }
    }

    private final class Handler extends AbstractContentHandler {
        private final DecompositionState state;
        private final String prefix;
        private final int depth;
        private final boolean topLevel;
        private final Deque<Frame> frames = new ArrayDeque<>();
        int entities;
        String subject;
        String messageId;
        /** Top-level fields for policy header conditions, bounded by {@link #MAX_TOP_FIELDS}. */
        final Map<String, List<String>> headers = new LinkedHashMap<>();
        int topFields;

        Handler(DecompositionState state, String prefix, int depth, boolean topLevel) {
            this.state = state;
            this.prefix = prefix;
            this.depth = depth;
            this.topLevel = topLevel;
        }

        @Override
        public void startMessage() throws MimeException {
            if (frames.isEmpty()) {
                frames.push(new Frame("", true));
                return;
            }
            count();
            // An embedded message is the body of the message/rfc822 part it is in: same path.
            frames.push(new Frame(frames.peek().path, true));
        }

        @Override
        public void endMessage() {
            frames.poll();
        }

        @Override
        public void startBodyPart() throws MimeException {
            count();
            Frame parent = frames.peek();
            String path = parent == null ? "?" : parent.childPath(++parent.children);
            frames.push(new Frame(path, false));
        }

        @Override
        public void endBodyPart() {
            frames.poll();
        }

        private void count() throws MimeException {
            entities++;
            if (!state.takeMimePart()) {
                state.limit(MIME_LIMIT, "mime-parts", "more than " + limits.maxMimeParts()
                        + " MIME parts; the rest was not scanned");
                throw new PartLimitReached();
            }
        }

        @Override
        public void field(Field field) {
            Frame frame = frames.peek();
            if (frame == null || field.getName() == null) {
                return;
            }
            try {
                String name = field.getName().toLowerCase(Locale.ROOT);
                boolean top = topLevel && frames.size() == 1;
                if (top && topFields++ < MAX_TOP_FIELDS && name.length() <= 76) {
                    String text = headerText(field, true);
                    headers.computeIfAbsent(name, n -> new ArrayList<>()).add(text == null ? "" : text);
                }
                switch (name) {
                    case "content-type" -> {
                        if (parsed(field) instanceof ContentTypeField ct) {
                            addNames(frame.typeNames, ct.getParameter("name"), Rfc2231.decode(ct.getParameters(),
                                    "name"));
                        }
                    }
                    case "content-disposition" -> {
                        if (parsed(field) instanceof ContentDispositionField cd) {
                            addNames(frame.dispositionNames, cd.getFilename(), cd.getParameter("filename"),
                                    Rfc2231.decode(cd.getParameters(), "filename"));
                        }
                    }
                    case "subject" -> {
                        if (top && subject == null) {
                            subject = headerText(field, true);
                        }
                    }
                    case "message-id" -> {
                        if (top && messageId == null) {
                            messageId = headerText(field, false);
                        }
                    }
                    default -> {
                    }
                }
            } catch (RuntimeException e) {
                LOG.debugf(e, "unparseable %s field ignored", field.getName());
            }
        }

        @Override
        public void body(BodyDescriptor bd, InputStream in) {
            Frame frame = frames.peek();
            if (frame == null) {
                return;
            }
            String path = prefix + (frame.message ? frame.childPath(1) : frame.path);
            String contentType = bd.getMimeType();
            List<String> names = frame.names();
            String primary = names.isEmpty() ? null : names.get(0);
            state.declareCharset(path, bd.getCharset());
            ScanItem item = state.readItem(path, primary, contentType, depth, in, MIME_LIMIT, MIME_MALFORMED);
            // ScanItem carries one file name: every other one travels as a name-only item with the same path.
            for (String alternative : names.subList(Math.min(1, names.size()), names.size())) {
                state.addNameOnly(path, alternative, contentType, depth);
            }
            String archiveName = names.stream().filter(n -> ArchiveFormat.byName(n) != null).findFirst()
                    .orElse(primary);
            archives.expandIfArchive(item, archiveName, state);
        }

        private ParsedField parsed(Field field) {
            return field instanceof ParsedField p ? p : LenientFieldParser.getParser().parse(field, DecodeMonitor.SILENT);
        }

        private String headerText(Field field, boolean decode) {
            String body = field.getBody();
            if (body == null) {
                return null;
            }
            String text = MimeUtil.unfold(body).trim();
            if (decode) {
                text = DecoderUtil.decodeEncodedWords(text, DecodeMonitor.SILENT);
            }
            return text.length() > MAX_HEADER_VALUE_CHARS ? text.substring(0, MAX_HEADER_VALUE_CHARS) : text;
        }
    }

    /**
     * Adds the cleaned forms of header file names: RFC 2047 encoded words decoded, control characters removed, and
     * for a name with a NUL also the part before it (what C-based clients see).
     */
    private static void addNames(Set<String> names, String... values) {
        for (String value : values) {
            if (value == null) {
                continue;
            }
            String decoded = value.contains("=?") ? DecoderUtil.decodeEncodedWords(value, DecodeMonitor.SILENT)
                    : value;
            int nul = decoded.indexOf('\0');
            if (nul > 0) {
                add(names, cleanName(decoded.substring(0, nul)));
            }
            add(names, cleanName(decoded));
        }
    }

    private static void add(Set<String> names, String name) {
        if (name != null) {
            names.add(name);
        }
    }

    private static String cleanName(String name) {
        String n = name.replaceAll("\\p{Cntrl}", "").trim();
        if (n.isEmpty()) {
            return null;
        }
        return ArchiveExpander.shorten(n, 512);
    }
}
