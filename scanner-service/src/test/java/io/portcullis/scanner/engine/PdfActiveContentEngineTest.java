package io.portcullis.scanner.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.portcullis.contracts.scan.Category;
import io.portcullis.contracts.scan.EngineResult;
import io.portcullis.contracts.scan.Finding;
import io.portcullis.contracts.scan.ScanInput;
import io.portcullis.contracts.scan.ScanItem;
import io.portcullis.scanner.support.ClamavTestFiles;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.function.Consumer;
import java.util.zip.Deflater;
import java.util.zip.DeflaterOutputStream;
import org.apache.pdfbox.cos.COSArray;
import org.apache.pdfbox.cos.COSDictionary;
import org.apache.pdfbox.cos.COSName;
import org.apache.pdfbox.pdfwriter.compress.CompressParameters;
import org.apache.pdfbox.pdmodel.PDDocument;
import org.apache.pdfbox.pdmodel.PDDocumentNameDictionary;
import org.apache.pdfbox.pdmodel.PDJavascriptNameTreeNode;
import org.apache.pdfbox.pdmodel.PDPage;
import org.apache.pdfbox.pdmodel.encryption.AccessPermission;
import org.apache.pdfbox.pdmodel.encryption.StandardProtectionPolicy;
import org.apache.pdfbox.pdmodel.interactive.action.PDActionJavaScript;
import org.apache.pdfbox.pdmodel.interactive.action.PDActionLaunch;
import org.apache.pdfbox.pdmodel.interactive.action.PDActionSubmitForm;
import org.apache.pdfbox.pdmodel.interactive.action.PDActionURI;
import org.apache.pdfbox.pdmodel.interactive.action.PDPageAdditionalActions;
import org.apache.pdfbox.pdmodel.interactive.annotation.PDAnnotationLink;
import org.apache.pdfbox.pdmodel.interactive.documentnavigation.destination.PDPageFitDestination;
import org.junit.jupiter.api.Test;

class PdfActiveContentEngineTest {
    private final PdfActiveContentEngine engine = new PdfActiveContentEngine(50L << 20);

    private List<Finding> scan(byte[] pdf) {
        return scan(engine, pdf);
    }

    private static List<Finding> scan(PdfActiveContentEngine engine, byte[] pdf) {
        try {
            return engine.scan(new ScanInput("t", null, List.of(
                    new ScanItem("raw", null, "message/rfc822", 0, pdf),
                    new ScanItem("part/2", "doc.pdf", "application/pdf", 1, pdf)))).findings();
        } catch (InterruptedException e) {
            throw new AssertionError(e);
        }
    }

    private static List<String> symbols(List<Finding> findings) {
        return findings.stream().map(Finding::symbol).toList();
    }

    private static Finding only(List<Finding> findings, String symbol) {
        List<Finding> f = findings.stream().filter(x -> x.symbol().equals(symbol)).toList();
        assertEquals(1, f.size(), findings.toString());
        return f.get(0);
    }

    static byte[] pdf(Consumer<PDDocument> build) {
        return pdf(build, false);
    }

