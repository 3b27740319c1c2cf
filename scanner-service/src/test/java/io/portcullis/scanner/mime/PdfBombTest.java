package io.portcullis.scanner.mime;

import static io.portcullis.scanner.support.TestMessages.withAttachment;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.portcullis.contracts.scan.Category;
import io.portcullis.contracts.scan.Finding;
import io.portcullis.contracts.scan.ScanItem;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.zip.Adler32;
import java.util.zip.Deflater;
import java.util.zip.DeflaterOutputStream;
import org.apache.pdfbox.Loader;
import org.apache.pdfbox.cos.COSArray;
import org.apache.pdfbox.cos.COSBase;
import org.apache.pdfbox.cos.COSDictionary;
import org.apache.pdfbox.cos.COSName;
import org.apache.pdfbox.cos.COSStream;
import org.apache.pdfbox.pdfwriter.compress.CompressParameters;
import org.apache.pdfbox.pdmodel.PDDocument;
import org.apache.pdfbox.pdmodel.PDDocumentNameDictionary;
import org.apache.pdfbox.pdmodel.PDEmbeddedFilesNameTreeNode;
import org.apache.pdfbox.pdmodel.PDPage;
import org.apache.pdfbox.pdmodel.common.filespecification.PDComplexFileSpecification;
import org.apache.pdfbox.pdmodel.common.filespecification.PDEmbeddedFile;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * PDF deflate bombs: in structure streams they are refused by the decomposer before PDFBox loads the file (PDFBox 3
 * inflates object streams into the heap without a limit); in embedded files they are decoded up to the per-item limit
 * only. Meant to pass in a small heap too (before the fix, these ran out of memory there):
 * {@code mvn -o -pl scanner-service test -Dtest=PdfBombTest -DargLine=-Xmx64m}.
 */
class PdfBombTest {
    /** Inflates to this many zero bytes: above the 64 MiB structure-stream bound, ~100 KB deflated. */
    private static final int BOMB_BYTES = 96 << 20;

    private final MessageDecomposer decomposer = new MessageDecomposer(DecompositionLimits.DEFAULTS);

    @Test
    @Timeout(value = 60, unit = TimeUnit.SECONDS)
    void objectStreamThatInflatesToNinetySixMebibytesIsRefusedBeforePdfboxLoadsIt() throws IOException {
        byte[] pdf = pdfWithObjectStream(zeros(BOMB_BYTES), 4, "/Type /ObjStm");
        assertTrue(pdf.length < 200_000, "a small file: " + pdf.length);
        Decomposition d = decomposer.decompose(withAttachment("bomb.pdf", pdf));
        List<Finding> expanded = failures(d, DecompositionSymbols.ARCHIVE_EXPANDED);
        assertEquals(1, expanded.size(), d.findings().toString());
        assertEquals("pdf: part/2 has an object stream that inflates to more than 67108864 bytes; not unpacked",
                expanded.get(0).detail());
    }

    @Test
    @Timeout(value = 60, unit = TimeUnit.SECONDS)
    void objectStreamWithoutItsTypeIsStillChecked() throws IOException {
        // PDFBox parses any stream the cross-reference stream names as an object stream, /Type or not
        byte[] pdf = pdfWithObjectStream(zeros(BOMB_BYTES), 4, "");
        Decomposition d = decomposer.decompose(withAttachment("bomb.pdf", pdf));
        assertEquals(1, failures(d, DecompositionSymbols.ARCHIVE_EXPANDED).size(), d.findings().toString());
    }

