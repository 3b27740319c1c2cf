package io.portcullis.av;

import static io.portcullis.av.TestSets.bytes;
import static io.portcullis.av.TestSets.names;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.security.KeyPairGenerator;
import java.security.MessageDigest;
import java.security.interfaces.RSAPrivateKey;
import java.security.interfaces.RSAPublicKey;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

class CvdSignatureTest {
    /** MD5 and dsig fields of a published daily.cvd header (version 25784, April 2020), signed by ClamAV. */
    static final String REAL_MD5 = "92baacd59fd26e6bcf03077add78d209";
    static final String REAL_DSIG = "4Jp9JtGJY6nUk8JHDQQpQeBwlfXqskvhXL+vesDNqAeWCmjbudU+Hy/Nj4/BH2vl70c/R5B/VYY+eqqCQo6o7VGLqLJr/E+19gejqMp/iRcuHrtnLw6V/x3UjO3/qYVSlcJvAjtMI7FK32wjB+Sp8kaS/ZbfaFQp6trRQhisjqf";

    @Test
    void realClamavSignatureVerifiesWithClamavsPublicKey() {
        CvdSignature k = CvdSignature.clamav();
        assertTrue(k.verify(REAL_MD5, REAL_DSIG));
        assertFalse(k.verify("92baacd59fd26e6bcf03077add78d208", REAL_DSIG), "another MD5");
        char[] d = REAL_DSIG.toCharArray();
        d[10] = d[10] == 'a' ? 'b' : 'a';
        assertFalse(k.verify(REAL_MD5, new String(d)), "altered signature");
        assertFalse(k.verify(REAL_MD5, "not*base64"), "character outside the alphabet");
        assertFalse(k.verify(REAL_MD5, ""));
        assertFalse(k.verify(REAL_MD5, "a".repeat(10_000)), "oversized field refused before any arithmetic");
        assertFalse(k.verify("xyz", REAL_DSIG));
    }

    /** A test key pair: the loader's key is replaced, the real check runs unchanged. */
    record TestKey(CvdSignature publicKey, BigInteger d, BigInteger n) {
        static TestKey generate() throws Exception {
            KeyPairGenerator g = KeyPairGenerator.getInstance("RSA");
            g.initialize(1024);
            var kp = g.generateKeyPair();
            RSAPublicKey pub = (RSAPublicKey) kp.getPublic();
            RSAPrivateKey priv = (RSAPrivateKey) kp.getPrivate();
            return new TestKey(new CvdSignature(pub.getModulus(), pub.getPublicExponent()), priv.getPrivateExponent(), pub.getModulus());
        }

        String sign(byte[] md5) {
            return CvdSignature.encode(new BigInteger(1, md5).modPow(d, n));
        }
    }

    static byte[] signedCvd(TestKey key) throws Exception {
        byte[] unsigned = CvdLoaderTest.cvd(CvdLoaderTest.members(), true);
        byte[] archive = Arrays.copyOfRange(unsigned, 512, unsigned.length);
        byte[] md5 = MessageDigest.getInstance("MD5").digest(archive);
        String header = "ClamAV-VDB:27 Nov 2026 05-00 +0000:42:3:90:" + TestSets.hex(md5) + ":" + key.sign(md5) + ":tester:1795000000";
        byte[] out = unsigned.clone();
        Arrays.fill(out, 0, 512, (byte) ' ');
        byte[] h = header.getBytes(StandardCharsets.US_ASCII);
        System.arraycopy(h, 0, out, 0, h.length);
        return out;
    }

    @Test
    void signedContainerLoadsAndTamperedOrUnsignedOnesAreRefusedNamingTheFile() throws Exception {
        TestKey key = TestKey.generate();
        byte[] good = signedCvd(key);
        SignatureSetBuilder b = SignatureSet.builder(LoadOptions.strictOptions());
        b.cvdKey = key.publicKey();
        SignatureSet set = b.load("daily.cvd", good).build();
        assertEquals(List.of("Win.Trojan.Planted-1"), names(set.scan(bytes("planted trojan marker"))));

        // signed with another key (as a forged container would be)
        byte[] forged = signedCvd(TestKey.generate());
        SignatureSetBuilder b2 = SignatureSet.builder(LoadOptions.strictOptions());
        b2.cvdKey = key.publicKey();
        SignatureLoadException e = assertThrows(SignatureLoadException.class, () -> b2.load("daily.cvd", forged));
        assertEquals("daily.cvd", e.database());
        assertTrue(e.getMessage().startsWith("daily.cvd: digital signature does not verify"), e.getMessage());

        // the ClamAV key by default: a container not signed by ClamAV is refused, unless the check is off
        assertThrows(SignatureLoadException.class, () -> SignatureSet.builder(LoadOptions.strictOptions()).load("main.cvd", good));
        assertEquals(1, SignatureSet.builder(LoadOptions.strictOptions().withoutSignatureCheck()).load("main.cvd", good)
            .build().stats().md5Hashes());
        // lenient loading does not turn a bad container into a warning either
        assertThrows(SignatureLoadException.class, () -> SignatureSet.builder(LoadOptions.collectErrors()).load("main.cvd", good));
    }

    @Test
    void encodingRoundTrips() {
        BigInteger v = new BigInteger("123456789012345678901234567890");
        assertEquals(v, CvdSignature.decode(CvdSignature.encode(v)));
    }
}
