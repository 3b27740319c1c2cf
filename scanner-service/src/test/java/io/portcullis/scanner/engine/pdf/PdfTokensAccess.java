package io.portcullis.scanner.engine.pdf;

import java.util.List;

/** Test access to {@link PdfTokens} internals. */
public final class PdfTokensAccess {
    private PdfTokensAccess() {
    }

    public static int count(byte[] pdf, String name) {
        return PdfTokens.scan(pdf, Long.MAX_VALUE / 8).count(name);
    }

    public static List<String> names(byte[] pdf) {
        return PdfTokens.names(pdf);
    }
}
