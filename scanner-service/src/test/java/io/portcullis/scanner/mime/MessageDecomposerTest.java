package io.portcullis.scanner.mime;

import static io.portcullis.scanner.support.TestMessages.EICAR;
import static io.portcullis.scanner.support.TestMessages.ascii;
import static io.portcullis.scanner.support.TestMessages.crlf;
import static io.portcullis.scanner.support.TestMessages.markEncrypted;
import static io.portcullis.scanner.support.TestMessages.plain;
import static io.portcullis.scanner.support.TestMessages.withAttachment;
import static io.portcullis.scanner.support.TestMessages.zip;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.portcullis.contracts.events.Action;
import io.portcullis.contracts.scan.Category;
import io.portcullis.contracts.scan.Finding;
import io.portcullis.contracts.scan.ScanItem;
import io.portcullis.scanner.support.LocalScanner;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;
import org.junit.jupiter.api.Test;

class MessageDecomposerTest {
    private final MessageDecomposer decomposer = new MessageDecomposer(DecompositionLimits.DEFAULTS);
    /** Depth 5 and 1000 entries: small enough to build in a test. */
    private static final DecompositionLimits SMALL = new DecompositionLimits(5, 50L * 1024 * 1024, 1000,
            25L * 1024 * 1024, 1000, 1000, 65536, 65536);
    private final MessageDecomposer small = new MessageDecomposer(SMALL);

    private static List<String> paths(Decomposition d) {
        return d.items().stream().map(ScanItem::path).toList();
    }

    private static List<String> symbols(Decomposition d) {
        return d.findings().stream().map(Finding::symbol).toList();
    }

    private static Finding only(Decomposition d, String symbol) {
        List<Finding> f = d.findings().stream().filter(x -> x.symbol().equals(symbol)).toList();
        assertEquals(1, f.size(), "findings: " + d.findings());
        return f.get(0);
    }

    private static ScanItem item(Decomposition d, String path) {
        return d.items().stream().filter(i -> i.path().equals(path)).findFirst().orElseThrow(
                () -> new AssertionError(path + " not in " + paths(d)));
    }

    // --- structure ---

    @Test
    void rawMessageIsAlwaysFirstAtDepthZero() {
        byte[] raw = plain("s", "body");
        Decomposition d = decomposer.decompose(raw);
        assertEquals("raw", d.items().get(0).path());
        assertEquals(0, d.items().get(0).depth());
        assertArrayEquals(raw, d.items().get(0).content());
        assertEquals(List.of("raw", "part/1"), paths(d));
        assertEquals(1, item(d, "part/1").depth());
        assertEquals("text/plain", item(d, "part/1").contentType());
    }

    @Test
    void decodesBase64PartsAndKeepsFilenameAndType() {
        byte[] pdf = io.portcullis.scanner.support.Containers.pdf(Map.of(), false, null);
        Decomposition d = decomposer.decompose(withAttachment("report.pdf", pdf));
        assertEquals(List.of("raw", "part/1", "part/2"), paths(d));
        ScanItem part = item(d, "part/2");
        assertEquals("report.pdf", part.filename());
        assertEquals("application/octet-stream", part.contentType());
        assertArrayEquals(pdf, part.content());
        assertEquals(List.of(), d.findings());
    }

    @Test
    void numbersNestedMultipartsLikeImap() {
        byte[] msg = crlf("Subject: nested\nMIME-Version: 1.0\nContent-Type: multipart/mixed; boundary=a\n\n"
                + "--a\nContent-Type: multipart/alternative; boundary=b\n\n--b\nContent-Type: text/plain\n\nplain\n"
                + "--b\nContent-Type: text/html\n\n<p>html</p>\n--b--\n--a\nContent-Type: text/plain; name=n.txt\n\nx\n"
                + "--a--\n");
        Decomposition d = decomposer.decompose(msg);
        assertEquals(List.of("raw", "part/1.1", "part/1.2", "part/2"), paths(d));
        assertEquals("text/html", item(d, "part/1.2").contentType());
    }

    @Test
    void readsTopLevelSubjectAndMessageIdDecoded() {
        byte[] msg = crlf("Subject: =?UTF-8?Q?Gr=C3=BC=C3=9Fe?=\n aus Bern\nMessage-ID: <abc@x>\n\nbody\n");
        Decomposition d = decomposer.decompose(msg);
        assertEquals("Grüße aus Bern", d.subject());
        assertEquals("<abc@x>", d.headerMessageId());
    }

