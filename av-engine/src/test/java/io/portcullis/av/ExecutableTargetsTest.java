package io.portcullis.av;

import static io.portcullis.av.TestSets.bytes;
import static io.portcullis.av.TestSets.digest;
import static io.portcullis.av.TestSets.hex;
import static io.portcullis.av.TestSets.names;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Target types, entry-point and section offsets, and PE section hashes (.mdb/.msb). */
class ExecutableTargetsTest {
    static final int FILE_ALIGN = 0x200;

    /**
     * A minimal PE32: DOS header, PE header, one section header per raw section (virtual addresses 0x1000 apart,
     * raw data from 0x400 on, 0x200-aligned), entry point at {@code epOffsetInFirstSection} inside section 0.
     */
    static byte[] pe(int epOffsetInFirstSection, byte[]... sections) {
        int headers = 0x400;
        int rawTotal = 0;
        for (byte[] s : sections) rawTotal += align(s.length);
        ByteBuffer b = ByteBuffer.allocate(headers + rawTotal).order(ByteOrder.LITTLE_ENDIAN);
        b.put(0, (byte) 'M').put(1, (byte) 'Z').putInt(0x3C, 0x80);
        b.put(0x80, (byte) 'P').put(0x81, (byte) 'E');
        int coff = 0x84;
        b.putShort(coff, (short) 0x14C).putShort(coff + 2, (short) sections.length).putShort(coff + 16, (short) 0xE0);
        int opt = coff + 20;
        b.putShort(opt, (short) 0x10B).putInt(opt + 16, 0x1000 + epOffsetInFirstSection);
        int table = opt + 0xE0;
        int raw = headers;
        for (int i = 0; i < sections.length; i++) {
            int h = table + 40 * i;
            b.put(h, (byte) '.').put(h + 1, (byte) ('a' + i));
            b.putInt(h + 8, sections[i].length).putInt(h + 12, 0x1000 * (i + 1))
                .putInt(h + 16, align(sections[i].length)).putInt(h + 20, raw);
            b.position(raw);
            b.put(sections[i]);
            raw += align(sections[i].length);
        }
        return b.array();
    }

    static int align(int n) {
        return (n + FILE_ALIGN - 1) / FILE_ALIGN * FILE_ALIGN;
    }

    /** A minimal 64-bit little-endian ELF with one PT_LOAD segment mapping file offset 0 at 0x400000. */
    static byte[] elf(byte[] body, int entryOffset) {
        ByteBuffer b = ByteBuffer.allocate(0x100 + body.length).order(ByteOrder.LITTLE_ENDIAN);
        b.put(new byte[] {0x7F, 'E', 'L', 'F', 2, 1, 1});
        b.putLong(24, 0x400000L + 0x100 + entryOffset).putLong(32, 64).putShort(54, (short) 56).putShort(56, (short) 1);
        b.putInt(64, 1).putLong(64 + 8, 0).putLong(64 + 16, 0x400000L).putLong(64 + 32, 0x100 + body.length);
        b.position(0x100);
        b.put(body);
        return b.array();
    }

    private static List<String> streamed(SignatureSet set, byte[] d, int chunk) {
        ScanSession s = set.newSession();
        for (int p = 0; p < d.length; p += chunk) s.update(d, p, Math.min(chunk, d.length - p));
        return names(s.finish());
    }

    private static void sameEverywhere(SignatureSet set, byte[] d, List<String> expected) {
        assertEquals(expected, names(set.scan(d)), "whole");
        for (int chunk : new int[] {1, 7, 512, 4096, 70_000}) assertEquals(expected, streamed(set, d, chunk), "chunk " + chunk);
    }

    @Test
    void peTargetMatchesOnlyInPeFiles() throws Exception {
        String marker = hex("pe-only marker");
        SignatureSet set = TestSets.ndb("Pe.Only:1:*:" + marker, "Any.Type:0:*:" + marker);
        byte[] exe = pe(0, bytes("code... pe-only marker ...").clone());
        sameEverywhere(set, exe, List.of("Any.Type", "Pe.Only"));
        byte[] text = bytes("plain text with pe-only marker");
        sameEverywhere(set, text, List.of("Any.Type"));
        byte[] fakeMz = bytes("MZ but not a PE: pe-only marker");
        sameEverywhere(set, fakeMz, List.of("Any.Type"));
        assertTrue(set.loadReport().limitations().isEmpty(), set.loadReport().limitations().toString());
    }

