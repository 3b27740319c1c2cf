package io.portcullis.scanner.support;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;

/** Builds test messages (CRLF line endings) and archives. */
public final class TestMessages {
    /** The published EICAR test string (68 bytes). */
    public static final String EICAR = "X5O!P%@AP[4\\PZX54(P^)7CC)7}$EICAR-STANDARD-ANTIVIRUS-TEST-FILE!$H+H*";
    public static final String GTUBE = "XJS*C4JDBQADN1.NSBN3*2IDNEN*GTUBE-STANDARD-ANTI-UBE-TEST-EMAIL*C.34X";

    private TestMessages() {
    }

    public static byte[] plain(String subject, String body) {
        return crlf("From: <alice@example.net>\nTo: <bob@example.com>\nSubject: " + subject
                + "\nMessage-ID: <m1@test>\nMIME-Version: 1.0\nContent-Type: text/plain; charset=us-ascii\n\n"
                + body + "\n");
    }

    /** A text part plus one base64 attachment with the given header parameters (filename, name). */
    public static byte[] withAttachment(String contentTypeHeader, String dispositionHeader, byte[] content) {
        return crlf("From: <alice@example.net>\nTo: <bob@example.com>\nSubject: attachment\nMIME-Version: 1.0\n"
                + "Content-Type: multipart/mixed; boundary=\"b1\"\n\n--b1\nContent-Type: text/plain\n\nsee attachment\n"
                + "--b1\nContent-Type: " + contentTypeHeader + "\n"
                + (dispositionHeader == null ? "" : "Content-Disposition: " + dispositionHeader + "\n")
                + "Content-Transfer-Encoding: base64\n\n" + base64(content) + "\n--b1--\n");
    }

    public static byte[] withAttachment(String filename, byte[] content) {
        return withAttachment("application/octet-stream; name=\"" + filename + "\"",
                "attachment; filename=\"" + filename + "\"", content);
    }

    public static String base64(byte[] content) {
        return Base64.getMimeEncoder(76, "\r\n".getBytes(StandardCharsets.US_ASCII)).encodeToString(content);
    }

    public static byte[] zip(String name, byte[] content) {
        Map<String, byte[]> entries = new LinkedHashMap<>();
        entries.put(name, content);
        return zip(entries);
    }

    public static byte[] zip(Map<String, byte[]> entries) {
        try {
            ByteArrayOutputStream bytes = new ByteArrayOutputStream();
            try (ZipOutputStream zip = new ZipOutputStream(bytes)) {
                for (Map.Entry<String, byte[]> e : entries.entrySet()) {
                    zip.putNextEntry(new ZipEntry(e.getKey()));
                    zip.write(e.getValue());
                    zip.closeEntry();
                }
            }
            return bytes.toByteArray();
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Sets the "encrypted" general-purpose bit on every local and central header of a zip. */
    public static byte[] markEncrypted(byte[] zip) {
        byte[] z = zip.clone();
        for (int i = 0; i + 4 <= z.length; i++) {
            if (z[i] == 'P' && z[i + 1] == 'K' && z[i + 2] == 3 && z[i + 3] == 4) {
                z[i + 6] |= 1; // local file header: flags at offset 6
            } else if (z[i] == 'P' && z[i + 1] == 'K' && z[i + 2] == 1 && z[i + 3] == 2) {
                z[i + 8] |= 1; // central directory header: flags at offset 8
            }
        }
        return z;
    }

    public static byte[] crlf(String text) {
        return text.replace("\r\n", "\n").replace("\n", "\r\n").getBytes(StandardCharsets.UTF_8);
    }

    public static byte[] ascii(String s) {
        return s.getBytes(StandardCharsets.US_ASCII);
    }
}
