package io.portcullis.policy.signatures;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.zip.GZIPOutputStream;

/** Builds tars byte by byte (so hostile headers can be made), gzip, ClamAV hash lines and .cvd containers. */
public final class TarFixtures {
    private final ByteArrayOutputStream out = new ByteArrayOutputStream();

    public static TarFixtures tar() {
        return new TarFixtures();
    }

    /** A tar of regular files, in map order, with two zero blocks at the end. */
    public static byte[] tarOf(Map<String, byte[]> files) {
        TarFixtures tar = tar();
        files.forEach(tar::file);
        return tar.end();
    }

    public static byte[] tarOf(String name, String content) {
        Map<String, byte[]> files = new LinkedHashMap<>();
        files.put(name, content.getBytes(StandardCharsets.US_ASCII));
        return tarOf(files);
    }

    public TarFixtures file(String name, byte[] content) {
        header(name, '0', content.length, "");
        data(content);
        return this;
    }

    /** A header of any type and declared size, with nothing after it. */
    public TarFixtures header(String name, char type, long size, String linkName) {
        byte[] h = new byte[512];
        put(h, 0, 100, name.getBytes(StandardCharsets.UTF_8));
        put(h, 100, 8, octal(0644, 7));
        put(h, 108, 8, octal(0, 7));
        put(h, 116, 8, octal(0, 7));
        put(h, 124, 12, octal(size, 11));
        put(h, 136, 12, octal(0, 11));
        h[156] = (byte) type;
        put(h, 157, 100, linkName.getBytes(StandardCharsets.UTF_8));
        put(h, 257, 6, "ustar\0".getBytes(StandardCharsets.US_ASCII));
        put(h, 263, 2, "00".getBytes(StandardCharsets.US_ASCII));
        for (int i = 148; i < 156; i++) {
            h[i] = ' ';
        }
        long sum = 0;
        for (byte b : h) {
            sum += b & 0xff;
        }
        put(h, 148, 8, (String.format("%06o", sum) + "\0 ").getBytes(StandardCharsets.US_ASCII));
        out.writeBytes(h);
        return this;
    }

    /** Raw bytes, padded to a 512-byte block. */
    public TarFixtures data(byte[] content) {
        out.writeBytes(content);
        int pad = (512 - content.length % 512) % 512;
        out.writeBytes(new byte[pad]);
        return this;
    }

    /** Raw bytes, not padded (for truncation). */
    public TarFixtures raw(byte[] bytes) {
        out.writeBytes(bytes);
        return this;
    }

    /** Ends the archive with two zero blocks. */
    public byte[] end() {
        out.writeBytes(new byte[1024]);
        return out.toByteArray();
    }

    /** Without the end blocks. */
    public byte[] bytes() {
        return out.toByteArray();
    }

    private static byte[] octal(long value, int digits) {
        return (String.format("%0" + digits + "o", value) + "\0").getBytes(StandardCharsets.US_ASCII);
    }

    private static void put(byte[] h, int at, int max, byte[] value) {
        System.arraycopy(value, 0, h, at, Math.min(max, value.length));
    }

    public static byte[] gzip(byte[] data) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (GZIPOutputStream gz = new GZIPOutputStream(bytes)) {
            gz.write(data);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return bytes.toByteArray();
    }

    public static String hex(String algorithm, byte[] data) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance(algorithm).digest(data));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /** An .hdb line for the MD5 and size of {@code sample}. */
    public static String hdbLine(byte[] sample, String name) {
        return hex("MD5", sample) + ":" + sample.length + ":" + name + "\n";
    }

    /** An .hsb line for the SHA-256 and size of {@code sample}. */
    public static String hsbLine(byte[] sample, String name) {
        return hex("SHA-256", sample) + ":" + sample.length + ":" + name + "\n";
    }

    /** A ClamAV .cvd container: 512-byte header whose MD5 field matches the gzip'd tar of the members. */
    public static byte[] cvd(Map<String, byte[]> members, boolean correctMd5) {
        byte[] archive = gzip(tarOf(members));
        String md5 = correctMd5 ? hex("MD5", archive) : "00000000000000000000000000000000";
        String header = "ClamAV-VDB:27 Nov 2026 05-00 +0000:7:" + members.size() + ":90:" + md5 + ":X:test:0";
        byte[] h = new byte[512];
        java.util.Arrays.fill(h, (byte) ' ');
        put(h, 0, 512, header.getBytes(StandardCharsets.US_ASCII));
        ByteArrayOutputStream cvd = new ByteArrayOutputStream();
        cvd.writeBytes(h);
        cvd.writeBytes(archive);
        return cvd.toByteArray();
    }
}
