package io.portcullis.av;

/**
 * {@code .hsb}: {@code hash:size:name[:flevel]}; the hash type follows from its length: 40 hex digits SHA-1,
 * 64 SHA-256 (32, MD5, is accepted too). Size {@code *} means any size.
 */
final class HsbLoader extends LineLoader {
    @Override
    String format() { return "hsb"; }

    @Override
    void parseLine(String db, int lineNo, String line, SignatureSetBuilder sink) throws SignatureLoadException {
        String[] f = line.split(":", -1);
        if (f.length < 3 || f.length > 4) {
            throw new SignatureLoadException(db, lineNo, "expected hash:size:name[:flevel], found " + f.length + " field(s)");
        }
        int len = f[0].length();
        if (len != 40 && len != 64 && len != 32) {
            throw new SignatureLoadException(db, lineNo, "bad hash '" + f[0] + "': length " + len + " is neither SHA-1 (40) nor SHA-256 (64)");
        }
        byte[] hash = parseHash(db, lineNo, f[0]);
        long size = parseSize(db, lineNo, f[1], true);
        requireName(db, lineNo, f[2]);
        int min = f.length == 4 && !f[3].isEmpty() ? parseLevel(db, lineNo, f[3]) : 0;
        if (!sink.levelAllows(min, Integer.MAX_VALUE)) return;
        sink.addHash(hash, size, f[2], db);
    }
}
