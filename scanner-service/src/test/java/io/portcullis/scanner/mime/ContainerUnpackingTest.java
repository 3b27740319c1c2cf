package io.portcullis.scanner.mime;

import static io.portcullis.scanner.support.Archives.concat;
import static io.portcullis.scanner.support.Archives.zipWithLocalSizes;
import static io.portcullis.scanner.support.TestMessages.EICAR;
import static io.portcullis.scanner.support.TestMessages.ascii;
import static io.portcullis.scanner.support.TestMessages.crlf;
import static io.portcullis.scanner.support.TestMessages.withAttachment;
import static io.portcullis.scanner.support.TestMessages.zip;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.portcullis.contracts.events.Action;
import io.portcullis.contracts.scan.Category;
import io.portcullis.contracts.scan.Finding;
import io.portcullis.contracts.scan.ScanItem;
import io.portcullis.scanner.support.Containers;
import io.portcullis.scanner.support.LocalScanner;
import io.portcullis.scanner.support.TestMessages;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import java.util.function.IntPredicate;
import java.util.stream.Stream;
import java.util.zip.CRC32;
import java.util.zip.Deflater;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** TNEF, OLE2, OOXML embeddings, PDF, CAB, SZDD, RTF, uuencode, BinHex, data URIs, attached messages, SFX. */
class ContainerUnpackingTest {
    private static final LocalScanner SCANNER = new LocalScanner();
    private final MessageDecomposer decomposer = new MessageDecomposer(DecompositionLimits.DEFAULTS);

    @AfterAll
    static void close() {
        SCANNER.close();
    }

    private static Map<String, byte[]> one(String name, byte[] content) {
        Map<String, byte[]> m = new LinkedHashMap<>();
        m.put(name, content);
        return m;
    }

    private static List<Finding> findings(Decomposition d, String symbol) {
        return d.findings().stream().filter(f -> f.symbol().equals(symbol)).toList();
    }

    private static ScanItem item(Decomposition d, String path) {
        return d.items().stream().filter(i -> i.path().equals(path) && i.content().length > 0).findFirst()
                .orElseThrow(() -> new AssertionError(path + " not in " + d.items().stream().map(ScanItem::path)
                        .toList() + "; findings " + d.findings()));
    }

    /** The message unpacks to an item at {@code path} holding EICAR, without failures, and the scan finds it. */
    private void assertEicarAt(byte[] msg, String path) {
        Decomposition d = decomposer.decompose(msg);
        assertArrayEquals(ascii(EICAR), item(d, path).content(), path);
        assertEquals(List.of(), d.findings().stream().filter(f -> f.category() == Category.FAILURE).toList());
        LocalScanner.Result r = SCANNER.scan(msg);
        assertTrue(r.details("AV_TEST").contains("Eicar-Test-Signature in " + path), r.findings().toString());
        assertEquals(Action.QUARANTINE, r.decision().action());
    }

    private static byte[] htmlMessage(String html) {
        return crlf("From: <a@example.net>\nSubject: html\nMIME-Version: 1.0\nContent-Type: text/html\n\n" + html
                + "\n");
    }

    // --- text encodings ---

    @Test
    void eicarUuencodedInATextBodyIsFound() {
        byte[] msg = TestMessages.plain("uu", "see below\r\n\r\n" + Containers.uuencode("eicar.com", ascii(EICAR)));
        assertEicarAt(msg, "part/1/uu:eicar.com");
    }

    @Test
    void eicarInBinHexIsFoundAndItsCrcIsChecked() {
        String hqx = Containers.binhex("eicar.com", ascii(EICAR));
        assertEicarAt(withAttachment("eicar.hqx", ascii(hqx)), "part/2/hqx:eicar.com");
        char[] damaged = hqx.toCharArray();
        int at = hqx.indexOf(':') + 40;
        damaged[at] = damaged[at] == 'A' ? 'B' : 'A';
        Decomposition d = decomposer.decompose(withAttachment("eicar.hqx", ascii(new String(damaged))));
        assertTrue(findings(d, "ARCHIVE_CORRUPT").get(0).detail().contains("CRC"), d.findings().toString());
    }