    @Test
    @Timeout(value = 60, unit = TimeUnit.SECONDS)
    void endstreamInsideTheCompressedDataDoesNotCutTheCheckShort() throws IOException {
        // a stored deflate block holding the text "endstream", then the bomb; PDFBox goes by /Length
        byte[] text = "endstream".getBytes(StandardCharsets.US_ASCII);
        ByteArrayOutputStream z = new ByteArrayOutputStream();
        z.write(0x78);
        z.write(0x01);
        z.write(0x00);
        z.write(text.length);
        z.write(0);
        z.write(~text.length);
        z.write(0xFF);
        z.writeBytes(text);
        Deflater raw = new Deflater(9, true);
        Adler32 adler = new Adler32();
        adler.update(text);
        byte[] chunk = new byte[1 << 20];
        try (DeflaterOutputStream d = new DeflaterOutputStream(z, raw)) {
            for (int i = 0; i < BOMB_BYTES / chunk.length; i++) {
                d.write(chunk);
                adler.update(chunk);
            }
        }
        raw.end();
        long sum = adler.getValue();
        z.writeBytes(new byte[] {(byte) (sum >>> 24), (byte) (sum >>> 16), (byte) (sum >>> 8), (byte) sum});
        Decomposition d = decomposer.decompose(withAttachment("bomb.pdf", pdfWithObjectStream(z.toByteArray(), 4,
                "/Type /ObjStm")));
        assertEquals(1, failures(d, DecompositionSymbols.ARCHIVE_EXPANDED).size(), d.findings().toString());
    }

    @Test
    void smallObjectStreamIsNotAFinding() throws IOException {
        byte[] pdf = smallPdf();
        try (PDDocument doc = Loader.loadPDF(pdf)) {
            assertEquals(0, doc.getNumberOfPages(), "the catalog and page tree are read from the object stream");
        }
        Decomposition d = decomposer.decompose(withAttachment("small.pdf", pdf));
        assertEquals(List.of(), d.findings(), "a sound file is no finding");
    }

    @Test
    @Timeout(value = 60, unit = TimeUnit.SECONDS)
    void embeddedFileWithDecodeParmsIsDecodedOnlyUpToTheItemLimit() throws IOException {
        // DecodeParms send it through PDFBox's filters, which decode a whole stream into the heap
        COSDictionary parms = new COSDictionary();
        parms.setInt(COSName.PREDICTOR, 1);
        byte[] pdf = pdfWithEmbeddedFile(zeros(BOMB_BYTES), COSName.FLATE_DECODE, parms);
        assertTrue(pdf.length < 200_000, "a small file: " + pdf.length);
        DecompositionLimits limits = new DecompositionLimits(10, 100L << 20, 10_000, 1 << 20, 1000, 1000, 65536,
                65536);
        Decomposition d = new MessageDecomposer(limits).decompose(withAttachment("zeros.pdf", pdf));
        assertEquals(1 << 20, embedded(d).content().length);
        assertEquals(List.of("part/2/pdf:zeros.bin is larger than 1048576 bytes; only the first 1048576 were scanned"),
                failures(d, DecompositionSymbols.ARCHIVE_LIMIT).stream().map(Finding::detail).toList());
        assertEquals(List.of(), failures(d, DecompositionSymbols.ARCHIVE_CORRUPT), "decoded, not failed");
    }

    @Test
    void embeddedFileBehindTwoFlateFiltersIsDecodedByBoth() throws IOException {
        byte[] file = "the file a reader saves".getBytes(StandardCharsets.US_ASCII);
        COSArray twice = new COSArray();
        twice.add(COSName.FLATE_DECODE);
        twice.add(COSName.FLATE_DECODE);
        byte[] pdf = pdfWithEmbeddedFile(deflate(deflate(file)), twice, null);
        Decomposition d = decomposer.decompose(withAttachment("twice.pdf", pdf));
        assertArrayEquals(file, embedded(d).content(), "PDFBox alone drops a repeated filter: " + d.findings());
        assertEquals(List.of(), d.findings());
    }

    private static ScanItem embedded(Decomposition d) {
        return d.items().stream().filter(i -> i.path().startsWith("part/2/pdf:")).findFirst()
                .orElseThrow(() -> new AssertionError(d.findings().toString()));
    }

