package io.portcullis.scanner.content;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.util.Set;
import org.apache.tika.detect.DefaultDetector;
import org.apache.tika.detect.Detector;
import org.apache.tika.io.TikaInputStream;
import org.apache.tika.metadata.Metadata;
import org.apache.tika.metadata.TikaCoreProperties;
import org.apache.tika.mime.MediaType;
import org.apache.tika.mime.MediaTypeRegistry;
import org.apache.tika.mime.MimeTypes;
import org.apache.tika.parser.AutoDetectParser;
import org.apache.tika.parser.CompositeParser;
import org.apache.tika.parser.ParseContext;
import org.apache.tika.parser.Parser;
import org.apache.tika.parser.epub.EpubParser;
import org.apache.tika.parser.html.JSoupParser;
import org.apache.tika.parser.microsoft.OfficeParser;
import org.apache.tika.parser.microsoft.OldExcelParser;
import org.apache.tika.parser.microsoft.ooxml.OOXMLParser;
import org.apache.tika.parser.microsoft.rtf.RTFParser;
import org.apache.tika.parser.odf.FlatOpenDocumentParser;
import org.apache.tika.parser.odf.OpenDocumentParser;
import org.apache.tika.parser.pdf.PDFParser;
import org.apache.tika.parser.txt.TXTParser;
import org.apache.tika.parser.wordperfect.WordPerfectParser;
import org.apache.tika.parser.xml.XMLParser;

/**
 * The Tika detector and parsers text extraction uses: an explicit list of document parsers (PDF, OLE2 and OOXML
 * Office, OpenDocument, RTF, HTML, plain text, XML, EPUB, WordPerfect) instead of Tika's service-loaded set, so that
 * no external program (Tesseract OCR, ffmpeg, exiftool) is ever started and nothing fetches from the network. Archives
 * are not parsed here: the scanner's own decomposition unpacks them within its limits, and their entries are
 * extracted one by one.
 */
final class TikaParsers {
    private static final MediaTypeRegistry REGISTRY = MimeTypes.getDefaultMimeTypes().getMediaTypeRegistry();

    private final Detector detector;
    /** Picks the parser by the detected type the caller passes (no second detection). */
    private final Parser documents;
    /** For documents embedded in documents: detects their type itself. */
    private final Parser embedded;
    private final Parser text;
    private final Set<MediaType> supported;

    TikaParsers() {
        this.detector = new DefaultDetector(MimeTypes.getDefaultMimeTypes(), TikaParsers.class.getClassLoader());
        this.text = new TXTParser();
        Parser[] parsers = {new PDFParser(), new OfficeParser(), new OldExcelParser(), new OOXMLParser(),
            new OpenDocumentParser(), new FlatOpenDocumentParser(), new RTFParser(), new JSoupParser(), text,
            new XMLParser(), new EpubParser(), new WordPerfectParser()};
        this.documents = new CompositeParser(REGISTRY, parsers);
        this.embedded = new AutoDetectParser(detector, parsers);
        this.supported = documents.getSupportedTypes(new ParseContext());
    }

    /** A parser for tests (one that sleeps, one that fails); the detector stays Tika's. */
    TikaParsers(Parser documents) {
        this.detector = new DefaultDetector(MimeTypes.getDefaultMimeTypes(), TikaParsers.class.getClassLoader());
        this.text = documents;
        this.documents = documents;
        this.embedded = documents;
        this.supported = documents.getSupportedTypes(new ParseContext());
    }

    /** The true type of bytes (container-aware: docx, xlsx, odt and msg are told apart from zip and OLE2). */
    MediaType detect(byte[] content, String filename) {
        Metadata metadata = new Metadata();
        if (filename != null) {
            metadata.set(TikaCoreProperties.RESOURCE_NAME_KEY, filename);
        }
        try (TikaInputStream in = TikaInputStream.get(new ByteArrayInputStream(content))) {
            return detector.detect(in, metadata);
        } catch (IOException | RuntimeException e) {
            return MediaType.OCTET_STREAM;
        }
    }

    /** Whether a document parser handles the type (itself or a supertype of it). */
    boolean parses(MediaType type) {
        for (MediaType t = REGISTRY.normalize(type.getBaseType()); t != null; t = REGISTRY.getSupertype(t)) {
            if (t.equals(MediaType.OCTET_STREAM)) {
                return false;
            }
            if (supported.contains(t)) {
                return true;
            }
        }
        return false;
    }

    /** Whether the type is text (text/*, or a specialisation of text/plain). */
    static boolean textual(MediaType type) {
        return type.getType().equals("text") || REGISTRY.isSpecializationOf(type, MediaType.TEXT_PLAIN);
    }

    /** Whether the type is plain text, where every byte is text (cut to a byte limit, it is still text). */
    static boolean plain(MediaType type) {
        return textual(type) && !type.getBaseType().equals(MediaType.TEXT_HTML)
                && !type.getSubtype().contains("xml") && !type.getSubtype().equals("rtf");
    }

    /** The document parsers, chosen by the Content-Type in the metadata (the detected true type). */
    Parser documents() {
        return documents;
    }

    /** The parser for embedded documents (auto-detecting). */
    Parser embedded() {
        return embedded;
    }

    /** The plain-text parser, for text types no document parser claims (text/csv, source code). */
    Parser text() {
        return text;
    }
}