    @Test
    void eicarInABase64DataUriOfHtmlIsFound() {
        String b64 = java.util.Base64.getEncoder().encodeToString(ascii(EICAR));
        assertEicarAt(htmlMessage("<a href=\"data:application/octet-stream;base64," + b64 + "\">x</a>"),
                "part/1/data-uri:(data-uri 1)");
    }

    @Test
    void truncatedUuencodeIsArchiveCorruptNamingTheFormat() {
        String uu = Containers.uuencode("eicar.com", ascii(EICAR));
        byte[] msg = TestMessages.plain("uu", uu.substring(0, uu.indexOf("`\r\nend")));
        Finding f = findings(decomposer.decompose(msg), "ARCHIVE_CORRUPT").get(0);
        assertTrue(f.detail().startsWith("uu: eicar.com in part/1 is damaged: truncated"), f.detail());
    }

    // --- attached messages ---

    @Test
    void eicarInAnEmlAttachedAsOctetStreamIsFound() {
        byte[] inner = withAttachment("eicar.com", ascii(EICAR));
        assertEicarAt(withAttachment("forward.eml", inner), "part/2/eml:2");
        byte[] mbox = concat(ascii("From someone@example.net Thu Jul 31 13:49:50 2008\n"), inner);
        assertEicarAt(withAttachment("box.mbox", mbox), "part/2/eml:2");
    }

    // --- TNEF ---

    @Test
    void eicarInTnefIsFound() {
        Map<String, byte[]> files = one("readme.txt", ascii("hello"));
        files.put("eicar.com", ascii(EICAR));
        assertEicarAt(withAttachment("winmail.dat", Containers.tnef(files)), "part/2/tnef:eicar.com");
    }

    @Test
    void everyNameOfAPdfEmbeddedFileIsACandidate() {
        byte[] pdf = Containers.pdfWithNames("attachment", "report.pdf", "report.exe", ascii(EICAR));
        Decomposition d = decomposer.decompose(withAttachment("doc.pdf", pdf));
        List<String> names = d.items().stream().filter(i -> i.path().equals("part/2/pdf:report.exe"))
                .map(ScanItem::filename).toList();
        assertEquals(List.of("report.exe", "report.pdf", "attachment"), names);
    }

    @Test
    void tnefAttachmentWithABadChecksumIsArchiveCorrupt() {
        byte[] t = Containers.tnef(one("eicar.com", ascii(EICAR)));
        t[t.length - 1] ^= 1;
        Finding f = findings(decomposer.decompose(withAttachment("winmail.dat", t)), "ARCHIVE_CORRUPT").get(0);
        assertTrue(f.detail().startsWith("tnef: part/2 fails the checksum"), f.detail());
    }

    // --- OLE2, OOXML ---

    private static byte[] wordWithPackage(byte[] payload) {
        Map<String, byte[]> streams = new LinkedHashMap<>();
        streams.put("WordDocument", new byte[] {(byte) 0xEC, (byte) 0xA5, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0});
        streams.put("ObjectPool/_1234/\u0001Ole10Native", Containers.olePackage("eicar.com", payload));
        return Containers.ole2(streams);
    }

    @Test
    void eicarInAnOle2PackageObjectIsFoundAndRawStreamsAreItems() {
        byte[] doc = wordWithPackage(ascii(EICAR));
        assertEicarAt(withAttachment("letter.doc", doc), "part/2/ole2:ObjectPool/_1234/?Ole10Native/ole10:eicar.com");
        Decomposition d = decomposer.decompose(withAttachment("letter.doc", doc));
        assertEquals(14, item(d, "part/2/ole2:WordDocument").content().length);
    }

    @Test
    void ole2InsideOoxmlEmbeddingsAndVbaProjectIsUnpacked() {
        Map<String, byte[]> docx = new LinkedHashMap<>();
        docx.put("[Content_Types].xml", ascii("<Types/>"));
        docx.put("word/document.xml", ascii("<w:document/>"));
        docx.put("word/embeddings/oleObject1.bin", wordWithPackage(ascii(EICAR)));
        docx.put("word/vbaProject.bin", Containers.ole2(one("VBA/dir", ascii("attribute VB_Name"))));
        byte[] msg = withAttachment("report.docm", zip(docx));
        assertEicarAt(msg, "part/2/zip:word/embeddings/oleObject1.bin/ole2:ObjectPool/_1234/?Ole10Native"
                + "/ole10:eicar.com");
        item(decomposer.decompose(msg), "part/2/zip:word/vbaProject.bin/ole2:VBA/dir");
    }

