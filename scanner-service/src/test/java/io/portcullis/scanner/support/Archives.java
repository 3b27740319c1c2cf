package io.portcullis.scanner.support;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.zip.CRC32;
import java.util.zip.Deflater;
import org.apache.commons.compress.archivers.ar.ArArchiveEntry;
import org.apache.commons.compress.archivers.ar.ArArchiveOutputStream;
import org.apache.commons.compress.archivers.cpio.CpioArchiveEntry;
import org.apache.commons.compress.archivers.cpio.CpioArchiveOutputStream;
import org.apache.commons.compress.archivers.sevenz.SevenZArchiveEntry;
import org.apache.commons.compress.archivers.sevenz.SevenZOutputFile;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;
import org.apache.commons.compress.archivers.zip.Zip64Mode;
import org.apache.commons.compress.archivers.zip.ZipArchiveEntry;
import org.apache.commons.compress.archivers.zip.ZipArchiveOutputStream;
import org.apache.commons.compress.compressors.bzip2.BZip2CompressorOutputStream;
import org.apache.commons.compress.compressors.gzip.GzipCompressorOutputStream;
import org.apache.commons.compress.compressors.gzip.GzipParameters;
import org.apache.commons.compress.compressors.xz.XZCompressorOutputStream;
import org.apache.commons.compress.utils.SeekableInMemoryByteChannel;

/** Archives built in memory for tests with Commons Compress writers, or by hand where a writer can't do it. */
public final class Archives {
    private Archives() {
    }

    @FunctionalInterface
    private interface Writer {
        void write(OutputStream out) throws IOException;
    }