    @Test
    void subjectOfEmbeddedMessageIsNotTheSubject() {
        byte[] msg = crlf("Content-Type: message/rfc822\n\nSubject: inner\n\ninner body\n");
        Decomposition d = decomposer.decompose(msg);
        assertEquals(null, d.subject());
        assertEquals(List.of("raw", "part/1"), paths(d));
    }

    // --- malformed MIME: never throws, always a result ---

    @Test
    void brokenBoundaryYieldsRawAndADefect() {
        Decomposition d = decomposer.decompose(crlf("Subject: broken\nContent-Type: multipart/mixed; boundary=\"never\"\n\n"
                + "--other\nx\n" + EICAR + "\n"));
        assertEquals("raw", d.items().get(0).path());
        assertEquals(Category.CONTENT, only(d, "MIME_DEFECT").category());
        try (LocalScanner s = new LocalScanner()) {
            assertEquals(Action.QUARANTINE, s.scan(crlf("Subject: broken\nContent-Type: multipart/mixed; "
                    + "boundary=\"never\"\n\n--other\nx\n" + EICAR + "\n")).decision().action(),
                    "EICAR in the raw message is still found");
        }
    }

    @Test
    void missingEndBoundaryStillYieldsTheParts() {
        Decomposition d = decomposer.decompose(crlf("Subject: no end\nContent-Type: multipart/mixed; boundary=b\n\n"
                + "--b\nContent-Type: text/plain\n\nfirst\n--b\nContent-Type: application/octet-stream; name=a.exe\n"
                + "Content-Transfer-Encoding: base64\n\nTVo=\n"));
        assertEquals(List.of("raw", "part/1", "part/2"), paths(d));
        assertEquals("a.exe", item(d, "part/2").filename());
        assertEquals(Category.CONTENT, only(d, "MIME_DEFECT").category());
    }

    @Test
    void invalidBase64IsDecodedLenientlyWithADefect() {
        Decomposition d = decomposer.decompose(crlf("Subject: b\nContent-Transfer-Encoding: base64\n\n!!!aGVsbG8=\n"));
        assertEquals("hello", new String(item(d, "part/1").content(), StandardCharsets.US_ASCII));
        assertTrue(only(d, "MIME_DEFECT").detail().contains("base64"));
    }

    @Test
    void garbageBytesNeverThrow() {
        byte[] garbage = new byte[200_000];
        new Random(42).nextBytes(garbage);
        Decomposition d = decomposer.decompose(garbage);
        assertEquals("raw", d.items().get(0).path());
        assertTrue(d.items().size() >= 1);
    }

    @Test
    void emptyAndHeaderOnlyInputNeverThrow() {
        assertEquals(List.of("raw", "part/1"), paths(decomposer.decompose(new byte[0])));
        assertEquals("raw", decomposer.decompose(ascii("Subject: x")).items().get(0).path());
        assertEquals("raw", decomposer.decompose(ascii("Content-Type: multipart/mixed\r\n\r\n")).items().get(0).path());
    }

    @Test
    void hostileInputsFromTheEndToEndSuiteNeverThrow() {
        List<byte[]> inputs = List.of(
                crlf("Subject: broken\nContent-Type: multipart/mixed; boundary=\"never\"\n\n--other\nx\n"),
                crlf("Subject: no end\nContent-Type: multipart/mixed; boundary=b\n\n--b\nContent-Type: text/plain\n"
                        + "Content-Transfer-Encoding: base64\n\n!!!not base64!!!\n"),
                crlf("no headers at all, just text\n"),
                crlf("Content-Type: application/zip; name=x.zip\nContent-Transfer-Encoding: base64\n\n"
                        + "UEsDBBQAAAAIAAAAIQAAAA==\n"),
                crlf("Content-Type: multipart/mixed; boundary=\"\"\n\n--\n--\n"),
                crlf("Content-Type: multipart/mixed\n\n--\nx\n"),
                crlf("Content-Type: message/rfc822\n\n"),
                crlf("Content-Type: text/plain; charset=\"no-such-charset\"; name*0*=bogus''%ZZ%; name*1*=%\n\nx\n"));
        for (byte[] in : inputs) {
            Decomposition d = decomposer.decompose(in);
            assertEquals("raw", d.items().get(0).path());
        }
        Decomposition zip = decomposer.decompose(inputs.get(3));
        assertTrue(symbols(zip).contains("ARCHIVE_CORRUPT"), zip.findings().toString());
    }