    @Test
    void odfObjectEntriesAndOutlookAttachmentsAreUnpacked() {
        Map<String, byte[]> odt = new LinkedHashMap<>();
        odt.put("mimetype", ascii("application/vnd.oasis.opendocument.text"));
        odt.put("content.xml", ascii("<office:document-content/>"));
        odt.put("Object 1", wordWithPackage(ascii(EICAR)));
        odt.put("Basic/Standard/Module1.xml", ascii("<script:module/>"));
        assertEicarAt(withAttachment("letter.odt", zip(odt)), "part/2/zip:Object 1/ole2:ObjectPool/_1234/"
                + "?Ole10Native/ole10:eicar.com");
        Map<String, byte[]> msg = new LinkedHashMap<>();
        msg.put("__substg1.0_0037001F", "hello".getBytes(StandardCharsets.UTF_16LE));
        msg.put("__attach_version1.0_#00000000/__substg1.0_3707001F", "eicar.com".getBytes(
                StandardCharsets.UTF_16LE));
        msg.put("__attach_version1.0_#00000000/__substg1.0_37010102", ascii(EICAR));
        String path = "part/2/ole2:__attach_version1.0_#00000000/__substg1.0_37010102";
        assertEicarAt(withAttachment("mail.msg", Containers.ole2(msg)), path);
        assertEquals("eicar.com", item(decomposer.decompose(withAttachment("mail.msg", Containers.ole2(msg))), path)
                .filename());
    }

    @Test
    void textThatOnlyQuotesAPdfHeaderIsNoPdf() {
        byte[] msg = TestMessages.plain("pdf", "A PDF starts with %PDF-1.7 and ends with %%EOF.");
        assertEquals(List.of(), decomposer.decompose(msg).findings());
    }

    @Test
    void encryptedOfficeDocumentsAreArchiveEncrypted() {
        Map<String, byte[]> streams = one("EncryptionInfo", new byte[] {4, 0, 4, 0});
        streams.put("EncryptedPackage", new byte[64]);
        Decomposition ooxml = decomposer.decompose(withAttachment("secret.docx", Containers.ole2(streams)));
        assertEquals("ole2: part/2 is an encrypted Office document", findings(ooxml, "ARCHIVE_ENCRYPTED").get(0)
                .detail());
        byte[] fib = new byte[64];
        fib[0] = (byte) 0xEC;
        fib[1] = (byte) 0xA5;
        fib[0x0B] = 0x01; // fEncrypted
        Decomposition word = decomposer.decompose(withAttachment("secret.doc", Containers.ole2(one("WordDocument",
                fib))));
        assertEquals(Category.FAILURE, findings(word, "ARCHIVE_ENCRYPTED").get(0).category());
    }

    // --- PDF ---

    @Test
    void eicarEmbeddedInAPdfIsFoundStoredAndFlateCompressed() {
        assertEicarAt(withAttachment("doc.pdf", Containers.pdf(one("eicar.com", ascii(EICAR)), false, null)),
                "part/2/pdf:eicar.com");
        assertEicarAt(withAttachment("doc.pdf", Containers.pdf(one("eicar.com", ascii(EICAR)), true, null)),
                "part/2/pdf:eicar.com");
    }

    @Test
    void pdfThatNeedsAPasswordIsArchiveEncryptedButAnOwnerOnlyOneIsOpened() {
        byte[] locked = Containers.pdf(one("eicar.com", ascii(EICAR)), true, "open-sesame");
        LocalScanner.Result r = SCANNER.scan(withAttachment("locked.pdf", locked));
        assertEquals(List.of("pdf: part/2 is encrypted with a password"), r.details("ARCHIVE_ENCRYPTED"));
        assertEquals(Action.QUARANTINE, r.decision().action());
        assertEicarAt(withAttachment("owner.pdf", Containers.pdf(one("eicar.com", ascii(EICAR)), true, "")),
                "part/2/pdf:eicar.com");
    }