    @Test
    void entryPointAndSectionOffsetsInPe() throws Exception {
        byte[] code = new byte[600];
        System.arraycopy(bytes("ENTRYCODE"), 0, code, 0x20, 9);
        byte[] data = new byte[70_000]; // past the 64 KiB prefix the session reads before scanning
        System.arraycopy(bytes("SECONDSECTION"), 0, data, 5, 13);
        System.arraycopy(bytes("FARMARK"), 0, data, 69_000, 7);
        byte[] exe = pe(0x20, code, data);
        SignatureSet set = TestSets.ndb(
            "Ep.Exact:1:EP+0:" + hex("ENTRYCODE"),
            "Ep.Minus:1:EP-2:0000" + hex("ENTRY"),
            "Ep.Wrong:1:EP+1:" + hex("NTRYCODE0"),
            "Ep.Range:1:EP+1,4:" + hex("TRYCODE"),
            "Sec.One:1:S1+5:" + hex("SECONDSECTION"),
            "Sec.Last:1:SL+5:" + hex("SECONDSECTION"),
            "Sec.Zero:1:S0+5:" + hex("SECONDSECTION"),
            "Sec.Missing:1:S7+0:" + hex("ENTRYCODE"),
            "Sec.Far:1:S1+69000:" + hex("FARMARK"),
            "Sec.Far.Wrong:1:S1+68999:" + hex("FARMARK"));
        sameEverywhere(set, exe, List.of("Ep.Minus", "Ep.Exact", "Ep.Range", "Sec.Last", "Sec.One", "Sec.Far"));
        byte[] notPe = bytes("xxxxENTRYCODExxxxSECONDSECTION");
        sameEverywhere(set, notPe, List.of());
    }

    @Test
    void elfTargetAndEntryPoint() throws Exception {
        byte[] body = new byte[200];
        System.arraycopy(bytes("ELFENTRY!"), 0, body, 40, 9);
        byte[] elf = elf(body, 40);
        SignatureSet set = TestSets.ndb("Elf.Any:6:*:" + hex("ELFENTRY"), "Elf.Ep:6:EP+0:" + hex("ELFENTRY!"),
            "Elf.Ep.Off:6:EP+1:" + hex("ELFENTRY"), "Pe.Ep:1:EP+0:" + hex("ELFENTRY"));
        sameEverywhere(set, elf, List.of("Elf.Any", "Elf.Ep"));
        sameEverywhere(set, bytes("ELFENTRY! in text"), List.of());
    }

    @Test
    void otherTypesRecognisedFromTheirFirstBytes() throws Exception {
        SignatureSet set = TestSets.ndb("Html.X:3:*:" + hex("evil()"), "Mail.X:4:*:" + hex("evil()"),
            "Text.X:7:*:" + hex("evil()"), "Ole.X:2:*:" + hex("evil()"), "Pdf.X:10:*:" + hex("evil()"),
            "Gif.X:5:*:" + hex("evil()"));
        assertEquals(List.of("Html.X", "Text.X"), names(set.scan(bytes("<html><script>evil()</script></html>"))).stream().sorted().toList());
        assertEquals(List.of("Mail.X", "Text.X"), names(set.scan(bytes("Received: from x\r\nSubject: y\r\n\r\nevil()"))).stream().sorted().toList());
        byte[] ole = new byte[100];
        System.arraycopy(new byte[] {(byte) 0xD0, (byte) 0xCF, 0x11, (byte) 0xE0, (byte) 0xA1, (byte) 0xB1, 0x1A, (byte) 0xE1}, 0, ole, 0, 8);
        System.arraycopy(bytes("evil()"), 0, ole, 50, 6);
        assertEquals(List.of("Ole.X"), names(set.scan(ole)));
        assertEquals(List.of("Pdf.X", "Text.X"), names(set.scan(bytes("%PDF-1.7 evil()"))).stream().sorted().toList());
        assertEquals(List.of("Gif.X", "Text.X"), names(set.scan(bytes("GIF89a evil()"))).stream().sorted().toList());
        assertEquals(List.of(), names(set.scan(bytes("\u0001\u0002 binary evil()"))));
        SignatureSet approx = TestSets.ndb("Html.X:3:*:41424344", "Odd:13:*:45464748");
        assertEquals(Map.of("target type 3 recognised cheaply, matched on raw (not normalised) bytes", 1,
            "target type 13 not recognised, scanned as raw bytes (type 0)", 1), approx.loadReport().limitations());
        assertEquals(List.of("Odd"), names(approx.scan(bytes("\u0001EFGH"))), "unrecognised targets still scan");
    }

    @Test
    void logicalSignatureTargetsApplyToTheWholeSignature() throws Exception {
        SignatureSet set = TestSets.load("t.ldb", "Pe.Logical;Engine:51-255,Target:1;0&1;41424344;45464748");
        assertEquals(List.of(), names(set.scan(bytes("ABCD EFGH"))));
        assertEquals(List.of("Pe.Logical"), names(set.scan(pe(0, bytes("ABCD EFGH")))));
    }

