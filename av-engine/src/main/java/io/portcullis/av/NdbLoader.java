package io.portcullis.av;

/** {@code .ndb}: {@code name:target:offset:hexsig[:minflevel[:maxflevel]]}, see {@link BodyPattern} and {@link OffsetSpec}. */
final class NdbLoader extends LineLoader {
    static final int MAX_TARGET = 14;

    @Override
    String format() { return "ndb"; }

    /** Target types honoured exactly (see {@link ExeInfo}); others are approximated, which the report says. */
    static void targetLimitation(SignatureSetBuilder sink, int target) {
        switch (target) {
            case 0, ExeInfo.TARGET_PE, ExeInfo.TARGET_OLE2, ExeInfo.TARGET_GRAPHICS, ExeInfo.TARGET_ELF, ExeInfo.TARGET_MACHO,
                ExeInfo.TARGET_PDF, ExeInfo.TARGET_FLASH, ExeInfo.TARGET_JAVA -> { }
            case ExeInfo.TARGET_HTML, ExeInfo.TARGET_MAIL, ExeInfo.TARGET_TEXT ->
                sink.limitation("target type " + target + " recognised cheaply, matched on raw (not normalised) bytes");
            default -> sink.limitation("target type " + target + " not recognised, scanned as raw bytes (type 0)");
        }
    }

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
        targetLimitation(sink, target);
        sink.addBody(BodySignature.ndb(f[0], db, target, offset, pattern, min, max));
    }
}
