package io.portcullis.av;

import static io.portcullis.av.TestSets.EICAR;
import static io.portcullis.av.TestSets.bytes;
import static io.portcullis.av.TestSets.digest;
import static io.portcullis.av.TestSets.names;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CvdLoaderTest {

    static byte[] tar(Map<String, byte[]> members) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (Map.Entry<String, byte[]> m : members.entrySet()) {
            byte[] h = new byte[512];
            put(h, 0, m.getKey());
            put(h, 100, "0000644");
            put(h, 108, "0000000");
            put(h, 116, "0000000");
            put(h, 124, String.format("%011o", m.getValue().length));
            put(h, 136, String.format("%011o", 1_700_000_000L));
            h[156] = '0';
            put(h, 257, "ustar");
            put(h, 263, "00");
            Arrays.fill(h, 148, 156, (byte) ' ');
            int sum = 0;
            for (byte b : h) sum += b & 0xFF;
            put(h, 148, String.format("%06o", sum));
            h[154] = 0;
            out.writeBytes(h);
            out.writeBytes(m.getValue());
            out.writeBytes(new byte[(512 - m.getValue().length % 512) % 512]);
        }
        out.writeBytes(new byte[1024]);
        return out.toByteArray();
    }

    private static void put(byte[] h, int off, String s) {
        byte[] b = s.getBytes(StandardCharsets.US_ASCII);
        System.arraycopy(b, 0, h, off, b.length);
    }

    static byte[] cvd(Map<String, byte[]> members, boolean gzip) throws Exception {
        byte[] archive = tar(members);
        if (gzip) {
            ByteArrayOutputStream gz = new ByteArrayOutputStream();
            try (GZIPOutputStream g = new GZIPOutputStream(gz)) {
                g.write(archive);
            }
            archive = gz.toByteArray();
        }
        String header = "ClamAV-VDB:27 Nov 2026 05-00 +0000:42:3:90:" + digest("MD5", archive) + ":NotVerified:tester:1795000000";
        byte[] out = new byte[512 + archive.length];
        Arrays.fill(out, 0, 512, (byte) ' ');
        put(out, 0, header);
        System.arraycopy(archive, 0, out, 512, archive.length);
        return out;
    }

    static Map<String, byte[]> members() throws Exception {
        Map<String, byte[]> m = new LinkedHashMap<>();
        m.put("test.hdb", bytes(digest("MD5", bytes(EICAR)) + ":68:Eicar-Test-Signature-MD5\n"));
        m.put("test.ndb", bytes("Win.Trojan.Planted-1:0:*:" + TestSets.hex("planted trojan marker") + "\n"));
        m.put("test.ldb", bytes("Sig;Engine:51-255,Target:0;0;41424344\n"));
        m.put("test.info", bytes("ClamAV-VDB:...\n"));
        return m;
    }

    @Test
    void loadsHeaderAndEveryMemberFromGzippedCvd(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("test.cvd");
        Files.write(file, cvd(members(), true));
        SignatureSet set = SignatureSet.builder(LoadOptions.strictOptions().withoutSignatureCheck()).load(file).build();
        CvdHeader h = set.loadReport().containers().get(0);
        assertEquals(42, h.version());
        assertEquals(3, h.signatures());
        assertEquals(90, h.functionalityLevel());
        assertEquals("tester", h.builder());
        assertEquals(1795000000L, h.signTime());
        assertEquals(List.of("test.cvd/test.info: format not yet supported"),
            set.loadReport().unsupported());
        assertEquals(List.of("Eicar-Test-Signature-MD5"), names(set.scan(bytes(EICAR))));
        assertEquals(List.of("Sig"), names(set.scan(bytes("..ABCD.."))));
        List<Match> m = set.scan(bytes("xx planted trojan marker xx"));
        assertEquals(List.of(new Match("Win.Trojan.Planted-1", ThreatCategory.TROJAN, "test.cvd/test.ndb", 3)), m);
    }

    @Test
    void loadsUncompressedCld() throws Exception {
        SignatureSet set = SignatureSet.builder(LoadOptions.strictOptions()).load("daily.cld", cvd(members(), false)).build();
        assertEquals(1, set.stats().md5Hashes());
        assertEquals(2, set.stats().bodySignatures());
        assertEquals(1, set.stats().logicalSignatures());
        assertEquals(java.util.Map.of("hdb", 1, "ndb", 1, "ldb", 1), set.loadReport().signaturesByFormat());
    }

    @Test
    void unparsableLineInsideAContainerIsReportedWithMemberAndLineAndTheRestLoadsEvenWhenStrict() throws Exception {
        Map<String, byte[]> m = members();
        m.put("test.ndb", bytes("Ok:0:*:41424344\nBad:0:*:41{9-1}42\n"));
        SignatureSet set = SignatureSet.builder(LoadOptions.strictOptions().withoutSignatureCheck())
            .load("main.cvd", cvd(m, true)).build();
        assertEquals(1, set.loadReport().errors().size(), "ClamAV's own lines we cannot parse are reported, not fatal");
        SignatureLoadException e = set.loadReport().errors().get(0);
        assertEquals("main.cvd/test.ndb", e.database());
        assertEquals(2, e.line());
        assertEquals(1, set.scan(bytes("xxABCDxx")).stream().filter(x -> x.signature().equals("Ok")).count(),
            "the other lines of the member are loaded");
    }

    @Test
    void badLineInAPlainDatabaseStillAbortsStrictLoading() {
        SignatureLoadException e = assertThrows(SignatureLoadException.class,
            () -> SignatureSet.builder(LoadOptions.strictOptions()).load("local.ndb", bytes("Ok:0:*:41424344\nBad:0:*:41{9-1}42\n")));
        assertEquals("local.ndb", e.database());
        assertEquals(2, e.line());
    }

    @Test
    void truncatedCvdIsAClearError() throws Exception {
        byte[] good = cvd(members(), true);
        for (int cut : new int[] {100, 511, 600, good.length - 10}) {
            byte[] bad = Arrays.copyOf(good, cut);
            SignatureLoadException e = assertThrows(SignatureLoadException.class,
                () -> SignatureSet.builder(LoadOptions.strictOptions().withoutSignatureCheck()).load("main.cvd", bad), "cut " + cut);
            assertTrue(e.getMessage().startsWith("main.cvd: ") && e.getMessage().contains("truncated"), e.getMessage());
        }
    }

    @Test
    void corruptCvdIsAClearError() throws Exception {
        byte[] bad = cvd(members(), true);
        bad[600] ^= 0x55;
        SignatureLoadException e = assertThrows(SignatureLoadException.class,
            () -> SignatureSet.builder(LoadOptions.strictOptions().withoutSignatureCheck()).load("main.cvd", bad));
        assertTrue(e.getMessage().contains("MD5"), e.getMessage());
    }

    @Test
    void truncatedOrCorruptCldWithoutMd5CheckIsStillAClearError() throws Exception {
        byte[] good = cvd(members(), true);
        byte[] truncated = Arrays.copyOf(good, good.length - 30);
        SignatureLoadException e = assertThrows(SignatureLoadException.class,
            () -> SignatureSet.builder(LoadOptions.strictOptions()).load("daily.cld", truncated));
        assertTrue(e.getMessage().startsWith("daily.cld: corrupt or truncated"), e.getMessage());
        byte[] plain = cvd(members(), false);
        plain[512 + 130] = 'x'; // size field of the first tar header
        SignatureLoadException e2 = assertThrows(SignatureLoadException.class,
            () -> SignatureSet.builder(LoadOptions.strictOptions()).load("daily.cld", plain));
        assertTrue(e2.getMessage().contains("corrupt tar archive"), e2.getMessage());
    }

    @Test
    void notAContainerHeader() {
        byte[] junk = new byte[2048];
        SignatureLoadException e = assertThrows(SignatureLoadException.class,
            () -> SignatureSet.builder(LoadOptions.strictOptions()).load("x.cvd", junk));
        assertTrue(e.getMessage().contains("ClamAV-VDB"), e.getMessage());
    }
}
