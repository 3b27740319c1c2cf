package io.portcullis.av;

import java.math.BigInteger;
import java.util.HexFormat;

/**
 * The digital signature of a ClamAV {@code .cvd} header: the MD5 of the archive after the 512-byte header, raised
 * to ClamAV's public RSA exponent modulo its public modulus after decoding the {@code dsig} header field. The field
 * is a little-endian base-64 number (6 bits per character, first character least significant) over the alphabet
 * {@code a-z A-Z 0-9 + /}; the low 16 bytes of {@code dsig^e mod n}, big-endian, must equal the MD5.
 */
final class CvdSignature {
    /** ClamAV's published public key for .cvd signatures (modulus and exponent, decimal). */
    static final BigInteger CLAMAV_MODULUS = new BigInteger(
        "118640995551645342603070001658453189751527774412027743746599405743243142607464144767361060640655844749760788890"
        + "022283424922762488917565551002467771109669598189410434699034532232228621591089508178591428456220796841621637175"
        + "567590476666928698770143328137383952820383197532047771780196576957695822641224262693037");
    static final BigInteger CLAMAV_EXPONENT = new BigInteger("100001027");

    private static final String ALPHABET = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789+/";
    /** Longer fields cannot be a signature under a 1024-bit modulus; refuse them before any arithmetic. */
    private static final int MAX_CHARS = 200;

    private final BigInteger modulus;
    private final BigInteger exponent;

    CvdSignature(BigInteger modulus, BigInteger exponent) {
        this.modulus = modulus;
        this.exponent = exponent;
    }

    static CvdSignature clamav() {
        return new CvdSignature(CLAMAV_MODULUS, CLAMAV_EXPONENT);
    }

    /** Whether {@code dsig} is a valid signature of the 16-byte MD5 {@code md5}. */
    boolean verify(byte[] md5, String dsig) {
        if (md5.length != 16 || dsig.isEmpty() || dsig.length() > MAX_CHARS) return false;
        BigInteger c = decode(dsig);
        if (c == null || c.compareTo(modulus) >= 0) return false;
        byte[] plain = c.modPow(exponent, modulus).toByteArray();
        byte[] low = new byte[16];
        int n = Math.min(16, plain.length);
        System.arraycopy(plain, plain.length - n, low, 16 - n, n);
        return java.security.MessageDigest.isEqual(low, md5);
    }

    boolean verify(String md5Hex, String dsig) {
        if (md5Hex.length() != 32) return false;
        try {
            return verify(HexFormat.of().parseHex(md5Hex), dsig);
        } catch (IllegalArgumentException e) {
            return false;
        }
    }

    /** The field's number, or null for a character outside the alphabet. */
    static BigInteger decode(String dsig) {
        BigInteger c = BigInteger.ZERO;
        for (int i = dsig.length() - 1; i >= 0; i--) {
            int d = ALPHABET.indexOf(dsig.charAt(i));
            if (d < 0) return null;
            c = c.shiftLeft(6).or(BigInteger.valueOf(d));
        }
        return c;
    }

    /** The inverse of {@link #decode} (for tests that sign with their own key). */
    static String encode(BigInteger value) {
        StringBuilder s = new StringBuilder();
        BigInteger v = value;
        while (v.signum() > 0) {
            s.append(ALPHABET.charAt(v.intValue() & 63));
            v = v.shiftRight(6);
        }
        return s.toString();
    }
}
