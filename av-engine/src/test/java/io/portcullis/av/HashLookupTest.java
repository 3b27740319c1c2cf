package io.portcullis.av;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.List;
import org.junit.jupiter.api.Test;

class HashLookupTest {
    private static final byte[] FILE = "a file that is known to be bad".getBytes(StandardCharsets.US_ASCII);

    private static byte[] digest(String alg, byte[] data) throws Exception {
        return MessageDigest.getInstance(alg).digest(data);
    }

    private static String hex(byte[] b) {
        StringBuilder sb = new StringBuilder();
        for (byte x : b) sb.append(String.format("%02x", x));
        return sb.toString();
    }

    private SignatureSet set(LoadOptions options) throws Exception {
        return SignatureSet.builder(options)
            .load("t.hdb", (hex(digest("MD5", FILE)) + ":" + FILE.length + ":Win.Trojan.Md5Known-1\n").getBytes())
            .load("t.hsb", (hex(digest("SHA-256", FILE)) + ":" + FILE.length + ":Win.Trojan.ShaKnown-1\n").getBytes())
            .load("t.ndb", "Body.Test-1:0:*:6b6e6f776e20746f206265\n".getBytes())
            .build();
    }

    @Test
    void looksUpMd5AndSha256WithSize() throws Exception {
        SignatureSet set = set(LoadOptions.strictOptions());
        Match md5 = set.lookupHash(digest("MD5", FILE), FILE.length);
        assertEquals("Win.Trojan.Md5Known-1", md5.signature());
        assertEquals(ThreatCategory.TROJAN, md5.category());
        assertEquals(Match.WHOLE_FILE, md5.offset());
        assertEquals("Win.Trojan.ShaKnown-1", set.lookupHash(digest("SHA-256", FILE), FILE.length).signature());
    }

    @Test
    void wrongSizeOrUnknownDigestIsNoMatch() throws Exception {
        SignatureSet set = set(LoadOptions.strictOptions());
        assertNull(set.lookupHash(digest("MD5", FILE), FILE.length + 1));
        assertNull(set.lookupHash(digest("SHA-1", FILE), FILE.length));
        assertNull(set.lookupHash(new byte[32], FILE.length));
    }

    @Test
    void rejectsDigestOfUnknownLength() throws Exception {
        SignatureSet set = set(LoadOptions.strictOptions());
        assertThrows(IllegalArgumentException.class, () -> set.lookupHash(new byte[7], 1));
    }

    @Test
    void withoutHashesSkipsHashDatabasesButKeepsBodySignatures() throws Exception {
        SignatureSet set = set(LoadOptions.strictOptions().withoutHashes());
        assertEquals(List.of("t.hdb", "t.hsb"), set.loadReport().skipped());
        assertEquals(0, set.stats().md5Hashes() + set.stats().sha256Hashes());
        assertNull(set.lookupHash(digest("MD5", FILE), FILE.length));
        List<Match> matches = set.scan(FILE);
        assertEquals(1, matches.size());
        assertEquals("Body.Test-1", matches.get(0).signature());
    }

    @Test
    void withoutHashesKeepsPeSectionHashesLocal() throws Exception {
        SignatureSet set = SignatureSet.builder(LoadOptions.strictOptions().withoutHashes())
            .load("t.hdb", (hex(digest("MD5", FILE)) + ":" + FILE.length + ":Win.Trojan.Md5Known-1\n").getBytes())
            .load("s.mdb", ("4096:" + hex(digest("MD5", FILE)) + ":Win.Trojan.Section-1\n").getBytes())
            .build();
        assertEquals(List.of("t.hdb"), set.loadReport().skipped(), "only whole-file hashes go to the central service");
        assertEquals(1, set.loadReport().signaturesByFormat().get("mdb"));
    }
}
