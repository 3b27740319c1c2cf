package io.portcullis.scanner.engine.macro;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;
import org.apache.poi.poifs.filesystem.DirectoryEntry;
import org.apache.poi.poifs.filesystem.POIFSFileSystem;

/**
 * Office files with macros, written for tests (POI writes the OLE2 container; no macro-enabled sample ships with any
 * package here). VBA projects follow MS-OVBA: a {@code dir} stream and module streams in the compressed container
 * format (written with literal tokens only, which every decompressor accepts), a PROJECT stream; the tests check
 * that POI's own VBAMacroReader reads them back.
 */
public final class OfficeFixtures {
    private OfficeFixtures() {
    }

    /** MS-OVBA compressed container using only literal tokens (chunks of at most 3632 bytes). */
    public static byte[] compress(byte[] data) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.write(0x01);
        int pos = 0;
        do {
            int n = Math.min(3632, data.length - pos);
            ByteArrayOutputStream chunk = new ByteArrayOutputStream();
            for (int g = 0; g < n; g += 8) {
                chunk.write(0x00);
                chunk.write(data, pos + g, Math.min(8, n - g));
            }
            int size = chunk.size() + 2;
            int header = ((size - 3) & 0x0FFF) | 0x3000 | 0x8000;
            out.write(header & 0xFF);
            out.write(header >> 8);
            out.writeBytes(chunk.toByteArray());
            pos += n;
        } while (pos < data.length);
        return out.toByteArray();
    }

    /** The uncompressed dir stream of a project with the given modules (name → document module?). */
    static byte[] dirStream(Map<String, Boolean> modules, int moduleOffset) {
        ByteBuffer b = ByteBuffer.allocate(64 * 1024).order(ByteOrder.LITTLE_ENDIAN);
        record(b, 0x0001, u32(1));
        record(b, 0x0002, u32(0x409));
        record(b, 0x0014, u32(0x409));
        record(b, 0x0003, u16(1252));
        record(b, 0x0004, ascii("VBAProject"));
        record(b, 0x0005, new byte[0]);
        record(b, 0x0040, new byte[0]);
        record(b, 0x0006, new byte[0]);
        record(b, 0x003D, new byte[0]);
        record(b, 0x0007, u32(0));
        record(b, 0x0008, u32(0));
        b.putShort((short) 0x0009).putInt(4).putInt(1234).putShort((short) 7); // PROJECTVERSION: size lies
        record(b, 0x000C, new byte[0]);
        record(b, 0x003C, new byte[0]);
        record(b, 0x0016, ascii("stdole"));                                      // a reference, as Office writes
        record(b, 0x003E, "stdole".getBytes(StandardCharsets.UTF_16LE));
        record(b, 0x000D, ascii("*\\G{00020430-0000-0000-C000-000000000046}#2.0#0#C:\\stdole2.tlb#OLE"));
        record(b, 0x000F, u16(modules.size()));
        record(b, 0x0013, u16(0xFFFF));
        for (Map.Entry<String, Boolean> m : modules.entrySet()) {
            record(b, 0x0019, ascii(m.getKey()));
            record(b, 0x0047, m.getKey().getBytes(StandardCharsets.UTF_16LE));
            record(b, 0x001A, ascii(m.getKey()));
            record(b, 0x0032, m.getKey().getBytes(StandardCharsets.UTF_16LE));
            record(b, 0x001C, new byte[0]);
            record(b, 0x0048, new byte[0]);
            record(b, 0x0031, u32(moduleOffset));
            record(b, 0x001E, u32(0));
            record(b, 0x002C, u16(0xFFFF));
            record(b, m.getValue() ? 0x0022 : 0x0021, new byte[0]);
            record(b, 0x002B, new byte[0]);
        }
        record(b, 0x0010, new byte[0]);
        byte[] out = new byte[b.position()];
        b.flip().get(out);
        return out;
    }

    /**
     * Writes a VBA project into {@code parent}: {@code <project>/VBA/{dir, modules, _VBA_PROJECT}} and
     * {@code <project>/PROJECT}; {@code project} null writes VBA and PROJECT directly into parent (vbaProject.bin).
     */
    static void vbaProject(DirectoryEntry parent, String project, Map<String, String> modules) throws IOException {
        DirectoryEntry root = project == null ? parent : parent.createDirectory(project);
        DirectoryEntry vba = root.createDirectory("VBA");
        Map<String, Boolean> kinds = new LinkedHashMap<>();
        modules.keySet().forEach(k -> kinds.put(k, k.startsWith("This")));
        int offset = 24;
        vba.createDocument("dir", new ByteArrayInputStream(compress(dirStream(kinds, offset))));
        vba.createDocument("_VBA_PROJECT", new ByteArrayInputStream(new byte[] {(byte) 0xCC, 0x61, (byte) 0xFF,
                (byte) 0xFF, 0x00, 0x00, 0x00}));
        StringBuilder project0 = new StringBuilder("ID=\"{00000000-0000-0000-0000-000000000000}\"\r\n");
        for (Map.Entry<String, String> m : modules.entrySet()) {
            byte[] cache = new byte[offset];
            java.util.Arrays.fill(cache, (byte) 0x5A);
            byte[] source = ("Attribute VB_Name = \"" + m.getKey() + "\"\r\n" + m.getValue())
                    .getBytes(StandardCharsets.ISO_8859_1);
            ByteArrayOutputStream stream = new ByteArrayOutputStream();
            stream.writeBytes(cache);
            stream.writeBytes(compress(source));
            vba.createDocument(m.getKey(), new ByteArrayInputStream(stream.toByteArray()));
            project0.append(m.getKey().startsWith("This") ? "Document=" + m.getKey() + "/&H00000000"
                    : "Module=" + m.getKey()).append("\r\n");
        }
        project0.append("Name=\"Project\"\r\n");
        root.createDocument("PROJECT", new ByteArrayInputStream(ascii(project0.toString())));
    }

    /** A Word 97-2003 document with macros in Macros/VBA. */
    public static byte[] wordDoc(Map<String, String> modules) {
        return ole2(fs -> {
            fs.getRoot().createDocument("WordDocument", new ByteArrayInputStream(new byte[512]));
            vbaProject(fs.getRoot(), "Macros", modules);
        });
    }

    /** An Excel 97-2003 workbook with macros in _VBA_PROJECT_CUR/VBA and the given workbook stream. */
    public static byte[] excelXls(Map<String, String> modules, byte[] workbook) {
        return ole2(fs -> {
            fs.getRoot().createDocument("Workbook", new ByteArrayInputStream(workbook));
            if (!modules.isEmpty()) {
                vbaProject(fs.getRoot(), "_VBA_PROJECT_CUR", modules);
            }
        });
    }

    /** vbaProject.bin as stored in OOXML packages. */
    public static byte[] vbaProjectBin(Map<String, String> modules) {
        return ole2(fs -> vbaProject(fs.getRoot(), null, modules));
    }

    /** A BIFF8 workbook globals substream: BOF, sheets (name → [state, type]), optional Auto_Open name, EOF. */
    public static byte[] biff8(Map<String, int[]> sheets, boolean autoOpen) {
        ByteBuffer b = ByteBuffer.allocate(4096).order(ByteOrder.LITTLE_ENDIAN);
        b.putShort((short) 0x0809).putShort((short) 16).putShort((short) 0x0600).putShort((short) 0x0005)
                .put(new byte[12]);
        for (Map.Entry<String, int[]> s : sheets.entrySet()) {
            byte[] name = ascii(s.getKey());
            b.putShort((short) 0x0085).putShort((short) (8 + name.length)).putInt(0)
                    .put((byte) s.getValue()[0]).put((byte) s.getValue()[1]).put((byte) name.length).put((byte) 0)
                    .put(name);
        }
        if (autoOpen) {
            b.putShort((short) 0x0018).putShort((short) 27).putShort((short) 0x0020).put((byte) 0).put((byte) 1)
                    .putShort((short) 11).putShort((short) 0).putShort((short) 0).put(new byte[4]).put((byte) 0)
                    .put((byte) 0x01).put(new byte[11]);
        }
        b.putShort((short) 0x000A).putShort((short) 0);
        byte[] out = new byte[b.position()];
        b.flip().get(out);
        return out;
    }

    /** A zip package with the given entries (in order). */
    public static byte[] zip(Map<String, byte[]> entries) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (ZipOutputStream z = new ZipOutputStream(out)) {
            for (Map.Entry<String, byte[]> e : entries.entrySet()) {
                z.putNextEntry(new ZipEntry(e.getKey()));
                z.write(e.getValue());
                z.closeEntry();
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toByteArray();
    }

    /** A .docm: content types, document and word/vbaProject.bin. */
    public static byte[] docm(Map<String, String> modules) {
        Map<String, byte[]> e = new LinkedHashMap<>();
        e.put("[Content_Types].xml", ascii("<Types><Override PartName=\"/word/document.xml\" ContentType=\"application/"
                + "vnd.ms-word.document.macroEnabled.main+xml\"/></Types>"));
        e.put("word/document.xml", ascii("<w:document><w:body><w:p/></w:body></w:document>"));
        e.put("word/vbaProject.bin", vbaProjectBin(modules));
        return zip(e);
    }

    /** A PowerPoint 97-2003 file whose VBA project sits zlib-compressed in an ExOleObjStg record. */
    public static byte[] powerPoint(Map<String, String> modules) {
        byte[] project = vbaProjectBin(modules);
        ByteArrayOutputStream z = new ByteArrayOutputStream();
        try (java.util.zip.DeflaterOutputStream d = new java.util.zip.DeflaterOutputStream(z)) {
            d.write(project);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        byte[] zlib = z.toByteArray();
        ByteBuffer atom = ByteBuffer.allocate(8 + 4 + zlib.length).order(ByteOrder.LITTLE_ENDIAN);
        atom.putShort((short) 0x0010).putShort((short) 0x1011).putInt(4 + zlib.length).putInt(project.length)
                .put(zlib);
        ByteBuffer doc = ByteBuffer.allocate(8 + atom.capacity() + 16).order(ByteOrder.LITTLE_ENDIAN);
        doc.putShort((short) 0x000F).putShort((short) 0x03E8).putInt(atom.capacity()).put(atom.array());
        doc.putShort((short) 0x0000).putShort((short) 0x0FF5).putInt(8).putLong(0); // a trailing atom (UserEditAtom)
        return ole2(fs -> {
            fs.getRoot().createDocument("PowerPoint Document", new ByteArrayInputStream(doc.array()));
            fs.getRoot().createDocument("Current User", new ByteArrayInputStream(new byte[32]));
        });
    }

    public static byte[] ascii(String s) {
        return s.getBytes(StandardCharsets.ISO_8859_1);
    }

    interface FsWriter {
        void write(POIFSFileSystem fs) throws IOException;
    }

    static byte[] ole2(FsWriter writer) {
        try (POIFSFileSystem fs = new POIFSFileSystem(); ByteArrayOutputStream out = new ByteArrayOutputStream()) {
            writer.write(fs);
            fs.writeFilesystem(out);
            return out.toByteArray();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static void record(ByteBuffer b, int id, byte[] data) {
        b.putShort((short) id).putInt(data.length).put(data);
    }

    private static byte[] u16(int v) {
        return new byte[] {(byte) v, (byte) (v >> 8)};
    }

    private static byte[] u32(int v) {
        return new byte[] {(byte) v, (byte) (v >> 8), (byte) (v >> 16), (byte) (v >> 24)};
    }
}