    @Test
    void tenMegabyteHeaderLineIsAMimeLimitFailure() {
        byte[] msg = crlf("Subject: " + "A".repeat(10 * 1024 * 1024) + "\n\n" + EICAR + "\n");
        Decomposition d = assertTimeoutPreemptively(Duration.ofSeconds(20), () -> decomposer.decompose(msg));
        Finding f = only(d, "MIME_LIMIT");
        assertEquals(Category.FAILURE, f.category());
        assertTrue(f.detail().contains("longer than"), f.detail());
        try (LocalScanner s = new LocalScanner()) {
            LocalScanner.Result r = s.scan(msg);
            assertTrue(r.symbols().contains("AV_TEST"), "the raw message is still scanned");
            assertEquals(Action.QUARANTINE, r.decision().action());
        }
    }

    @Test
    void tooManyHeaderFieldsIsAMimeLimitFailure() {
        byte[] msg = crlf("X-A: 1\n".repeat(1500) + "\nbody\n");
        assertEquals(Category.FAILURE, only(decomposer.decompose(msg), "MIME_LIMIT").category());
    }

    @Test
    void fiveThousandPartsStopAtThePartLimitWithAFailure() {
        StringBuilder b = new StringBuilder("Subject: many\nContent-Type: multipart/mixed; boundary=p\n\n");
        for (int i = 0; i < 5000; i++) {
            b.append("--p\nContent-Type: text/plain\n\npart ").append(i).append('\n');
        }
        b.append("--p--\n");
        Decomposition d = assertTimeoutPreemptively(Duration.ofSeconds(20),
                () -> decomposer.decompose(crlf(b.toString())));
        Finding f = only(d, "MIME_LIMIT");
        assertEquals(Category.FAILURE, f.category());
        assertTrue(f.detail().contains("more than 1000 MIME parts"), f.detail());
        assertEquals(1001, d.items().size(), "raw + the first 1000 parts");
    }

    @Test
    void partLargerThanItemLimitIsTruncatedWithALimitFailure() {
        DecompositionLimits small = new DecompositionLimits(5, 10_000_000, 1000, 1000, 1000, 1000, 65536, 65536);
        Decomposition d = new MessageDecomposer(small).decompose(withAttachment("big.bin", new byte[5000]));
        assertEquals(1000, item(d, "part/2").content().length);
        assertEquals(Category.FAILURE, only(d, "MIME_LIMIT").category());
    }

    // --- archives ---

    @Test
    void zipEntriesBecomeItemsOneLevelDeeper() {
        Map<String, byte[]> entries = new LinkedHashMap<>();
        entries.put("dir/", new byte[0]);
        entries.put("dir/a.txt", ascii("aaa"));
        entries.put("b.txt", ascii("bbb"));
        Decomposition d = decomposer.decompose(withAttachment("x.zip", zip(entries)));
        assertEquals(List.of("raw", "part/1", "part/2", "part/2/zip:dir/a.txt", "part/2/zip:b.txt"), paths(d));
        assertEquals(2, item(d, "part/2/zip:b.txt").depth());
        assertEquals("dir/a.txt", item(d, "part/2/zip:dir/a.txt").filename());
        assertEquals(List.of(), d.findings());
    }

    @Test
    void nestingBeyondTheDepthLimitIsArchiveDepth() {
        byte[] z = zip("eicar.txt", ascii(EICAR));
        for (int i = 0; i < 6; i++) {
            z = zip("level" + i + ".zip", z);
        }
        Decomposition d = small.decompose(withAttachment("deep.zip", z));
        Finding f = only(d, "ARCHIVE_DEPTH");
        assertEquals(Category.FAILURE, f.category());
        assertTrue(f.detail().contains("nested deeper than 5"), f.detail());
        assertEquals(5, d.items().stream().mapToInt(ScanItem::depth).max().orElseThrow());
        try (LocalScanner s = new LocalScanner(SMALL)) {
            LocalScanner.Result r = s.scan(withAttachment("deep.zip", z));
            assertFalse(r.symbols().contains("AV_TEST"), "too deep to see");
            assertEquals(Action.QUARANTINE, r.decision().action(), "but never delivered as clean");
            assertEquals("scan-failure-quarantine", r.decision().ruleId());
        }
    }

