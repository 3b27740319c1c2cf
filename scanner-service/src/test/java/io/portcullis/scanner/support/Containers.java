package io.portcullis.scanner.support;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Map;
import org.apache.pdfbox.cos.COSName;
import org.apache.pdfbox.pdmodel.PDDocument;
import org.apache.pdfbox.pdmodel.PDDocumentNameDictionary;
import org.apache.pdfbox.pdmodel.PDEmbeddedFilesNameTreeNode;
import org.apache.pdfbox.pdmodel.PDPage;
import org.apache.pdfbox.pdmodel.common.filespecification.PDComplexFileSpecification;
import org.apache.pdfbox.pdmodel.common.filespecification.PDEmbeddedFile;
import org.apache.pdfbox.pdmodel.encryption.AccessPermission;
import org.apache.pdfbox.pdmodel.encryption.StandardProtectionPolicy;
import org.apache.poi.poifs.filesystem.DirectoryEntry;
import org.apache.poi.poifs.filesystem.POIFSFileSystem;

/** Documents and containers built in memory for tests: PDF (PDFBox), OLE2 (POI), TNEF, RTF, uuencode, BinHex, PE. */
public final class Containers {
    private Containers() {
    }

    /** A one-page PDF with the files in its EmbeddedFiles name tree (Flate-compressed when {@code flate}). */
    public static byte[] pdf(Map<String, byte[]> files, boolean flate, String userPassword) {
        try (PDDocument doc = new PDDocument()) {
            doc.addPage(new PDPage());
            if (!files.isEmpty()) {
                Map<String, PDComplexFileSpecification> specs = new HashMap<>();
                for (Map.Entry<String, byte[]> f : files.entrySet()) {
                    PDEmbeddedFile ef = flate ? new PDEmbeddedFile(doc, new ByteArrayInputStream(f.getValue()),
                            COSName.FLATE_DECODE) : new PDEmbeddedFile(doc, new ByteArrayInputStream(f.getValue()));
                    ef.setSize(f.getValue().length);
                    PDComplexFileSpecification spec = new PDComplexFileSpecification();
                    spec.setFile(f.getKey());
                    spec.setFileUnicode(f.getKey());
                    spec.setEmbeddedFile(ef);
                    specs.put(f.getKey(), spec);
                }
                PDEmbeddedFilesNameTreeNode tree = new PDEmbeddedFilesNameTreeNode();
                tree.setNames(specs);
                PDDocumentNameDictionary names = new PDDocumentNameDictionary(doc.getDocumentCatalog());
                names.setEmbeddedFiles(tree);
                doc.getDocumentCatalog().setNames(names);
            }
            if (userPassword != null) {
                StandardProtectionPolicy policy = new StandardProtectionPolicy("owner-secret", userPassword,
                        new AccessPermission());
                policy.setEncryptionKeyLength(128);
                doc.protect(policy);
            }
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            doc.save(out);
            return out.toByteArray();
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    /** A PDF with one embedded file whose name-tree key, {@code /F} and {@code /UF} are given separately. */
    public static byte[] pdfWithNames(String key, String f, String uf, byte[] data) {
        try (PDDocument doc = new PDDocument()) {
            doc.addPage(new PDPage());
            PDEmbeddedFile ef = new PDEmbeddedFile(doc, new ByteArrayInputStream(data));
            ef.setSize(data.length);
            PDComplexFileSpecification spec = new PDComplexFileSpecification();
            spec.setFile(f);
            spec.setFileUnicode(uf);
            spec.setEmbeddedFile(ef);
            PDEmbeddedFilesNameTreeNode tree = new PDEmbeddedFilesNameTreeNode();
            tree.setNames(Map.of(key, spec));
            PDDocumentNameDictionary names = new PDDocumentNameDictionary(doc.getDocumentCatalog());
            names.setEmbeddedFiles(tree);
            doc.getDocumentCatalog().setNames(names);
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            doc.save(out);
            return out.toByteArray();
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    /** An OLE2 compound file with the given streams ({@code "Dir/Sub/Stream"} creates the storages). */
    public static byte[] ole2(Map<String, byte[]> streams) {
        try (POIFSFileSystem fs = new POIFSFileSystem()) {
            for (Map.Entry<String, byte[]> s : streams.entrySet()) {
                String[] parts = s.getKey().split("/");
                DirectoryEntry dir = fs.getRoot();
                for (int i = 0; i < parts.length - 1; i++) {
                    dir = dir.hasEntry(parts[i]) ? (DirectoryEntry) dir.getEntry(parts[i])
                            : dir.createDirectory(parts[i]);
                }
                dir.createDocument(parts[parts.length - 1], new ByteArrayInputStream(s.getValue()));
            }
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            fs.writeFilesystem(out);
            return out.toByteArray();
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    /** An OLE package (Packager object) holding one file: the content of a {@code \1Ole10Native} stream. */
    public static byte[] olePackage(String fileName, byte[] data) {
        byte[] label = (fileName + "\0").getBytes(StandardCharsets.ISO_8859_1);
        byte[] path = ("C:\\Users\\x\\" + fileName + "\0").getBytes(StandardCharsets.ISO_8859_1);
        ByteBuffer b = ByteBuffer.allocate(4 + 2 + label.length + path.length + 4 + 4 + path.length + 4
                + data.length).order(ByteOrder.LITTLE_ENDIAN);
        b.putInt(b.capacity() - 4).putShort((short) 2).put(label).put(path).putInt(0x00030000).putInt(path.length)
                .put(path).putInt(data.length).put(data);
        return b.array();
    }

    /** An RTF document with one embedded Package object holding the file (OLE 1.0, hex in {@code \objdata}). */
    public static byte[] rtfWithPackage(String fileName, byte[] data) {
        byte[] pkg = olePackage(fileName, data);
        byte[] cls = "Package\0".getBytes(StandardCharsets.US_ASCII);
        ByteBuffer o = ByteBuffer.allocate(4 + 4 + 4 + cls.length + 4 + 4 + pkg.length).order(ByteOrder.LITTLE_ENDIAN);
        o.putInt(0x00000501).putInt(2).putInt(cls.length).put(cls).putInt(0).putInt(0).put(pkg);
        StringBuilder hex = new StringBuilder();
        byte[] obj = o.array();
        for (int i = 0; i < obj.length; i++) {
            hex.append(String.format("%02x", obj[i] & 0xFF));
            if (i % 64 == 63) {
                hex.append("\r\n");
            }
        }
        return ("{\\rtf1\\ansi{\\fonttbl{\\f0 Arial;}}\\pard Hello\\par{\\object\\objemb\\objw855\\objh765"
                + "{\\*\\objclass Package}{\\*\\objdata " + hex + "}}\\par}").getBytes(StandardCharsets.US_ASCII);
    }

    /** A TNEF stream (winmail.dat) with one attachment per entry: attAttachRenddata, title, data. */
    public static byte[] tnef(Map<String, byte[]> attachments) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.writeBytes(new byte[] {0x78, (byte) 0x9F, 0x3E, 0x22, 0x01, 0x00});
        attribute(out, 1, 0x00089006, new byte[] {0, 0, 1, 0}); // attTnefVersion
        attribute(out, 1, 0x00069007, new byte[] {(byte) 0xE4, 4, 0, 0, 0, 0, 0, 0}); // attOemCodepage
        attribute(out, 1, 0x00078008, "IPM.Microsoft Mail.Note\0".getBytes(StandardCharsets.US_ASCII));
        for (Map.Entry<String, byte[]> a : attachments.entrySet()) {
            attribute(out, 2, 0x00069002, new byte[] {1, 0, (byte) 0xFF, (byte) 0xFF, (byte) 0xFF, (byte) 0xFF, 1,
                0, 1, 0, 0, 0, 0, 0}); // attAttachRenddata
            attribute(out, 2, 0x00018010, (a.getKey() + "\0").getBytes(StandardCharsets.ISO_8859_1));
            attribute(out, 2, 0x0006800F, a.getValue()); // attAttachData
        }
        return out.toByteArray();
    }

    private static void attribute(ByteArrayOutputStream out, int level, int id, byte[] data) {
        int sum = 0;
        for (byte b : data) {
            sum += b & 0xFF;
        }
        ByteBuffer h = ByteBuffer.allocate(9).order(ByteOrder.LITTLE_ENDIAN);
        h.put((byte) level).putInt(id).putInt(data.length);
        out.writeBytes(h.array());
        out.writeBytes(data);
        out.writeBytes(new byte[] {(byte) sum, (byte) (sum >> 8)});
    }

    /** {@code begin 644 name}, uuencoded lines, the zero-length line and {@code end}. */
    public static String uuencode(String name, byte[] data) {
        StringBuilder s = new StringBuilder("begin 644 ").append(name).append("\r\n");
        for (int i = 0; i < data.length; i += 45) {
            int n = Math.min(45, data.length - i);
            s.append((char) (32 + n));
            for (int j = 0; j < n; j += 3) {
                int b0 = data[i + j] & 0xFF;
                int b1 = j + 1 < n ? data[i + j + 1] & 0xFF : 0;
                int b2 = j + 2 < n ? data[i + j + 2] & 0xFF : 0;
                for (int c : new int[] {b0 >> 2, (b0 & 3) << 4 | b1 >> 4, (b1 & 15) << 2 | b2 >> 6, b2 & 63}) {
                    s.append(c == 0 ? '`' : (char) (32 + c));
                }
            }
            s.append("\r\n");
        }
        return s.append("`\r\nend\r\n").toString();
    }

    /** BinHex 4.0 of one file (data fork only), with its CRCs and 64-character lines. */
    public static String binhex(String name, byte[] data) {
        ByteArrayOutputStream p = new ByteArrayOutputStream();
        byte[] n = name.getBytes(StandardCharsets.ISO_8859_1);
        p.write(n.length);
        p.writeBytes(n);
        p.write(0);
        p.writeBytes("TEXTttxt".getBytes(StandardCharsets.US_ASCII));
        p.writeBytes(new byte[] {0, 0});
        p.writeBytes(ByteBuffer.allocate(8).putInt(data.length).putInt(0).array());
        byte[] header = p.toByteArray();
        p.writeBytes(crc(header));
        p.writeBytes(data);
        p.writeBytes(crc(data));
        p.writeBytes(crc(new byte[0])); // empty resource fork
        ByteArrayOutputStream rle = new ByteArrayOutputStream();
        for (byte b : p.toByteArray()) {
            rle.write(b);
            if ((b & 0xFF) == 0x90) {
                rle.write(0);
            }
        }
        String alphabet = "!\"#$%&'()*+,-012345689@ABCDEFGHIJKLMNPQRSTUVXYZ[`abcdefhijklmpqr";
        StringBuilder s = new StringBuilder("(This file must be converted with BinHex 4.0)\r\n:");
        byte[] r = rle.toByteArray();
        int acc = 0;
        int bits = 0;
        int col = 1;
        for (int i = 0; i <= r.length; i++) {
            if (i < r.length) {
                acc = acc << 8 | r[i] & 0xFF;
                bits += 8;
            } else if (bits % 6 != 0) {
                acc <<= 6 - bits % 6;
                bits += 6 - bits % 6;
            }
            while (bits >= 6) {
                bits -= 6;
                s.append(alphabet.charAt(acc >> bits & 63));
                if (++col == 64) {
                    s.append("\r\n");
                    col = 0;
                }
            }
        }
        return s.append(":\r\n").toString();
    }

    private static byte[] crc(byte[] d) {
        int crc = 0;
        for (byte b : d) {
            crc ^= (b & 0xFF) << 8;
            for (int k = 0; k < 8; k++) {
                crc = (crc & 0x8000) != 0 ? crc << 1 ^ 0x1021 : crc << 1;
            }
        }
        return new byte[] {(byte) (crc >> 8), (byte) crc};
    }

    /** A minimal PE (one 512-byte section) followed by {@code overlay}: a self-extractor's shape. */
    public static byte[] peWithOverlay(byte[] overlay) {
        ByteBuffer b = ByteBuffer.allocate(0x400 + overlay.length).order(ByteOrder.LITTLE_ENDIAN);
        b.put(0, (byte) 'M').put(1, (byte) 'Z').putInt(0x3C, 0x40);
        b.put(0x40, (byte) 'P').put(0x41, (byte) 'E').putShort(0x44, (short) 0x14C).putShort(0x46, (short) 1)
                .putShort(0x54, (short) 0xE0);
        int section = 0x40 + 24 + 0xE0;
        b.put(section, ".text".getBytes(StandardCharsets.US_ASCII)).putInt(section + 16, 0x200)
                .putInt(section + 20, 0x200);
        b.put(0x400, overlay);
        return b.array();
    }
}
