package io.portcullis.spam;

/** Stable 64-bit token hash (FNV-1a over UTF-16 code units, then a murmur3 finaliser); same value on every JVM. */
public final class TokenHash {

    private TokenHash() {
    }

    public static long of(String token) {
        long h = 0xcbf29ce484222325L;
        for (int i = 0; i < token.length(); i++) {
            h ^= token.charAt(i);
            h *= 0x100000001b3L;
        }
        h ^= h >>> 33;
        h *= 0xff51afd7ed558ccdL;
        h ^= h >>> 33;
        h *= 0xc4ceb9fe1a85ec53L;
        h ^= h >>> 33;
        return h;
    }
}
