package io.portcullis.av;

import java.io.BufferedReader;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;

/** Shared line loop of the text database loaders: blank lines and '#' comments are ignored, every other line parsed. */
abstract class LineLoader {
    /** Format name as counted in {@link LoadReport#signaturesByFormat()}. */
    abstract String format();

    abstract void parseLine(String database, int lineNo, String line, SignatureSetBuilder sink) throws SignatureLoadException;

    final void load(String database, byte[] content, SignatureSetBuilder sink, LoadOptions options, LoadReport report)
            throws SignatureLoadException {
        try (BufferedReader r = new BufferedReader(new InputStreamReader(new ByteArrayInputStream(content), StandardCharsets.ISO_8859_1))) {
            String line;
            int lineNo = 0;
            while ((line = r.readLine()) != null) {
                lineNo++;
                if (line.isBlank() || line.startsWith("#")) continue;
                try {
                    sink.skippedLine = false;
                    parseLine(database, lineNo, line, sink);
                    if (!sink.skippedLine) report.count(format());
                } catch (SignatureLoadException e) {
                    if (options.strict()) throw e;
                    report.error(e);
                }
            }
        } catch (IOException e) {
            throw new SignatureLoadException(database, 0, "cannot read: " + e.getMessage(), e);
        }
    }

    static long parseSize(String database, int lineNo, String s, boolean starAllowed) throws SignatureLoadException {
        if (starAllowed && s.equals("*")) return HashTable.ANY_SIZE;
        if (s.isEmpty() || s.length() > 18) throw new SignatureLoadException(database, lineNo, "bad size '" + s + "'");
        for (int i = 0; i < s.length(); i++) {
            if (!Character.isDigit(s.charAt(i))) throw new SignatureLoadException(database, lineNo, "bad size '" + s + "'");
        }
        return Long.parseLong(s);
    }

    static byte[] parseHash(String database, int lineNo, String s) throws SignatureLoadException {
        if (s.length() % 2 != 0) throw new SignatureLoadException(database, lineNo, "bad hash '" + s + "': odd number of hex digits");
        byte[] out = new byte[s.length() / 2];
        for (int i = 0; i < out.length; i++) {
            int hi = Character.digit(s.charAt(2 * i), 16);
            int lo = Character.digit(s.charAt(2 * i + 1), 16);
            if (hi < 0 || lo < 0) throw new SignatureLoadException(database, lineNo, "bad hash '" + s + "': not hexadecimal");
            out[i] = (byte) (hi << 4 | lo);
        }
        return out;
    }

    static int parseLevel(String database, int lineNo, String s) throws SignatureLoadException {
        try {
            int v = Integer.parseInt(s);
            if (v < 0) throw new NumberFormatException();
            return v;
        } catch (NumberFormatException e) {
            throw new SignatureLoadException(database, lineNo, "bad functionality level '" + s + "'");
        }
    }

    static void requireName(String database, int lineNo, String name) throws SignatureLoadException {
        if (name.isBlank()) throw new SignatureLoadException(database, lineNo, "empty signature name");
    }
}
