package io.portcullis.scanner.mime;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.util.zip.Deflater;
import java.util.zip.DeflaterOutputStream;

/** PdfBombTest's deflate-bomb PDF for tests in other packages. */
public final class PdfBombFixtures {
    private PdfBombFixtures() {
    }

    /** A small PDF whose object stream inflates to 96 MiB of zeros. */
    public static byte[] objectStreamBomb() {
        try {
            ByteArrayOutputStream z = new ByteArrayOutputStream();
            try (DeflaterOutputStream d = new DeflaterOutputStream(z, new Deflater(9))) {
                byte[] chunk = new byte[1 << 20];
                for (int i = 0; i < 96; i++) {
                    d.write(chunk);
                }
            }
            return PdfBombTest.pdfWithObjectStream(z.toByteArray(), 4, "/Type /ObjStm");
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }
}