    @Test
    void tooManyEntriesIsArchiveEntries() {
        Map<String, byte[]> entries = new LinkedHashMap<>();
        for (int i = 0; i < 1500; i++) {
            entries.put("f" + i + ".txt", ascii("x"));
        }
        Decomposition d = small.decompose(withAttachment("many.zip", zip(entries)));
        Finding f = only(d, "ARCHIVE_ENTRIES");
        assertEquals(Category.FAILURE, f.category());
        assertTrue(d.items().stream().filter(i -> i.depth() == 2).count() <= 1000);
    }

    @Test
    void endRecordUnderstatingTheEntryCountIsStillArchiveEntries() {
        Map<String, byte[]> entries = new LinkedHashMap<>();
        for (int i = 0; i < 1500; i++) {
            entries.put("f" + i + ".txt", ascii("x"));
        }
        byte[] zip = zip(entries);
        int eocd = zip.length - 22;
        assertEquals(0x50, zip[eocd] & 0xFF);
        zip[eocd + 8] = 1; // entries on this disk
        zip[eocd + 9] = 0;
        zip[eocd + 10] = 1; // total entries: claims 1
        zip[eocd + 11] = 0;
        assertEquals(1, ZipExpander.ZipDirectory.declaredEntries(zip));
        Decomposition d = small.decompose(withAttachment("liar.zip", zip));
        assertEquals(Category.FAILURE, only(d, "ARCHIVE_ENTRIES").category());
        assertEquals(1000, d.items().stream().filter(i -> i.depth() == 2).count());
    }

    @Test
    void tooManyEntriesAcrossSeveralArchivesIsArchiveEntries() {
        DecompositionLimits small = new DecompositionLimits(5, 10_000_000, 10, 1_000_000, 1000, 1000, 65536, 65536);
        Map<String, byte[]> six = new LinkedHashMap<>();
        for (int i = 0; i < 6; i++) {
            six.put("f" + i, ascii("x"));
        }
        byte[] zip = zip(six);
        byte[] msg = crlf("Subject: two\nContent-Type: multipart/mixed; boundary=b\n\n--b\nContent-Type: application/zip\n"
                + "Content-Transfer-Encoding: base64\n\n" + io.portcullis.scanner.support.TestMessages.base64(zip)
                + "\n--b\nContent-Type: application/zip\nContent-Transfer-Encoding: base64\n\n"
                + io.portcullis.scanner.support.TestMessages.base64(zip) + "\n--b--\n");
        Decomposition d = new MessageDecomposer(small).decompose(msg);
        assertEquals(Category.FAILURE, only(d, "ARCHIVE_ENTRIES").category());
        assertEquals(10, d.items().stream().filter(i -> i.depth() == 2).count());
    }

    @Test
    void highlyCompressedEntryBeyondItemSizeIsArchiveLimit() {
        // 30 MB of zeros deflates to about 30 KB: larger than the default 25 MB per-item limit once expanded.
        byte[] bomb = zip("zeros.bin", new byte[30 * 1024 * 1024]);
        assertTrue(bomb.length < 100_000);
        Decomposition d = decomposer.decompose(withAttachment("bomb.zip", bomb));
        Finding f = only(d, "ARCHIVE_LIMIT");
        assertEquals(Category.FAILURE, f.category());
        assertTrue(f.detail().contains("larger than 26214400"), f.detail());
        assertEquals(25 * 1024 * 1024, item(d, "part/2/zip:zeros.bin").content().length);
    }

    @Test
    void expansionBeyondTotalBytesIsArchiveExpanded() {
        DecompositionLimits small = new DecompositionLimits(5, 100_000, 1000, 60_000, 1000, 1000, 65536, 65536);
        Map<String, byte[]> entries = new LinkedHashMap<>();
        entries.put("a.bin", new byte[50_000]);
        entries.put("b.bin", new byte[50_000]);
        entries.put("c.bin", new byte[50_000]);
        Decomposition d = new MessageDecomposer(small).decompose(withAttachment("z.zip", zip(entries)));
        Finding f = only(d, "ARCHIVE_EXPANDED");
        assertTrue(f.detail().contains("decoded bytes in all"), f.detail());
        long total = d.items().stream().filter(i -> i.depth() > 0).mapToLong(i -> i.content().length).sum();
        assertTrue(total <= 100_000, "expanded " + total);
    }