    /** A PDF with one embedded file {@code zeros.bin} whose stream data is {@code raw} as stored. */
    private static byte[] pdfWithEmbeddedFile(byte[] raw, COSBase filter, COSDictionary parms) throws IOException {
        try (PDDocument doc = new PDDocument(); ByteArrayOutputStream out = new ByteArrayOutputStream()) {
            doc.addPage(new PDPage());
            COSStream stream = doc.getDocument().createCOSStream();
            try (OutputStream o = stream.createRawOutputStream()) {
                o.write(raw);
            }
            stream.setItem(COSName.FILTER, filter);
            if (parms != null) {
                stream.setItem(COSName.DECODE_PARMS, parms);
            }
            PDComplexFileSpecification spec = new PDComplexFileSpecification();
            spec.setFile("zeros.bin");
            spec.setEmbeddedFile(new PDEmbeddedFile(stream));
            PDEmbeddedFilesNameTreeNode tree = new PDEmbeddedFilesNameTreeNode();
            tree.setNames(Map.of("zeros.bin", spec));
            PDDocumentNameDictionary names = new PDDocumentNameDictionary(doc.getDocumentCatalog());
            names.setEmbeddedFiles(tree);
            doc.getDocumentCatalog().setNames(names);
            doc.save(out, CompressParameters.NO_COMPRESSION);
            return out.toByteArray();
        }
    }

    private static List<Finding> failures(Decomposition d, String symbol) {
        return d.findings().stream().filter(f -> f.symbol().equals(symbol))
                .peek(f -> assertEquals(Category.FAILURE, f.category())).toList();
    }

    private static byte[] zeros(int n) throws IOException {
        ByteArrayOutputStream z = new ByteArrayOutputStream();
        try (DeflaterOutputStream d = new DeflaterOutputStream(z, new Deflater(9))) {
            byte[] chunk = new byte[1 << 20];
            for (int i = 0; i < n / chunk.length; i++) {
                d.write(chunk);
            }
        }
        return z.toByteArray();
    }

    /**
     * A well-formed PDF 1.5 file: catalog (object 4) and page tree (object 5) inside object stream 3, found through a
     * cross-reference stream; {@code data} is the object stream's data as stored (deflated), {@code first} its
     * {@code /First}.
     */
    static byte[] pdfWithObjectStream(byte[] data, int first, String type) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.writeBytes(ascii("%PDF-1.5\n%\u00e2\u00e3\u00cf\u00d3\n"));
        int obj3 = out.size();
        out.writeBytes(ascii("3 0 obj\n<< " + type + " /N 2 /First " + first + " /Filter /FlateDecode /Length "
                + data.length + " >>\nstream\n"));
        out.writeBytes(data);
        out.writeBytes(ascii("\nendstream\nendobj\n"));
        int xref = out.size();
        // W [1 4 2]: type, offset or object stream number, generation or index
        ByteArrayOutputStream rows = new ByteArrayOutputStream();
        row(rows, 0, 0, 0xFFFF);
        row(rows, 0, 0, 0);
        row(rows, 0, 0, 0);
        row(rows, 1, obj3, 0);
        row(rows, 2, 3, 0);
        row(rows, 2, 3, 1);
        row(rows, 1, xref, 0);
        out.writeBytes(ascii("6 0 obj\n<< /Type /XRef /Size 7 /W [1 4 2] /Root 4 0 R /Length " + rows.size()
                + " >>\nstream\n"));
        out.writeBytes(rows.toByteArray());
        out.writeBytes(ascii("\nendstream\nendobj\nstartxref\n" + xref + "\n%%EOF\n"));
        return out.toByteArray();
    }

    /** The same file with a harmless object stream (a catalog and an empty page tree). */
    static byte[] smallPdf() throws IOException {
        String catalog = "<< /Type /Catalog /Pages 5 0 R >>\n";
        String objects = catalog + "<< /Type /Pages /Kids [] /Count 0 >>";
        String header = "4 0 5 " + catalog.length() + "\n";
        return pdfWithObjectStream(deflate(ascii(header + objects)), header.length(), "/Type /ObjStm");
    }

    private static void row(ByteArrayOutputStream rows, int type, int field2, int field3) {
        rows.write(type);
        for (int shift = 24; shift >= 0; shift -= 8) {
            rows.write(field2 >>> shift);
        }
        rows.write(field3 >>> 8);
        rows.write(field3);
    }

    private static byte[] deflate(byte[] b) throws IOException {
        ByteArrayOutputStream z = new ByteArrayOutputStream();
        try (DeflaterOutputStream d = new DeflaterOutputStream(z)) {
            d.write(b);
        }
        return z.toByteArray();
    }

    private static byte[] ascii(String s) {
        return s.getBytes(StandardCharsets.ISO_8859_1);
    }
}
