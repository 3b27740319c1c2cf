package io.portcullis.av;

/**
 * {@code .mdb} ({@code size:MD5:name[:flevel]}) and {@code .msb} ({@code size:SHA-1 or SHA-256:name[:flevel]}):
 * hashes of one PE section's raw data. Size {@code *} means any size.
 */
final class SectionHashLoader extends LineLoader {
    private final boolean md5;

    SectionHashLoader(boolean md5) {
        this.md5 = md5;
    }

    @Override
    String format() { return md5 ? "mdb" : "msb"; }

    @Override
    void parseLine(String db, int lineNo, String line, SignatureSetBuilder sink) throws SignatureLoadException {
        String[] f = line.split(":", -1);
        if (f.length < 3 || f.length > 4) {
            throw new SignatureLoadException(db, lineNo, "expected size:hash:name[:flevel], found " + f.length + " field(s)");
        }
        long size = parseSize(db, lineNo, f[0], true);
        int len = f[1].length();
        if (md5 ? len != 32 : len != 40 && len != 64) {
            throw new SignatureLoadException(db, lineNo, "bad hash '" + f[1] + "': expected " + (md5 ? "32 hex digits (MD5)" : "40 (SHA-1) or 64 (SHA-256) hex digits"));
        }
        byte[] hash = parseHash(db, lineNo, f[1]);
        requireName(db, lineNo, f[2]);
        int min = f.length == 4 && !f[3].isEmpty() ? parseLevel(db, lineNo, f[3]) : 0;
        if (!sink.levelAllows(min, Integer.MAX_VALUE)) return;
        sink.addSectionHash(hash, size, f[2], db);
    }
}
