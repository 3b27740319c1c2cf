package io.portcullis.systemtests.support;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;

/** Builds test messages with CRLF line endings. */
public final class Messages {
    /** The EICAR test file, from its published string. */
    public static final String EICAR = "X5O!P%@AP[4\\PZX54(P^)7CC)7}$EICAR-STANDARD-ANTIVIRUS-TEST-FILE!$H+H*";
    /** The GTUBE spam test string. */
    public static final String GTUBE = "XJS*C4JDBQADN1.NSBN3*2IDNEN*GTUBE-STANDARD-ANTI-UBE-TEST-EMAIL*C.34X";

    private Messages() {
    }

    public static byte[] plain(String from, String to, String subject, String body) {
        return crlf("From: <" + from + ">\nTo: <" + to + ">\nSubject: " + subject + "\nMessage-ID: <"
                + System.nanoTime() + "@test.portcullis>\nDate: Fri, 27 Nov 2026 10:00:00 +0000\nMIME-Version: 1.0\n"
                + "Content-Type: text/plain; charset=us-ascii\n\n" + body + "\n");
    }

    public static byte[] withAttachment(String from, String to, String subject, String filename, byte[] content,
            String contentType) {
        String b64 = Base64.getMimeEncoder(76, "\r\n".getBytes(StandardCharsets.US_ASCII)).encodeToString(content);
        return crlf("From: <" + from + ">\nTo: <" + to + ">\nSubject: " + subject + "\nMessage-ID: <" + System.nanoTime()
                + "@test.portcullis>\nMIME-Version: 1.0\nContent-Type: multipart/mixed; boundary=\"b1\"\n\n"
                + "--b1\nContent-Type: text/plain\n\nsee attachment\n--b1\nContent-Type: " + contentType
                + "; name=\"" + filename + "\"\nContent-Disposition: attachment; filename=\"" + filename + "\"\n"
                + "Content-Transfer-Encoding: base64\n\n" + b64 + "\n--b1--\n");
    }

    public static byte[] zip(String entryName, byte[] content) {
        try {
            ByteArrayOutputStream bytes = new ByteArrayOutputStream();
            try (ZipOutputStream zip = new ZipOutputStream(bytes)) {
                zip.putNextEntry(new ZipEntry(entryName));
                zip.write(content);
                zip.closeEntry();
            }
            return bytes.toByteArray();
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Pads a message to about {@code size} bytes with a text body of 76-character lines. */
    public static byte[] ofSize(String from, String to, String subject, int size) {
        StringBuilder body = new StringBuilder(size);
        String line = "Lorem ipsum dolor sit amet, consectetur adipiscing elit, sed do eiusmod tempor\n";
        while (body.length() < size) {
            body.append(line);
        }
        return plain(from, to, subject, body.toString());
    }

    /** Converts every bare LF into CRLF. */
    public static byte[] crlf(String text) {
        return text.replace("\r\n", "\n").replace("\n", "\r\n").getBytes(StandardCharsets.UTF_8);
    }
}
