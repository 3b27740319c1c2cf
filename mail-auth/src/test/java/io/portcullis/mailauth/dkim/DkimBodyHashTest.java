package io.portcullis.mailauth.dkim;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The one body canonicalization: line-end modes, limits and streaming in pieces give the same hash as one pass. */
class DkimBodyHashTest {

    private static byte[] hash(DkimBodyHash h, String body, int piece) {
        byte[] b = body.getBytes(StandardCharsets.ISO_8859_1);
        for (int off = 0; off < b.length; off += piece) {
            h.update(b, off, Math.min(piece, b.length - off));
        }
        return h.digest();
    }

    @Test
    void asSentTreatsBareCrAndLfAsTheCrlfTheRelayWrites() {
        for (String body : List.of("a  b\rc \n\n d\r\r\n\r\n", "x\r", "\n\n", "one\nline")) {
            String wire = body.replace("\r\n", "\n").replace('\r', '\n').replace("\n", "\r\n");
            assertArrayEquals(hash(DkimBodyHash.of(true, null), wire, 1000), hash(DkimBodyHash.relaxedAsSent(), body, 1),
                    body);
        }
    }

    @Test
    void verifierModeKeepsABareCrAsContent() {
        assertEquals("a\rb\r\n", DkimBodyHash.canonical("a\rb\r\n", true));
        assertEquals("a\r\r\n", DkimBodyHash.canonical("a\r", false), "unterminated line ending in CR");
        assertEquals("a\n b\r\n", DkimBodyHash.canonical("a\n  b", true), "bare LF is content too");
    }

    @Test
    void pieceBoundariesDoNotMatter() {
        String body = "line  one \t\r\n\r\n  two\r\n\r\n\r\n";
        byte[] whole = hash(DkimBodyHash.of(true, null), body, body.length());
        for (int piece = 1; piece < 6; piece++) {
            assertArrayEquals(whole, hash(DkimBodyHash.of(true, null), body, piece), "piece " + piece);
        }
    }

    @Test
    void limitHashesThePrefixAndLengthCountsTheWholeCanonicalBody() {
        DkimBodyHash limited = DkimBodyHash.of(false, 3L);
        byte[] h = hash(limited, "abcdef\r\n\r\n", 2);
        assertEquals(8, limited.length());
        assertArrayEquals(sha256("abc"), h);
        DkimBodyHash zero = DkimBodyHash.of(true, 0L);
        assertArrayEquals(sha256(""), hash(zero, "text\r\n", 7));
    }

    @Test
    void updateAfterDigestIsRefused() {
        DkimBodyHash h = DkimBodyHash.of(true, null);
        h.digest();
        assertThrows(IllegalStateException.class, () -> h.update(new byte[1], 0, 1));
    }

    private static byte[] sha256(String s) {
        try {
            return java.security.MessageDigest.getInstance("SHA-256").digest(s.getBytes(StandardCharsets.ISO_8859_1));
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
