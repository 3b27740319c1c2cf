package io.portcullis.scanner.engine;

import static io.portcullis.scanner.support.TestMessages.ascii;
import static io.portcullis.scanner.support.TestMessages.base64;
import static io.portcullis.scanner.support.TestMessages.crlf;
import static io.portcullis.scanner.support.TestMessages.withAttachment;
import static io.portcullis.scanner.support.TestMessages.zip;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.portcullis.contracts.scan.Category;
import io.portcullis.contracts.scan.Finding;
import io.portcullis.scanner.engine.macro.OfficeFixtures;
import io.portcullis.scanner.support.ClamavTestFiles;
import io.portcullis.scanner.support.LocalScanner;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The active-content engines on whole messages: real MIME decoding, real archive expansion, all engines. */
class ActiveContentDetectionTest {
    private static LocalScanner scanner;

    @BeforeAll
    static void start() {
        scanner = new LocalScanner();
    }

    @AfterAll
    static void stop() {
        scanner.close();
    }

    private static Finding only(LocalScanner.Result r, String symbol) {
        List<Finding> f = r.findings().stream().filter(x -> x.symbol().equals(symbol)).toList();
        assertEquals(1, f.size(), r.findings().toString());
        return f.get(0);
    }

    @Test
    void docmAttachmentIsOneMacroFindingThoughItsPartsAreExpanded() {
        byte[] docm = OfficeFixtures.docm(Map.of("ThisDocument", "Sub Document_Open()\r\n Shell \"x\"\r\nEnd Sub\r\n"));
        LocalScanner.Result r = scanner.scan(withAttachment("invoice.docm", docm));
        assertTrue(r.decomposition().items().stream().anyMatch(i -> i.path().equals("part/2/zip:word/vbaProject.bin")),
                "the decomposer expanded the package");
        Finding f = only(r, MacroEngine.VBA);
        assertEquals(Category.ACTIVE_CONTENT, f.category());
        assertEquals("VBA project word/vbaProject.bin/VBA: modules ThisDocument; auto-exec Document_Open; "
                + "suspicious Shell in part/2", f.detail());
    }

    @Test
    void macroDocumentInsideAZipIsFound() {
        byte[] doc = OfficeFixtures.wordDoc(Map.of("NewMacros", "Sub AutoOpen()\r\nEnd Sub\r\n"));
        LocalScanner.Result r = scanner.scan(withAttachment("files.zip", zip("docs/a.doc", doc)));
        assertEquals("VBA project Macros/VBA: modules NewMacros; auto-exec AutoOpen in part/2/zip:docs/a.doc",
                only(r, MacroEngine.VBA).detail());
    }

    @Test
    void htmlBodyWithScriptAndSmugglingAttachment() {
        String smuggler = "<html><script>var b=new Blob([atob('TVqQ')]);var a=document.createElement('a');"
                + "a.href=URL.createObjectURL(b);a.download='x.iso';a.click();</script></html>";
        byte[] msg = crlf("Subject: s\nMIME-Version: 1.0\nContent-Type: multipart/mixed; boundary=b\n\n--b\n"
                + "Content-Type: text/html\n\n<p>hi</p><script>track()</script>\n--b\n"
                + "Content-Type: text/html; name=\"doc.html\"\nContent-Disposition: attachment; filename=\"doc.html\"\n"
                + "Content-Transfer-Encoding: base64\n\n" + base64(ascii(smuggler)) + "\n--b--\n");
        LocalScanner.Result r = scanner.scan(msg);
        assertEquals("1 script element in part/1", only(r, HtmlActiveContentEngine.SCRIPT).detail());
        assertEquals("script builds a Blob or File and triggers a download in part/2",
                only(r, HtmlActiveContentEngine.SMUGGLING).detail());
        assertEquals("script in HTML attachment part/2 (1 script element)",
                only(r, HtmlActiveContentEngine.ATTACHMENT_SCRIPT).detail());
    }

    @Test
    void pdfWithJavaScriptAttachment() {
        byte[] pdf = PdfActiveContentEngineTest.pdf(doc -> doc.getDocumentCatalog().setOpenAction(
                new org.apache.pdfbox.pdmodel.interactive.action.PDActionJavaScript("app.alert(1)")));
        LocalScanner.Result r = scanner.scan(withAttachment("report.pdf", pdf));
        assertEquals("JavaScript in part/2: OpenAction", only(r, PdfActiveContentEngine.JAVASCRIPT).detail());
    }

    @Test
    void upxPackedExecutableInAZipIsAPackerFindingAndQuarantined() {
        LocalScanner.Result r = scanner.scan(withAttachment("tool.zip", zip("bin/tool.dat",
                ClamavTestFiles.read("clam-upx.exe"))));
        Finding f = only(r, PackerEngine.SYMBOL);
        assertEquals("upx in part/2/zip:bin/tool.dat", f.detail());
        assertEquals(io.portcullis.contracts.events.Action.QUARANTINE, r.decision().action());
    }
}