    private static byte[] bytes(Writer w) {
        try {
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            w.write(out);
            return out.toByteArray();
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    public static byte[] tar(Map<String, byte[]> entries) {
        return bytes(out -> {
            try (TarArchiveOutputStream tar = new TarArchiveOutputStream(out)) {
                tar.setLongFileMode(TarArchiveOutputStream.LONGFILE_POSIX);
                for (Map.Entry<String, byte[]> e : entries.entrySet()) {
                    TarArchiveEntry entry = new TarArchiveEntry(e.getKey());
                    entry.setSize(e.getValue().length);
                    tar.putArchiveEntry(entry);
                    tar.write(e.getValue());
                    tar.closeArchiveEntry();
                }
            }
        });
    }

    /** gzip, with the original file name in the header when {@code name} is not null. */
    public static byte[] gzip(byte[] content, String name) {
        return bytes(out -> {
            GzipParameters p = new GzipParameters();
            if (name != null) {
                p.setFileName(name);
            }
            try (GzipCompressorOutputStream gz = new GzipCompressorOutputStream(out, p)) {
                gz.write(content);
            }
        });
    }

    public static byte[] bzip2(byte[] content) {
        return bytes(out -> {
            try (BZip2CompressorOutputStream bz = new BZip2CompressorOutputStream(out)) {
                bz.write(content);
            }
        });
    }

    public static byte[] xz(byte[] content) {
        return bytes(out -> {
            try (XZCompressorOutputStream xz = new XZCompressorOutputStream(out)) {
                xz.write(content);
            }
        });
    }

    public static byte[] sevenZ(Map<String, byte[]> entries) {
        return sevenZ(entries, null);
    }

    /** A 7z, AES-encrypted with the password when it is not null. */
    public static byte[] sevenZ(Map<String, byte[]> entries, String password) {
        try {
            SeekableInMemoryByteChannel channel = new SeekableInMemoryByteChannel();
            try (SevenZOutputFile seven = password == null ? new SevenZOutputFile(channel)
                    : new SevenZOutputFile(channel, password.toCharArray())) {
                for (Map.Entry<String, byte[]> e : entries.entrySet()) {
                    SevenZArchiveEntry entry = new SevenZArchiveEntry();
                    entry.setName(e.getKey());
                    entry.setSize(e.getValue().length);
                    seven.putArchiveEntry(entry);
                    seven.write(e.getValue());
                    seven.closeArchiveEntry();
                }
            }
            return Arrays.copyOf(channel.array(), (int) channel.size());
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    public static byte[] cpio(Map<String, byte[]> entries) {
        return bytes(out -> {
            try (CpioArchiveOutputStream cpio = new CpioArchiveOutputStream(out)) {
                for (Map.Entry<String, byte[]> e : entries.entrySet()) {
                    CpioArchiveEntry entry = new CpioArchiveEntry(e.getKey(), e.getValue().length);
                    entry.setMode(CpioArchiveEntry.C_ISREG | 0644);
                    cpio.putArchiveEntry(entry);
                    cpio.write(e.getValue());
                    cpio.closeArchiveEntry();
                }
            }
        });
    }

    public static byte[] ar(Map<String, byte[]> entries) {
        return bytes(out -> {
            try (ArArchiveOutputStream ar = new ArArchiveOutputStream(out)) {
                for (Map.Entry<String, byte[]> e : entries.entrySet()) {
                    ar.putArchiveEntry(new ArArchiveEntry(e.getKey(), e.getValue().length));
                    ar.write(e.getValue());
                    ar.closeArchiveEntry();
                }
            }
        });
    }

    /** A zip with zip64 records for every entry and the end of the directory. */
    public static byte[] zip64(Map<String, byte[]> entries) {
        return bytes(out -> {
            try (ZipArchiveOutputStream zip = new ZipArchiveOutputStream(out)) {
                zip.setUseZip64(Zip64Mode.Always);
                for (Map.Entry<String, byte[]> e : entries.entrySet()) {
                    zip.putArchiveEntry(new ZipArchiveEntry(e.getKey()));
                    zip.write(e.getValue());
                    zip.closeArchiveEntry();
                }
            }
        });
    }

    /** A zip written to a seekable channel: sizes in the local headers, no data descriptors. */
    public static byte[] zipWithLocalSizes(Map<String, byte[]> entries) {
        try {
            SeekableInMemoryByteChannel channel = new SeekableInMemoryByteChannel();
            try (ZipArchiveOutputStream zip = new ZipArchiveOutputStream(channel)) {
                for (Map.Entry<String, byte[]> e : entries.entrySet()) {
                    zip.putArchiveEntry(new ZipArchiveEntry(e.getKey()));
                    zip.write(e.getValue());
                    zip.closeArchiveEntry();
                }
            }
            return Arrays.copyOf(channel.array(), (int) channel.size());
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    /**
     * The non-recursive zip bomb, by hand: one local header with deflated data, and {@code copies} central-directory
     * entries that all point at it.
     */
    public static byte[] overlappingZip(byte[] content, int copies) {
        Deflater deflater = new Deflater(Deflater.BEST_COMPRESSION, true);
        deflater.setInput(content);
        deflater.finish();
        ByteArrayOutputStream comp = new ByteArrayOutputStream();
        byte[] buf = new byte[64 * 1024];
        while (!deflater.finished()) {
            comp.write(buf, 0, deflater.deflate(buf));
        }
        deflater.end();
        byte[] data = comp.toByteArray();
        CRC32 crc = new CRC32();
        crc.update(content);
        byte[] name = "a.bin".getBytes(StandardCharsets.US_ASCII);
        ByteBuffer b = ByteBuffer.allocate(30 + name.length + data.length + copies * (46 + name.length) + 22)
                .order(ByteOrder.LITTLE_ENDIAN);
        b.putInt(0x04034b50).putShort((short) 20).putShort((short) 0).putShort((short) 8).putInt(0)
                .putInt((int) crc.getValue()).putInt(data.length).putInt(content.length)
                .putShort((short) name.length).putShort((short) 0).put(name).put(data);
        int cdStart = b.position();
        for (int i = 0; i < copies; i++) {
            b.putInt(0x02014b50).putShort((short) 20).putShort((short) 20).putShort((short) 0).putShort((short) 8)
                    .putInt(0).putInt((int) crc.getValue()).putInt(data.length).putInt(content.length)
                    .putShort((short) name.length).putShort((short) 0).putShort((short) 0).putShort((short) 0)
                    .putShort((short) 0).putInt(0).putInt(0).put(name);
        }
        int cdSize = b.position() - cdStart;
        b.putInt(0x06054b50).putShort((short) 0).putShort((short) 0).putShort((short) copies)
                .putShort((short) copies).putInt(cdSize).putInt(cdStart).putShort((short) 0);
        return b.array();
    }

    /**
     * A minimal ARJ by hand (Commons Compress has no ARJ writer): main header, one stored file, end marker; header
     * CRC-32s as the format requires.
     */
    public static byte[] arj(String name, byte[] content) {
        CRC32 crc = new CRC32();
        crc.update(content);
        ByteBuffer main = ByteBuffer.allocate(64).order(ByteOrder.LITTLE_ENDIAN);
        main.put((byte) 30).put((byte) 11).put((byte) 1).put((byte) 0).put((byte) 0).put((byte) 0).put((byte) 2)
                .put((byte) 0).putInt(0).putInt(0).putInt(0).putInt(0).putShort((short) 0).putShort((short) 0)
                .put((byte) 0).put((byte) 0).put("a.arj".getBytes(StandardCharsets.US_ASCII)).put((byte) 0)
                .put((byte) 0);
        byte[] fileName = name.getBytes(StandardCharsets.US_ASCII);
        ByteBuffer file = ByteBuffer.allocate(64 + fileName.length).order(ByteOrder.LITTLE_ENDIAN);
        file.put((byte) 30).put((byte) 11).put((byte) 1).put((byte) 0).put((byte) 0).put((byte) 0).put((byte) 0)
                .put((byte) 0).putInt(0).putInt(content.length).putInt(content.length).putInt((int) crc.getValue())
                .putShort((short) 0).putShort((short) 0644).put((byte) 0).put((byte) 0).put(fileName).put((byte) 0)
                .put((byte) 0);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (ByteBuffer header : List.of(main, file)) {
            byte[] basic = Arrays.copyOf(header.array(), header.position());
            CRC32 headerCrc = new CRC32();
            headerCrc.update(basic);
            out.writeBytes(ByteBuffer.allocate(4 + basic.length + 4 + 2).order(ByteOrder.LITTLE_ENDIAN)
                    .put((byte) 0x60).put((byte) 0xEA).putShort((short) basic.length).put(basic)
                    .putInt((int) headerCrc.getValue()).putShort((short) 0).array());
        }
        out.writeBytes(content);
        out.writeBytes(new byte[] {0x60, (byte) 0xEA, 0, 0});
        return out.toByteArray();
    }

    public static byte[] concat(byte[]... parts) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (byte[] p : parts) {
            out.writeBytes(p);
        }
        return out.toByteArray();
    }
}
