package io.portcullis.scanner.signatures;

import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * The whole-file digests of one item, as sent to the central hash-reputation service (lower-case hex).
 *
 * @param md5    MD5
 * @param sha1   SHA-1
 * @param sha256 SHA-256
 * @param size   size in bytes
 */
public record FileHashes(String md5, String sha1, String sha256, long size) {

    /** MD5, SHA-1 and SHA-256 of {@code content}. */
    public static FileHashes of(byte[] content) {
        HexFormat hex = HexFormat.of();
        return new FileHashes(hex.formatHex(digest("MD5", content)), hex.formatHex(digest("SHA-1", content)),
                hex.formatHex(digest("SHA-256", content)), content.length);
    }

    /** Cache key: SHA-256 and size. */
    public String key() {
        return sha256 + ":" + size;
    }

    private static byte[] digest(String algorithm, byte[] content) {
        try {
            return MessageDigest.getInstance(algorithm).digest(content);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(algorithm + " not available", e);
        }
    }
}