    @Test
    void truncatedZipIsArchiveCorruptAndReadableEntriesAreStillScanned() {
        Map<String, byte[]> entries = new LinkedHashMap<>();
        entries.put("first.txt", ascii(EICAR));
        byte[] filler = new byte[20_000];
        new Random(1).nextBytes(filler);
        entries.put("second.bin", filler);
        byte[] whole = zip(entries);
        byte[] truncated = Arrays.copyOf(whole, whole.length / 2);
        Decomposition d = decomposer.decompose(withAttachment("cut.zip", truncated));
        assertTrue(symbols(d).contains("ARCHIVE_CORRUPT"), d.findings().toString());
        d.findings().stream().filter(f -> f.symbol().equals("ARCHIVE_CORRUPT"))
                .forEach(f -> assertEquals(Category.FAILURE, f.category()));
        assertTrue(new String(item(d, "part/2/zip:first.txt").content(), StandardCharsets.US_ASCII).contains("EICAR"));
        try (LocalScanner s = new LocalScanner()) {
            LocalScanner.Result r = s.scan(withAttachment("cut.zip", truncated));
            assertTrue(r.symbols().contains("AV_TEST"));
            assertEquals(Action.QUARANTINE, r.decision().action());
        }
    }

    @Test
    void garbageNamedZipIsArchiveCorrupt() {
        Decomposition d = decomposer.decompose(withAttachment("fake.zip", ascii("this is not an archive at all")));
        List<Finding> corrupt = d.findings().stream().filter(f -> f.symbol().equals("ARCHIVE_CORRUPT")).toList();
        assertFalse(corrupt.isEmpty(), d.findings().toString());
        corrupt.forEach(f -> assertEquals(Category.FAILURE, f.category()));
        assertEquals(List.of("raw", "part/1", "part/2"), paths(d));
    }

    @Test
    void corruptEntryDataIsArchiveCorrupt() throws Exception {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (ZipOutputStream z = new ZipOutputStream(bytes)) {
            z.putNextEntry(new ZipEntry("a.txt"));
            z.write("hello hello hello hello hello hello".repeat(100).getBytes(StandardCharsets.US_ASCII));
            z.closeEntry();
        }
        byte[] zip = bytes.toByteArray();
        for (int i = 40; i < 60; i++) {
            zip[i] = (byte) 0xFF; // inside the deflated data of the only entry
        }
        Decomposition d = decomposer.decompose(withAttachment("bad.zip", zip));
        assertTrue(symbols(d).contains("ARCHIVE_CORRUPT"), d.findings().toString());
    }

    @Test
    void encryptedEntryIsArchiveEncryptedAndItsNameIsStillChecked() {
        byte[] zip = markEncrypted(zip("secret/run.exe", ascii("MZ")));
        Decomposition d = decomposer.decompose(withAttachment("locked.zip", zip));
        Finding f = only(d, "ARCHIVE_ENCRYPTED");
        assertEquals(Category.FAILURE, f.category());
        assertEquals("encrypted entry part/2/zip:secret/run.exe", f.detail());
        assertEquals(0, item(d, "part/2/zip:secret/run.exe").content().length);
        try (LocalScanner s = new LocalScanner()) {
            LocalScanner.Result r = s.scan(withAttachment("locked.zip", zip));
            assertTrue(r.symbols().contains("BANNED_EXTENSION"));
            assertEquals(Action.QUARANTINE, r.decision().action());
        }
    }

    @Test
    void zipBombOfManyEncryptedEntriesKeepsFindingsBounded() {
        Map<String, byte[]> entries = new LinkedHashMap<>();
        for (int i = 0; i < 200; i++) {
            entries.put("e" + i + ".txt", ascii("x"));
        }
        Decomposition d = decomposer.decompose(withAttachment("locked.zip", markEncrypted(zip(entries))));
        List<Finding> enc = d.findings().stream().filter(f -> f.symbol().equals("ARCHIVE_ENCRYPTED")).toList();
        assertEquals(DecompositionState.MAX_FINDINGS_PER_SYMBOL + 1, enc.size());
        assertTrue(enc.get(enc.size() - 1).detail().startsWith("180 more"), enc.get(enc.size() - 1).detail());
    }
}
