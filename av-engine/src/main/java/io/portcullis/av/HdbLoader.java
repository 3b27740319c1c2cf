package io.portcullis.av;

/** {@code .hdb}: {@code MD5:size:name} (an optional fourth field is the minimum functionality level). */
final class HdbLoader extends LineLoader {
    @Override
    String format() { return "hdb"; }

    @Override
    void parseLine(String db, int lineNo, String line, SignatureSetBuilder sink) throws SignatureLoadException {
        String[] f = line.split(":", -1);
        if (f.length < 3 || f.length > 4) {
            throw new SignatureLoadException(db, lineNo, "expected MD5:size:name, found " + f.length + " field(s)");
        }
        if (f[0].length() != 32) throw new SignatureLoadException(db, lineNo, "bad MD5 '" + f[0] + "': expected 32 hex digits");
        byte[] hash = parseHash(db, lineNo, f[0]);
        long size = parseSize(db, lineNo, f[1], true);
        requireName(db, lineNo, f[2]);
        int min = f.length == 4 && !f[3].isEmpty() ? parseLevel(db, lineNo, f[3]) : 0;
        if (!sink.levelAllows(min, Integer.MAX_VALUE)) return;
        sink.addHash(hash, size, f[2], db);
    }
}
