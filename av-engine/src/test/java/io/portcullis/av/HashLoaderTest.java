package io.portcullis.av;

import static io.portcullis.av.TestSets.bytes;
import static io.portcullis.av.TestSets.digest;
import static io.portcullis.av.TestSets.load;
import static io.portcullis.av.TestSets.names;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class HashLoaderTest {
    private static final byte[] FILE = bytes("hello hash database");

    @Test
    void hdbMatchesExactBytesAndSize() throws Exception {
        SignatureSet set = load("t.hdb", digest("MD5", FILE) + ":" + FILE.length + ":Test.Md5-1",
            digest("MD5", bytes("other")) + ":5:Test.Md5-2");
        List<Match> m = set.scan(FILE);
        assertEquals(List.of("Test.Md5-1"), names(m));
        assertEquals(Match.WHOLE_FILE, m.get(0).offset());
        assertEquals("t.hdb", m.get(0).database());
        assertTrue(set.scan(bytes("hello hash databasf")).isEmpty());
    }

    @Test
    void hdbSizeMismatchDoesNotMatch() throws Exception {
        SignatureSet set = load("t.hdb", digest("MD5", FILE) + ":" + (FILE.length + 1) + ":Test.Md5-1");
        assertTrue(set.scan(FILE).isEmpty());
    }

    @Test
    void hsbSha1AndSha256AndAnySize() throws Exception {
        SignatureSet set = load("t.hsb", digest("SHA-1", FILE) + ":" + FILE.length + ":Test.Sha1-1",
            digest("SHA-256", FILE) + ":*:Test.Sha256-1:73",
            digest("SHA-256", bytes("x")) + ":*:Test.Sha256-2");
        assertEquals(List.of("Test.Sha1-1", "Test.Sha256-1"), names(set.scan(FILE)).stream().sorted().toList());
        assertEquals(List.of("Test.Sha256-2"), names(set.scan(bytes("x"))));
        assertEquals(1, set.stats().sha1Hashes());
        assertEquals(2, set.stats().sha256Hashes());
    }

    @Test
    void duplicateHashWithDifferentSizesMatchesTheRightSize() throws Exception {
        String md5 = digest("MD5", FILE);
        SignatureSet set = load("t.hdb", md5 + ":1:Wrong-1", md5 + ":" + FILE.length + ":Right-1", md5 + ":2:Wrong-2");
        assertEquals(List.of("Right-1"), names(set.scan(FILE)));
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = ';', value = {
        "hdb bad hex;t.hdb;zz3456789012345678901234567890ab:5:X;not hexadecimal",
        "hdb short hash;t.hdb;123456:5:X;expected 32 hex digits",
        "hdb bad size;t.hdb;1234567890123456789012345678901a:5k:X;bad size '5k'",
        "hdb negative size;t.hdb;1234567890123456789012345678901a:-5:X;bad size '-5'",
        "hdb empty name;t.hdb;1234567890123456789012345678901a:5:;empty signature name",
        "hdb field count;t.hdb;1234567890123456789012345678901a:5;found 2 field(s)",
        "hsb bad length;t.hsb;123456789012345678901234567890123456789012:5:X;neither SHA-1",
        "hsb odd nibbles;t.hsb;123456789012345678901234567890123456789:5:X;neither SHA-1",
        "hsb bad flevel;t.hsb;1234567890123456789012345678901234567890:5:X:z;bad functionality level",
    })
    void rejectsMalformedLineNamingFileAndLine(String what, String file, String line, String expected) {
        SignatureLoadException e = assertThrows(SignatureLoadException.class, () -> load(file, "", line));
        assertEquals(file, e.database());
        assertEquals(2, e.line(), what);
        assertTrue(e.getMessage().startsWith(file + ":2: ") && e.getMessage().contains(expected), what + " -> " + e.getMessage());
    }
}
