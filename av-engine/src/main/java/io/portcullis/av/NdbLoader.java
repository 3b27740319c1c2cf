package io.portcullis.av;

/** {@code .ndb}: {@code name:target:offset:hexsig[:minflevel[:maxflevel]]}, see {@link BodyPattern} and {@link OffsetSpec}. */
final class NdbLoader extends LineLoader {
    static final int MAX_TARGET = 14;

    @Override
    String format() { return "ndb"; }

    @Override
    void parseLine(String db, int lineNo, String line, SignatureSetBuilder sink) throws SignatureLoadException {
        String[] f = line.split(":", -1);
        if (f.length < 4 || f.length > 6) {
            throw new SignatureLoadException(db, lineNo, "expected name:target:offset:hexsig[:minflevel[:maxflevel]], found " + f.length + " field(s)");
        }
        requireName(db, lineNo, f[0]);
        int target;
        try {
            target = Integer.parseInt(f[1]);
        } catch (NumberFormatException e) {
            target = -1;
        }
        if (target < 0 || target > MAX_TARGET) throw new SignatureLoadException(db, lineNo, "bad target type '" + f[1] + "'");
        OffsetSpec offset;
        BodyPattern pattern;
        try {
            offset = OffsetSpec.parse(f[2]);
        } catch (IllegalArgumentException e) {
            throw new SignatureLoadException(db, lineNo, e.getMessage());
        }
        try {
            pattern = BodyPattern.parse(f[3]);
        } catch (IllegalArgumentException e) {
            throw new SignatureLoadException(db, lineNo, "signature " + f[0] + ": " + e.getMessage());
        }
        int min = f.length > 4 && !f[4].isEmpty() ? parseLevel(db, lineNo, f[4]) : 0;
        int max = f.length > 5 && !f[5].isEmpty() ? parseLevel(db, lineNo, f[5]) : Integer.MAX_VALUE;
        if (!sink.levelAllows(min, max)) return;
        if (offset.kind() == OffsetSpec.Kind.UNSUPPORTED_AS_ANY) sink.limitation("offset " + f[2].replaceAll("[0-9,]+$", "n") + " scanned as *");
        if (target != 0) sink.limitation("target type " + target + " scanned as raw bytes (type 0)");
        sink.addBody(BodySignature.ndb(f[0], db, target, offset, pattern, min, max));
    }
}