    @Test
    void pdfWithoutEmbeddedFilesHasNoFindings() {
        assertEquals(List.of(), decomposer.decompose(withAttachment("plain.pdf", Containers.pdf(Map.of(), false,
                null))).findings());
    }

    // --- CAB, SZDD ---

    /** A one-folder cabinet; MSZIP blocks of at most 32 KiB carry the window over, checksums set. */
    static byte[] cab(Map<String, byte[]> files, int method) {
        ByteArrayOutputStream folderData = new ByteArrayOutputStream();
        files.values().forEach(folderData::writeBytes);
        byte[] all = folderData.toByteArray();
        ByteArrayOutputStream blocks = new ByteArrayOutputStream();
        int count = 0;
        byte[] window = new byte[0];
        for (int off = 0; off < all.length || count == 0; off += 32768) {
            byte[] block = Arrays.copyOfRange(all, off, Math.min(all.length, off + 32768));
            byte[] data = block;
            if (method == 1) {
                Deflater def = new Deflater(Deflater.BEST_COMPRESSION, true);
                if (window.length > 0) {
                    def.setDictionary(window);
                }
                def.setInput(block);
                def.finish();
                ByteArrayOutputStream c = new ByteArrayOutputStream();
                c.writeBytes(ascii("CK"));
                byte[] buf = new byte[65536];
                while (!def.finished()) {
                    c.write(buf, 0, def.deflate(buf));
                }
                def.end();
                data = c.toByteArray();
                window = block;
            }
            ByteBuffer h = ByteBuffer.allocate(8 + data.length).order(ByteOrder.LITTLE_ENDIAN);
            h.putInt(0).putShort((short) data.length).putShort((short) block.length).put(data);
            byte[] rec = h.array();
            long sum = CabExpander.checksum(rec, 4, 8, data.length);
            ByteBuffer.wrap(rec).order(ByteOrder.LITTLE_ENDIAN).putInt(0, (int) sum);
            blocks.writeBytes(rec);
            count++;
            if (all.length == 0) {
                break;
            }
        }
        ByteArrayOutputStream fileTable = new ByteArrayOutputStream();
        long offset = 0;
        for (Map.Entry<String, byte[]> f : files.entrySet()) {
            byte[] name = (f.getKey() + "\0").getBytes(StandardCharsets.ISO_8859_1);
            ByteBuffer e = ByteBuffer.allocate(16 + name.length).order(ByteOrder.LITTLE_ENDIAN);
            e.putInt(f.getValue().length).putInt((int) offset).putShort((short) 0).putInt(0).putShort((short) 0x20)
                    .put(name);
            fileTable.writeBytes(e.array());
            offset += f.getValue().length;
        }
        int filesAt = 36 + 8;
        int dataAt = filesAt + fileTable.size();
        int total = dataAt + blocks.size();
        ByteBuffer h = ByteBuffer.allocate(filesAt).order(ByteOrder.LITTLE_ENDIAN);
        h.put(ascii("MSCF")).putInt(0).putInt(total).putInt(0).putInt(filesAt).putInt(0).put((byte) 3).put((byte) 1)
                .putShort((short) 1).putShort((short) files.size()).putShort((short) 0).putShort((short) 0)
                .putShort((short) 0);
        h.putInt(dataAt).putShort((short) count).putShort((short) method);
        return concat(h.array(), fileTable.toByteArray(), blocks.toByteArray());
    }

    @Test
    void eicarInStoredAndMszipCabinetsIsFound() {
        Map<String, byte[]> files = one("readme.txt", ascii("hello ".repeat(10_000)));
        files.put("eicar.com", ascii(EICAR));
        assertEicarAt(withAttachment("files.cab", cab(files, 0)), "part/2/cab:eicar.com");
        assertEicarAt(withAttachment("files.cab", cab(files, 1)), "part/2/cab:eicar.com");
    }

    @Test
    void lzxCabinetIsUnscannableNeverClean() {
        byte[] lzx = cab(one("eicar.com", ascii(EICAR)), 0x1503);
        LocalScanner.Result r = SCANNER.scan(withAttachment("files.cab", lzx));
        assertTrue(r.details("ARCHIVE_UNSCANNABLE").get(0).startsWith("cab: part/2 folder 1 uses LZX"),
                r.findings().toString());
        assertEquals(Action.QUARANTINE, r.decision().action());
    }