    static byte[] pdf(Consumer<PDDocument> build, boolean objectStreams) {
        try (PDDocument doc = new PDDocument(); ByteArrayOutputStream out = new ByteArrayOutputStream()) {
            doc.addPage(new PDPage());
            build.accept(doc);
            if (objectStreams) {
                doc.save(out, CompressParameters.DEFAULT_COMPRESSION);
            } else {
                doc.save(out, CompressParameters.NO_COMPRESSION);
            }
            return out.toByteArray();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static byte[] ascii(String s) {
        return s.getBytes(StandardCharsets.ISO_8859_1);
    }

    @Test
    void openActionJavaScriptIsActiveContent() {
        byte[] pdf = pdf(doc -> doc.getDocumentCatalog().setOpenAction(new PDActionJavaScript("app.alert(1)")));
        List<Finding> f = scan(pdf);
        Finding js = only(f, PdfActiveContentEngine.JAVASCRIPT);
        assertEquals(Category.ACTIVE_CONTENT, js.category());
        assertEquals("JavaScript in part/2: OpenAction", js.detail());
        assertEquals(List.of(PdfActiveContentEngine.JAVASCRIPT), symbols(f), "the raw message item is not a PDF item");
        assertFalse(js.detail().contains("alert"), "never the script itself");
    }

    @Test
    void documentLevelJavaScriptInTheNameTree() {
        byte[] pdf = pdf(doc -> {
            PDJavascriptNameTreeNode tree = new PDJavascriptNameTreeNode();
            tree.setNames(java.util.Map.of("init", new PDActionJavaScript("this.print()")));
            PDDocumentNameDictionary names = new PDDocumentNameDictionary(doc.getDocumentCatalog());
            names.setJavascript(tree);
            doc.getDocumentCatalog().setNames(names);
        });
        assertEquals("JavaScript in part/2: document JavaScript name tree",
                only(scan(pdf), PdfActiveContentEngine.JAVASCRIPT).detail());
    }

    @Test
    void javaScriptHiddenInACompressedObjectStreamIsFoundByTheParse() {
        byte[] pdf = pdf(doc -> {
            PDPageAdditionalActions aa = new PDPageAdditionalActions();
            aa.setO(new PDActionJavaScript("app.launchURL('x')"));
            doc.getPage(0).setActions(aa);
        }, true);
        assertTrue(new String(pdf, StandardCharsets.ISO_8859_1).contains("/ObjStm"), "objects are compressed");
        assertEquals(0, io.portcullis.scanner.engine.pdf.PdfTokensAccess.count(pdf, "JS"),
                "invisible to a raw scan");
        assertEquals("JavaScript in part/2: page AA/O", only(scan(pdf), PdfActiveContentEngine.JAVASCRIPT).detail());
    }

    @Test
    void launchActionInALinkAnnotation() throws IOException {
        byte[] pdf = pdf(doc -> {
            PDAnnotationLink link = new PDAnnotationLink();
            PDActionLaunch launch = new PDActionLaunch();
            launch.getCOSObject().setString(COSName.F, "cmd.exe");
            link.setAction(launch);
            try {
                doc.getPage(0).getAnnotations().add(link);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        });
        Finding launch = only(scan(pdf), PdfActiveContentEngine.LAUNCH);
        assertEquals(Category.ACTIVE_CONTENT, launch.category());
        assertEquals("launch action in part/2: action", launch.detail());
    }

    @Test
    void formSubmitOnPageOpenAndOpenActionUriAreAutoActionsAsContent() {
        byte[] pdf = pdf(doc -> {
            PDPageAdditionalActions aa = new PDPageAdditionalActions();
            aa.setO(new PDActionSubmitForm());
            doc.getPage(0).setActions(aa);
            PDActionURI uri = new PDActionURI();
            uri.setURI("https://example.net/");
            doc.getDocumentCatalog().setOpenAction(uri);
        });
        List<Finding> f = scan(pdf);
        Finding auto = only(f, PdfActiveContentEngine.AUTO_ACTION);
        assertEquals(Category.CONTENT, auto.category());
        assertTrue(auto.detail().startsWith("actions in part/2: "), auto.detail());
        assertTrue(auto.detail().contains("SubmitForm on page AA/O"), auto.detail());
        assertTrue(auto.detail().contains("OpenAction URI"), auto.detail());
        assertEquals(List.of(PdfActiveContentEngine.AUTO_ACTION), symbols(f));
    }

    @Test
    void plainPdfAndOpenActionToAPageReportNothing() {
        assertEquals(List.of(), scan(pdf(doc -> { })));
        byte[] jump = pdf(doc -> {
            PDPageFitDestination dest = new PDPageFitDestination();
            dest.setPage(doc.getPage(0));
            doc.getDocumentCatalog().setOpenAction(dest);
        });
        assertEquals(List.of(), scan(jump));
    }

    @Test
    void escapedJavaScriptNameInAnUnreferencedObjectIsStillReported() {
        String body = "%PDF-1.4\n1 0 obj\n<< /Type /Catalog /Pages 2 0 R >>\nendobj\n"
                + "2 0 obj\n<< /Type /Pages /Kids [] /Count 0 >>\nendobj\n"
                + "3 0 obj\n<< /S /J#61vaScript /J#53 (app.alert\\(1\\)) >>\nendobj\n"
                + "trailer\n<< /Root 1 0 R >>\n%%EOF\n";
        Finding js = only(scan(ascii(body)), PdfActiveContentEngine.JAVASCRIPT);
        assertTrue(js.detail().contains("escaped /JavaScript or /JS name"), js.detail());
    }

    @Test
    void namesInsideStreamsStringsAndCommentsAreNotTokens() {
        String body = "%PDF-1.4\n% /JavaScript in a comment\n1 0 obj\n<< /Title (about /JS and /Launch) >>\nendobj\n"
                + "2 0 obj\n<< /Length 20 >>\nstream\n/JS /Launch /JS x y\nendstream\nendobj\n";
        assertEquals(List.of(), io.portcullis.scanner.engine.pdf.PdfTokensAccess.names(ascii(body)));
    }

    @Test
    void garbageAfterTheHeaderIsUnparsableNotClean() {
        byte[] junk = new byte[4000];
        new java.util.Random(3).nextBytes(junk);
        byte[] pdf = concat(concat(ascii("%PDF-1.7\n1 0 obj\n<< /Type /Catalog /Pages "), junk), ascii(" >>"));
        Finding f = only(scan(pdf), PdfActiveContentEngine.UNPARSABLE);
        assertEquals(Category.FAILURE, f.category());
        assertTrue(f.detail().startsWith("PDF in part/2 PDFBox cannot parse it"), f.detail());
    }

    @Test
    void headerWithoutAnyObjectHasNothingToRun() {
        assertEquals(List.of(), scan(ascii("%PDF-1.4 nothing to see")));
    }

    @Test
    void userPasswordEncryptedPdfIsUnparsable() throws IOException {
        byte[] pdf;
        try (PDDocument doc = new PDDocument(); ByteArrayOutputStream out = new ByteArrayOutputStream()) {
            doc.addPage(new PDPage());
            doc.getDocumentCatalog().setOpenAction(new PDActionJavaScript("app.alert(2)"));
            StandardProtectionPolicy policy = new StandardProtectionPolicy("owner", "secret", new AccessPermission());
            policy.setEncryptionKeyLength(128);
            doc.protect(policy);
            doc.save(out, CompressParameters.NO_COMPRESSION);
            pdf = out.toByteArray();
        }
        List<Finding> f = scan(pdf);
        assertEquals("PDF in part/2 encrypted with a user password", only(f, PdfActiveContentEngine.UNPARSABLE).detail());
        assertEquals("JavaScript in part/2: /JavaScript or /JS name in the bytes",
                only(f, PdfActiveContentEngine.JAVASCRIPT).detail(), "names are not encrypted");
    }

    @Test
    void oversizedPdfIsNotParsedButTokenScanned() {
        byte[] pdf = pdf(doc -> doc.getDocumentCatalog().setOpenAction(new PDActionJavaScript("x()")));
        List<Finding> f = scan(new PdfActiveContentEngine(100), pdf);
        assertTrue(only(f, PdfActiveContentEngine.UNPARSABLE).detail().endsWith("larger than 100 bytes, not parsed"));
        only(f, PdfActiveContentEngine.JAVASCRIPT);
    }

    @Test
    void deflateBombInAnObjectStreamIsRefusedBeforePdfboxInflatesIt() throws IOException {
        ByteArrayOutputStream z = new ByteArrayOutputStream();
        try (DeflaterOutputStream d = new DeflaterOutputStream(z, new Deflater(9))) {
            byte[] zeros = new byte[1 << 20];
            for (int i = 0; i < 80; i++) {
                d.write(zeros);
            }
        }
        byte[] head = ascii("%PDF-1.7\n1 0 obj\n<< /Type /ObjStm /N 1 /First 4 /Filter /FlateDecode /Length "
                + z.size() + " >>\nstream\n");
        byte[] tail = ascii("\nendstream\nendobj\ntrailer\n<< /Root 2 0 R >>\n%%EOF\n");
        byte[] pdf = concat(concat(head, z.toByteArray()), tail);
        long start = System.nanoTime();
        Finding f = only(scan(pdf), PdfActiveContentEngine.UNPARSABLE);
        assertEquals("PDF in part/2 has an object stream that inflates to more than 67108864 bytes, not parsed",
                f.detail());
        assertTrue(System.nanoTime() - start < 10_000_000_000L);
    }

    @Test
    void javaScriptInAnObjectPdfboxCannotParseIsNotClean() {
        // the object stream holding the page's JavaScript action is damaged; the rest of the file is sound
        List<Finding> f = scan(pageScriptInObjectStream(true));
        Finding unparsable = only(f, PdfActiveContentEngine.UNPARSABLE);
        assertEquals(Category.FAILURE, unparsable.category());
        assertEquals("PDF in part/2 has 1 object PDFBox cannot parse, not inspected", unparsable.detail());
        assertEquals(List.of(PdfActiveContentEngine.UNPARSABLE), symbols(f), "the script itself is out of sight");
        assertEquals("JavaScript in part/2: page AA/O",
                only(scan(pageScriptInObjectStream(false)), PdfActiveContentEngine.JAVASCRIPT).detail(),
                "the same file with the stream intact");
    }

    @Test
    void javaScriptBeyondTheWalkLimitIsNotClean() {
        byte[] pdf = pageScriptInObjectStream(false);
        List<Finding> f = scan(new PdfActiveContentEngine(50L << 20, 2), pdf);
        Finding limit = only(f, PdfActiveContentEngine.LIMIT);
        assertEquals(Category.FAILURE, limit.category());
        assertEquals("PDF in part/2 only partly inspected: more than 2 objects", limit.detail());
        assertEquals(List.of(PdfActiveContentEngine.LIMIT), symbols(f), "the page with the script was not walked");
        assertEquals(List.of(PdfActiveContentEngine.JAVASCRIPT),
                symbols(scan(new PdfActiveContentEngine(50L << 20, 6), pdf)), "six objects: all of them walked");
    }

    /**
     * A PDF 1.5 file: catalog 1, page tree 2, page 3 whose open action ({@code /AA /O}) is object 5, a JavaScript
     * action inside object stream 4 (invisible to the token scan), cross-reference stream 6. {@code damaged}: the
     * object stream's data is not a zlib stream.
     */
    static byte[] pageScriptInObjectStream(boolean damaged) {
        String header = "5 0 ";
        byte[] data = deflate(ascii(header + "<< /S /JavaScript /JS (app.alert(1)) >>"));
        if (damaged) {
            java.util.Arrays.fill(data, 0, data.length, (byte) 0x55);
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        int[] offsets = new int[7];
        out.writeBytes(ascii("%PDF-1.5\n"));
        String[] plain = {"<< /Type /Catalog /Pages 2 0 R >>", "<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
            "<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /AA << /O 5 0 R >> >>"};
        for (int k = 0; k < plain.length; k++) {
            offsets[k + 1] = out.size();
            out.writeBytes(ascii((k + 1) + " 0 obj\n" + plain[k] + "\nendobj\n"));
        }
        offsets[4] = out.size();
        out.writeBytes(ascii("4 0 obj\n<< /Type /ObjStm /N 1 /First " + header.length()
                + " /Filter /FlateDecode /Length " + data.length + " >>\nstream\n"));
        out.writeBytes(data);
        out.writeBytes(ascii("\nendstream\nendobj\n"));
        offsets[6] = out.size();
        ByteArrayOutputStream rows = new ByteArrayOutputStream();
        for (int n = 0; n < 7; n++) {
            int type = n == 0 ? 0 : n == 5 ? 2 : 1;
            int field2 = n == 5 ? 4 : offsets[n];
            rows.write(type);
            for (int shift = 24; shift >= 0; shift -= 8) {
                rows.write(field2 >>> shift);
            }
            rows.write(n == 0 ? 0xFF : 0);
            rows.write(n == 0 ? 0xFF : 0);
        }
        out.writeBytes(ascii("6 0 obj\n<< /Type /XRef /Size 7 /W [1 4 2] /Root 1 0 R /Length " + rows.size()
                + " >>\nstream\n"));
        out.writeBytes(rows.toByteArray());
        out.writeBytes(ascii("\nendstream\nendobj\nstartxref\n" + offsets[6] + "\n%%EOF\n"));
        return out.toByteArray();
    }

    private static byte[] deflate(byte[] b) {
        ByteArrayOutputStream z = new ByteArrayOutputStream();
        try (DeflaterOutputStream d = new DeflaterOutputStream(z)) {
            d.write(b);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return z.toByteArray();
    }

    @Test
    void deeplyNestedArraysDoNotCrashTheEngine() {
        String deep = "[".repeat(200_000) + "]".repeat(200_000);
        String body = "%PDF-1.4\n1 0 obj\n<< /Type /Catalog /Pages 2 0 R /X " + deep + " >>\nendobj\n"
                + "2 0 obj\n<< /Type /Pages /Kids [] /Count 0 >>\nendobj\ntrailer\n<< /Root 1 0 R >>\n%%EOF\n";
        List<Finding> f = scan(ascii(body));
        assertTrue(f.stream().allMatch(x -> x.symbol().equals(PdfActiveContentEngine.UNPARSABLE)), f.toString());
    }

    @Test
    void xfaFormWithScriptIsJavaScript() {
        byte[] pdf = pdf(doc -> {
            COSDictionary acro = new COSDictionary();
            org.apache.pdfbox.cos.COSStream xfa = doc.getDocument().createCOSStream();
            try (var out = xfa.createOutputStream(COSName.FLATE_DECODE)) {
                out.write(ascii("<xdp:xdp><template><subform><event activity=\"initialize\"><script "
                        + "contentType=\"application/x-javascript\">app.alert(3)</script></event></subform>"
                        + "</template></xdp:xdp>"));
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            acro.setItem(COSName.getPDFName("XFA"), xfa);
            acro.setItem(COSName.FIELDS, new COSArray());
            doc.getDocumentCatalog().getCOSObject().setItem(COSName.ACRO_FORM, acro);
        });
        assertEquals("JavaScript in part/2: XFA form script", only(scan(pdf), PdfActiveContentEngine.JAVASCRIPT)
                .detail());
    }

    @Test
    void headerAnywhereInTheFirstKilobyteCounts() {
        byte[] pdf = pdf(doc -> doc.getDocumentCatalog().setOpenAction(new PDActionJavaScript("x()")));
        byte[] prefixed = concat(ascii(" ".repeat(900)), pdf);
        only(scan(prefixed), PdfActiveContentEngine.JAVASCRIPT);
        byte[] late = concat(ascii(" ".repeat(1100)), pdf);
        assertEquals(List.of(), scan(late));
    }

    @Test
    void clamavTestPdfWithAnAttachmentHasNoActiveContent() {
        assertEquals(List.of(), scan(ClamavTestFiles.read("clam.pdf")));
    }

    @Test
    void failureBecomesPdfFailThroughTheRunner() {
        PdfActiveContentEngine broken = new PdfActiveContentEngine(10) {
            @Override
            public EngineResult scan(ScanInput input) {
                throw new OutOfMemoryError("simulated");
            }
        };
        EngineRunner runner = new EngineRunner(List.of(broken), Duration.ofSeconds(5), 1);
        try {
            Finding f = runner.run(new ScanInput("t", null, List.of())).get(0).findings().get(0);
            assertEquals(PdfActiveContentEngine.FAILURE_SYMBOL, f.symbol());
            assertEquals(Category.FAILURE, f.category());
        } finally {
            runner.close();
        }
    }

    @Test
    void badLimitFailsAtStartup() {
        org.junit.jupiter.api.Assertions.assertThrows(IllegalStateException.class, () -> new PdfActiveContentEngine(0));
    }

    static byte[] concat(byte[] a, byte[] b) {
        byte[] out = new byte[a.length + b.length];
        System.arraycopy(a, 0, out, 0, a.length);
        System.arraycopy(b, 0, out, a.length, b.length);
        return out;
    }
}