    @Test
    void sectionHashesMatchTheRightSectionOnly() throws Exception {
        byte[] s0 = new byte[700];
        byte[] s1 = new byte[1000];
        new java.util.Random(4).nextBytes(s0);
        new java.util.Random(5).nextBytes(s1);
        byte[] exe = pe(0, s0, s1);
        // section hashes cover the raw (file-aligned) data
        byte[] raw1 = Arrays.copyOfRange(exe, 0x400 + align(700), 0x400 + align(700) + align(1000));
        SignatureSet set = SignatureSet.builder(LoadOptions.strictOptions())
            .load("s.mdb", bytes(raw1.length + ":" + digest("MD5", raw1) + ":Win.Trojan.Section-1\n"
                + "512:" + digest("MD5", new byte[512]) + ":Zero.Section\n"))
            .load("s.msb", bytes(raw1.length + ":" + digest("SHA-256", raw1) + ":Win.Trojan.Section-256\n"
                + "*:" + digest("SHA-1", raw1) + ":Win.Trojan.Section-Any:73\n")).build();
        assertEquals(Map.of("mdb", 2, "msb", 2), set.loadReport().signaturesByFormat());
        List<Match> m = set.scan(exe);
        assertEquals(List.of("Win.Trojan.Section-1", "Win.Trojan.Section-256", "Win.Trojan.Section-Any"), names(m),
            "one match per algorithm, ordered by name at the same offset");
        for (Match x : m) assertEquals(0x400 + align(700), x.offset(), "reported at the section's file offset");
        for (int chunk : new int[] {1, 100, 4096, 100_000}) {
            assertEquals(names(m).stream().sorted().toList(), streamed(set, exe, chunk).stream().sorted().toList(), "chunk " + chunk);
        }
        // the same bytes outside a PE are no section
        assertEquals(List.of(), names(set.scan(raw1)));
        // a PE cut inside the section: no hash of a partial section
        assertEquals(List.of(), names(set.scan(Arrays.copyOf(exe, exe.length - 10))));
    }

    @Test
    void malformedHeadersAreHarmless() throws Exception {
        SignatureSet set = TestSets.ndb("Ep:1:EP+0:41424344", "Any:0:*:45464748");
        byte[] exe = pe(0, bytes("ABCD EFGH"));
        for (int cut = 0; cut < 0x400; cut += 7) {
            byte[] d = Arrays.copyOf(exe, cut);
            set.scan(d);
            streamed(set, d, 3);
        }
        byte[] hostile = exe.clone();
        ByteBuffer.wrap(hostile).order(ByteOrder.LITTLE_ENDIAN).putInt(0x3C, 0x7FFFFFF0);
        assertEquals(List.of("Any"), names(set.scan(hostile)), "not a PE any more: only the type-0 signature");
        byte[] manySections = exe.clone();
        ByteBuffer.wrap(manySections).order(ByteOrder.LITTLE_ENDIAN).putShort(0x86, (short) 0xFFFF);
        assertEquals(List.of("Any"), names(set.scan(manySections)), "PE without usable section table: type PE, no EP");
        byte[] elf = elf(new byte[10], 0);
        ByteBuffer.wrap(elf).order(ByteOrder.LITTLE_ENDIAN).putShort(56, (short) 30000);
        set.scan(elf);
    }

    @Test
    void malformedLinesNameFileAndLine() {
        assertLine("x.mdb", "12:" + "ab".repeat(16), 1, "expected size:hash:name");
        assertLine("x.mdb", "12:" + "ab".repeat(20) + ":N", 1, "expected 32 hex digits");
        assertLine("x.msb", "ok\n12:" + "zz".repeat(20) + ":N", 2, "not hexadecimal");
        assertLine("x.msb", "-1:" + "ab".repeat(20) + ":N", 1, "bad size");
        assertLine("x.ndb", "N:1:EP+x:41424344", 1, "bad offset");
        assertLine("x.ndb", "N:1:S3:41424344", 1, "expected Sx+n");
        assertLine("x.ndb", "N:1:S999+0:41424344", 1, "section number too large");
    }

    private static void assertLine(String file, String content, int line, String problem) {
        SignatureLoadException e = assertThrows(SignatureLoadException.class,
            () -> SignatureSet.builder(LoadOptions.strictOptions()).load(file, bytes(content.startsWith("ok\n")
                ? "32:" + "ab".repeat(20) + ":Fine\n" + content.substring(3) : content)));
        assertEquals(file, e.database());
        assertEquals(line, e.line());
        assertTrue(e.getMessage().contains(problem), e.getMessage());
    }
}