    @Test
    void mszipCabinetBombIsArchiveRatioAndStopsAtTheExpansionLimit() {
        byte[] bomb = cab(one("zeros.bin", new byte[8 * 1024 * 1024]), 1);
        DecompositionLimits small = new DecompositionLimits(10, 4L * 1024 * 1024, 1000, 25L * 1024 * 1024, 1000,
                1000, 65536, 65536);
        Decomposition d = new MessageDecomposer(small).decompose(withAttachment("bomb.cab", bomb));
        assertFalse(findings(d, "ARCHIVE_EXPANDED").isEmpty(), d.findings().toString());
        assertTrue(d.items().stream().mapToLong(i -> i.depth() > 1 ? i.content().length : 0).sum()
                <= small.maxTotalBytes());
        Decomposition ratio = decomposer.decompose(withAttachment("bomb.cab", bomb));
        assertFalse(findings(ratio, "ARCHIVE_RATIO").isEmpty(), ratio.findings().toString());
    }

    /** SZDD with literals only (8 per flag byte). */
    static byte[] szdd(byte[] data, char missing) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.writeBytes(new byte[] {'S', 'Z', 'D', 'D', (byte) 0x88, (byte) 0xF0, 0x27, 0x33, 'A', (byte) missing});
        out.writeBytes(ByteBuffer.allocate(4).order(ByteOrder.LITTLE_ENDIAN).putInt(data.length).array());
        for (int i = 0; i < data.length; i += 8) {
            out.write(0xFF);
            out.write(data, i, Math.min(8, data.length - i));
        }
        return out.toByteArray();
    }

    @Test
    void eicarInSzddIsFoundWithItsNameRestored() {
        assertEicarAt(withAttachment("EICAR.CO_", szdd(ascii(EICAR), 'm')), "part/2/szdd:EICAR.COM");
        byte[] shortened = szdd(ascii(EICAR), 'm');
        shortened[10] = 100; // declares 100 bytes, decodes to 68
        Finding f = findings(decomposer.decompose(withAttachment("e.co_", shortened)), "ARCHIVE_CORRUPT").get(0);
        assertTrue(f.detail().contains("decodes to 68 bytes, its header says 100"), f.detail());
    }

    // --- RTF, PE overlays, ARJ, zip methods ---

    @Test
    void eicarInAnRtfPackageObjectIsFound() {
        assertEicarAt(withAttachment("letter.rtf", Containers.rtfWithPackage("eicar.com", ascii(EICAR))),
                "part/2/rtf:(object 1)/ole1:eicar.com");
    }

    @Test
    void eicarInASelfExtractingZipIsFound() {
        assertEicarAt(withAttachment("setup.exe", Containers.peWithOverlay(zip("eicar.com", ascii(EICAR)))),
                "part/2/zip:eicar.com");
    }

    /** Archives.arj with the file header's method set to 1 (compressed) and its header CRC fixed. */
    private static byte[] compressedArj() {
        byte[] a = io.portcullis.scanner.support.Archives.arj("eicar.com", ascii(EICAR));
        int p = 4 + ByteSearch.u16(a, 2) + 4 + 2;
        int size = ByteSearch.u16(a, p + 2);
        a[p + 4 + 5] = 1;
        CRC32 crc = new CRC32();
        crc.update(a, p + 4, size);
        ByteBuffer.wrap(a).order(ByteOrder.LITTLE_ENDIAN).putInt(p + 4 + size, (int) crc.getValue());
        return a;
    }

    @Test
    void compressedArjEntryIsUnscannableNotCorrupt() {
        LocalScanner.Result r = SCANNER.scan(withAttachment("files.arj", compressedArj()));
        assertEquals(List.of("arj: part/2/arj:eicar.com is compressed (ARJ methods 1-4 have no decoder here)"),
                r.details("ARCHIVE_UNSCANNABLE"), r.findings().toString());
        assertEquals(List.of(), r.details("ARCHIVE_CORRUPT"));
        assertEquals(Action.QUARANTINE, r.decision().action());
    }

    @Test
    void zipEntryWithAKnownMethodWithoutDecoderIsUnscannable() {
        byte[] z = zipWithLocalSizes(one("a.txt", ascii("hello world")));
        z[8] = 98; // local header: PPMd
        int cen = ByteSearch.indexOf(z, new byte[] {'P', 'K', 1, 2}, 0);
        z[cen + 10] = 98;
        Decomposition d = decomposer.decompose(withAttachment("ppmd.zip", z));
        assertTrue(findings(d, "ARCHIVE_UNSCANNABLE").get(0).detail().contains("PPMD"), d.findings().toString());
    }

    // --- limits apply to the new formats ---

    @Test
    void depthEntriesAndTimeLimitsApplyToTheNewFormats() {
        byte[] pdfInZip = zip("doc.pdf", Containers.pdf(one("eicar.com", ascii(EICAR)), false, null));
        DecompositionLimits shallow = new DecompositionLimits(2, 1_000_000, 1000, 100_000, 1000, 1000, 65536, 65536);
        Decomposition deep = new MessageDecomposer(shallow).decompose(withAttachment("a.zip", pdfInZip));
        assertTrue(findings(deep, "ARCHIVE_DEPTH").get(0).detail().contains("part/2/zip:doc.pdf"),
                deep.findings().toString());
        Map<String, byte[]> streams = new LinkedHashMap<>();
        for (int i = 0; i < 30; i++) {
            streams.put("S" + i, ascii("x"));
        }
        DecompositionLimits ten = new DecompositionLimits(10, 1_000_000, 10, 100_000, 1000, 1000, 65536, 65536);
        Decomposition many = new MessageDecomposer(ten).decompose(withAttachment("m.doc", Containers.ole2(streams)));
        assertEquals(1, findings(many, "ARCHIVE_ENTRIES").size(), many.findings().toString());
        DecompositionLimits instant = DecompositionLimits.DEFAULTS.withMaxUnpackTime(Duration.ofNanos(1));
        Decomposition late = new MessageDecomposer(instant).decompose(withAttachment("w.dat",
                Containers.tnef(one("eicar.com", ascii(EICAR)))));
        assertFalse(findings(late, "ARCHIVE_TIME").isEmpty(), late.findings().toString());
        assertTrue(late.items().stream().noneMatch(i -> i.path().contains("tnef:")));
    }

    // --- names are data ---

    @Test
    void hostileEntryNamesStayDataNeverPaths() throws IOException {
        Path cwd = Path.of("").toAbsolutePath();
        Path tmp = Path.of(System.getProperty("java.io.tmpdir"));
        long before;
        try (Stream<Path> s = Files.list(tmp)) {
            before = s.count();
        }
        String name = "../../../../tmp/portcullis-pwned.exe";
        Map<String, byte[]> files = one(name, ascii(EICAR));
        byte[] msg = withAttachment("winmail.dat", Containers.tnef(files));
        Decomposition d = decomposer.decompose(msg);
        assertEquals(name, item(d, "part/2/tnef:" + name).filename());
        Decomposition z = decomposer.decompose(withAttachment("x.zip", zip("../../x.exe", ascii(EICAR))));
        assertEquals("../../x.exe", item(z, "part/2/zip:../../x.exe").filename());
        Decomposition cab = decomposer.decompose(withAttachment("x.cab", cab(one("..\\..\\x.exe", ascii(EICAR)), 0)));
        assertEquals("..\\..\\x.exe", item(cab, "part/2/cab:..\\..\\x.exe").filename());
        assertFalse(Files.exists(Path.of("/tmp/portcullis-pwned.exe")));
        assertFalse(Files.exists(cwd.resolve("../../x.exe").normalize()));
        try (Stream<Path> s = Files.list(tmp)) {
            assertEquals(before, s.count(), "nothing written to " + tmp);
        }
    }

    // --- corrupt and truncated: never throws, never stalls, never clean ---

    /** A sample per format, and the byte range where a change is undetectable (encoded payload, no checksum). */
    private record Sample(String name, byte[] bytes, IntPredicate undetectable, int header) {
        Sample(String name, byte[] bytes, IntPredicate undetectable) {
            this(name, bytes, undetectable, 8);
        }
    }

    private static List<Sample> samples() {
        byte[] eicar = ascii(EICAR);
        byte[] uu = ascii(Containers.uuencode("eicar.com", eicar));
        byte[] sz = szdd(eicar, 'm');
        byte[] rtf = Containers.rtfWithPackage("eicar.com", eicar);
        int hex = ByteSearch.indexOf(rtf, ascii("objdata "), 0);
        IntPredicate none = i -> false;
        return List.of(
                new Sample("winmail.dat", Containers.tnef(one("eicar.com", eicar)), none),
                new Sample("a.doc", wordWithPackage(eicar), none),
                new Sample("a.pdf", Containers.pdf(one("eicar.com", eicar), false, null), none),
                new Sample("b.pdf", Containers.pdf(one("eicar.com", eicar), true, null), none),
                new Sample("a.cab", cab(one("eicar.com", eicar), 0), none),
                new Sample("b.cab", cab(one("eicar.com", eicar), 1), none),
                new Sample("a.co_", sz, i -> i >= 14),
                // uuencode has no integrity at all: a broken header line is plain text, a changed character
                // another file; only truncation (no end) is detectable
                new Sample("a.uu", uu, i -> i < uu.length - 9, "begin 644 eicar.com\r\n".length()),
                // BinHex data has CRCs; a damaged marker line makes it plain text
                new Sample("a.hqx", ascii(Containers.binhex("eicar.com", eicar)), i -> i < 47, 48),
                // RTF has no integrity check: a changed byte anywhere makes another document; truncation inside the
                // object's hex is detectable (the package's sizes)
                new Sample("a.rtf", rtf, i -> true, hex + 8),
                // cut before its overlay, a self-extractor is a plain (blocked) executable stub
                new Sample("setup.exe", Containers.peWithOverlay(zip("eicar.com", eicar)), none, 0x400 + 4));
    }

    @Test
    @Timeout(value = 120, unit = TimeUnit.SECONDS)
    void truncatedContainersOfEveryNewFormatAreNeverClean() {
        for (Sample s : samples()) {
            byte[] c = s.bytes();
            for (int cut : new int[] {1, 3, 10, c.length / 3, c.length / 2, c.length - 30, c.length - 1}) {
                if (cut > 0 && cut < c.length) {
                    // cut inside the magic: unrecognisable bytes without the file (only names that say winmail.dat
                    // or .cab mark the data as a container by themselves)
                    boolean noLongerAContainer = cut < s.header() && !s.name().endsWith(".dat")
                            && !s.name().endsWith(".cab");
                    assertNeverClean(s.name(), Arrays.copyOf(c, cut), "truncated at " + cut, noLongerAContainer);
                }
            }
        }
    }

    @Test
    @Timeout(value = 180, unit = TimeUnit.SECONDS)
    void containersWithFlippedBytesOfEveryNewFormatAreNeverClean() {
        Random random = new Random(42);
        for (Sample s : samples()) {
            int stored = ByteSearch.indexOf(s.bytes(), ascii(EICAR), 0);
            for (int n = 0; n < 25; n++) {
                byte[] bad = s.bytes().clone();
                int at = random.nextInt(bad.length);
                bad[at] ^= (byte) (1 + random.nextInt(255));
                boolean damaged = stored >= 0 && at >= stored && at < stored + EICAR.length()
                        || s.undetectable().test(at);
                assertNeverClean(s.name(), bad, "byte " + at + " flipped", damaged);
            }
        }
    }

    /**
     * Never throws; the EICAR inside is still found, or there is a FAILURE finding. The honest exception: a change
     * inside the stored EICAR text, or inside the encoded payload of a format without a checksum (SZDD, uuencode,
     * RTF hex), makes a different, harmless file that nothing can tell apart.
     */
    private void assertNeverClean(String name, byte[] data, String what, boolean contentDamaged) {
        LocalScanner.Result r = SCANNER.scan(withAttachment(name, data));
        boolean failure = r.findings().stream().anyMatch(f -> f.category() == Category.FAILURE);
        boolean virus = r.symbols().contains("AV_TEST");
        if (contentDamaged && !failure && !virus) {
            return;
        }
        assertTrue(failure || virus, name + " " + what + ": " + r.findings());
        assertEquals(Action.QUARANTINE, r.decision().action(), name + " " + what);
        assertFalse(r.findings().stream().anyMatch(f -> f.symbol().endsWith("_FAIL")),
                name + " " + what + ": an engine failed: " + r.findings());
    }
}
