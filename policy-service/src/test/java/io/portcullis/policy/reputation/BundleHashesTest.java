package io.portcullis.policy.reputation;

import static io.portcullis.policy.signatures.TarFixtures.hdbLine;
import static io.portcullis.policy.signatures.TarFixtures.hex;
import static io.portcullis.policy.signatures.TarFixtures.hsbLine;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.portcullis.av.Match;
import io.portcullis.av.SignatureSet;
import io.portcullis.policy.signatures.BundleParser;
import io.portcullis.policy.signatures.TarFixtures;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Instant;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

class BundleHashesTest {
    private static final byte[] IN_HDB = bytes("sample in hdb");
    private static final byte[] IN_HSB = bytes("sample in hsb");
    private static final byte[] IN_CVD = bytes("sample in cvd");

    private static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.US_ASCII);
    }

    /** A normalized bundle as publication writes it. */
    private static byte[] bundle() throws IOException {
        Map<String, byte[]> cvdMembers = new LinkedHashMap<>();
        cvdMembers.put("daily.hdb", bytes(hdbLine(IN_CVD, "Win.Worm.InCvd-1")));
        cvdMembers.put("daily.ndb", bytes("Body.Only-1:0:*:73616d706c6520696e20636864\n"));
        Map<String, byte[]> files = new LinkedHashMap<>();
        files.put("main.hdb", bytes(hdbLine(IN_HDB, "Win.Trojan.InHdb-1")));
        files.put("main.hsb", bytes(hsbLine(IN_HSB, "Win.Spyware.InHsb-1")));
        files.put("body.ndb", bytes("Body.Sig-1:0:*:73616d706c6520696e20686462\n"));
        files.put("daily.cvd", TarFixtures.cvd(cvdMembers, true));
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        new BundleParser(1 << 20, 10, false).parse(new ByteArrayInputStream(TarFixtures.tarOf(files)), out, Instant.EPOCH);
        return out.toByteArray();
    }

    private static SignatureSet load(byte[] bundle) throws BundleHashes.LoadFailure {
        return BundleHashes.load(new ByteArrayInputStream(bundle), hex("SHA-256", bundle), bundle.length);
    }

    private static byte[] digest(String algorithm, byte[] data) throws Exception {
        return MessageDigest.getInstance(algorithm).digest(data);
    }

    @Test
    void loadsHashesOfHdbHsbAndCvdMembersButNoBodySignatures() throws Exception {
        SignatureSet set = load(bundle());
        Match hdb = set.lookupHash(digest("MD5", IN_HDB), IN_HDB.length);
        assertEquals("Win.Trojan.InHdb-1", hdb.signature());
        assertEquals("main.hdb", hdb.database());
        assertEquals("Win.Spyware.InHsb-1", set.lookupHash(digest("SHA-256", IN_HSB), IN_HSB.length).signature());
        Match cvd = set.lookupHash(digest("MD5", IN_CVD), IN_CVD.length);
        assertEquals("Win.Worm.InCvd-1", cvd.signature());
        assertEquals("daily.cvd/daily.hdb", cvd.database());
        assertEquals(0, set.stats().bodySignatures(), "no automaton in the reputation set");
        assertEquals(0, set.scan(bytes("xx sample in hdb xx")).size());
    }

    @Test
    void aDifferentSizeDoesNotMatch() throws Exception {
        SignatureSet set = load(bundle());
        assertNull(set.lookupHash(digest("MD5", IN_HDB), IN_HDB.length + 1));
        assertNotNull(set.lookupHash(digest("MD5", IN_HDB), IN_HDB.length));
    }

    @Test
    void refusesBytesWhoseSha256IsNotTheRecordedOne() throws Exception {
        byte[] bundle = bundle();
        byte[] tampered = bundle.clone();
        tampered[tampered.length - 1] ^= 1; // inside the end padding: still a valid tar
        BundleHashes.LoadFailure e = assertThrows(BundleHashes.LoadFailure.class, () -> BundleHashes.load(
                new ByteArrayInputStream(tampered), hex("SHA-256", bundle), bundle.length));
        assertTrue(e.getMessage().contains("SHA-256"), e.getMessage());
    }

    @Test
    void refusesAnObjectShorterOrLongerThanRecorded() throws Exception {
        byte[] bundle = bundle();
        String sha = hex("SHA-256", bundle);
        assertThrows(BundleHashes.LoadFailure.class, () -> BundleHashes.load(
                new ByteArrayInputStream(Arrays.copyOf(bundle, bundle.length - 512)), sha, bundle.length));
        byte[] longer = Arrays.copyOf(bundle, bundle.length + 100_000);
        BundleHashes.LoadFailure e = assertThrows(BundleHashes.LoadFailure.class,
                () -> BundleHashes.load(new ByteArrayInputStream(longer), sha, bundle.length));
        assertTrue(e.getMessage().contains("longer than the recorded"), e.getMessage());
    }

    @Test
    void refusesGarbage() {
        byte[] garbage = new byte[4096];
        new java.util.Random(11).nextBytes(garbage);
        garbage[0] = 'x';
        assertThrows(BundleHashes.LoadFailure.class,
                () -> BundleHashes.load(new ByteArrayInputStream(garbage), hex("SHA-256", garbage), garbage.length));
    }
}
