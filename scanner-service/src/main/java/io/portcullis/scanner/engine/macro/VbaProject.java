package io.portcullis.scanner.engine.macro;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import org.apache.poi.poifs.filesystem.DirectoryNode;
import org.apache.poi.poifs.filesystem.DocumentEntry;
import org.apache.poi.poifs.filesystem.DocumentInputStream;
import org.apache.poi.poifs.filesystem.Entry;
import org.apache.poi.util.RLEDecompressingInputStream;

/**
 * One VBA project (an OLE2 {@code VBA} storage): module names from its {@code dir} stream (MS-OVBA 2.3.4.2) and the
 * decompressed source of each module, read with a byte budget. POI's own VBAMacroReader decompresses without a limit
 * (a small module stream can expand a thousandfold), so this reader uses POI's streaming decompressor directly and
 * stops at the budget. A project whose {@code dir} stream cannot be read is still a project ({@link #problem()}).
 *
 * @param storage     where the VBA storage is, e.g. {@code Macros/VBA}
 * @param modules     module names (sanitised), or the storage's stream names when {@code dir} is unreadable
 * @param source      what was read of the modules' source (for {@link VbaSource}), never reported
 * @param fingerprint SHA-256 of the raw {@code dir} stream: the same project found twice in a message is one
 * @param problem     why the project could not be read completely, or null
 */
public record VbaProject(String storage, List<String> modules, VbaSource source, String fingerprint, String problem) {
    static final int MAX_DIR_BYTES = 1 << 20;
    static final int MAX_MODULES = 1000;
    private static final int PROJECT_CODEPAGE = 0x0003;
    private static final int PROJECT_VERSION = 0x0009;
    private static final int TERMINATOR = 0x0010;
    private static final int MODULE_NAME = 0x0019;
    private static final int MODULE_STREAM_NAME = 0x001A;
    private static final int MODULE_END = 0x002B;
    private static final int MODULE_OFFSET = 0x0031;
    private static final int MODULE_NAME_UNICODE = 0x0047;

    /** One module record of the dir stream. */
    private static final class Module {
        String name;
        String stream;
        long offset = -1;
    }

    /** Reads the project in {@code vba} (a storage named VBA) with at most {@code budget} bytes of source. */
    static VbaProject read(DirectoryNode vba, String storage, int budget) {
        byte[] dirRaw = null;
        String problem = null;
        List<Module> modules = List.of();
        Charset charset = Charset.forName("windows-1252");
        try {
            Entry dir = vba.getEntryCaseInsensitive("dir");
            dirRaw = readRaw((DocumentEntry) dir, MAX_DIR_BYTES);
            byte[] dirBytes = decompress(dirRaw, MAX_DIR_BYTES);
            Parsed parsed = parseDir(dirBytes);
            modules = parsed.modules;
            charset = parsed.charset;
            if (parsed.truncated) {
                problem = "dir stream truncated";
            }
        } catch (IOException | RuntimeException e) {
            problem = "dir stream unreadable (" + e.getClass().getSimpleName() + ")";
        }
        VbaSource source = new VbaSource();
        List<String> names = new ArrayList<>();
        int remaining = budget;
        boolean truncated = false;
        for (Module m : modules) {
            names.add(sanitize(m.name != null ? m.name : m.stream));
            if (m.stream == null || m.offset < 0 || remaining <= 0) {
                truncated |= remaining <= 0;
                continue;
            }
            try {
                DocumentEntry doc = (DocumentEntry) vba.getEntryCaseInsensitive(m.stream);
                byte[] text = readModule(doc, m.offset, remaining);
                remaining -= text.length;
                truncated |= remaining <= 0;
                source.add(new String(text, charset));
            } catch (IOException | RuntimeException e) {
                if (problem == null) {
                    problem = "module " + sanitize(m.name) + " unreadable (" + e.getClass().getSimpleName() + ")";
                }
            }
        }
        if (truncated && problem == null) {
            problem = "source beyond " + budget + " bytes not read";
        }
        if (modules.isEmpty()) {
            for (Entry e : vba) {
                String n = e.getName();
                if (!n.equalsIgnoreCase("dir") && !n.toUpperCase().startsWith("_VBA_PROJECT")
                        && !n.toUpperCase().startsWith("__SRP_") && names.size() < 20) {
                    names.add(sanitize(n));
                }
            }
        }
        return new VbaProject(storage, List.copyOf(names), source, fingerprint(dirRaw, storage), problem);
    }

    private record Parsed(List<Module> modules, Charset charset, boolean truncated) {
    }

    /** The record sequence of a decompressed dir stream: id (u16), size (u32), data; PROJECTVERSION lies about size. */
    static Parsed parseDir(byte[] d) {
        List<Module> modules = new ArrayList<>();
        Charset charset = Charset.forName("windows-1252");
        Module current = null;
        int pos = 0;
        boolean truncated = true;
        while (pos + 6 <= d.length) {
            int id = u16(d, pos);
            long size = u32(d, pos + 2);
            pos += 6;
            if (id == PROJECT_VERSION) {
                pos += 6;
                continue;
            }
            if (id == TERMINATOR) {
                truncated = false;
                break;
            }
            if (size > d.length - pos) {
                break;
            }
            int len = (int) size;
            switch (id) {
                case PROJECT_CODEPAGE -> {
                    if (len >= 2) {
                        charset = codepage(u16(d, pos), charset);
                    }
                }
                case MODULE_NAME -> {
                    current = new Module();
                    current.name = new String(d, pos, len, charset);
                }
                case MODULE_NAME_UNICODE -> {
                    if (current != null && len > 0) {
                        current.name = new String(d, pos, len, StandardCharsets.UTF_16LE);
                    }
                }
                case MODULE_STREAM_NAME -> {
                    if (current != null) {
                        current.stream = new String(d, pos, len, charset);
                    }
                }
                case MODULE_OFFSET -> {
                    if (current != null && len >= 4) {
                        current.offset = u32(d, pos);
                    }
                }
                case MODULE_END -> {
                    if (current != null && modules.size() < MAX_MODULES) {
                        modules.add(current);
                    }
                    current = null;
                }
                default -> {
                }
            }
            pos += len;
        }
        return new Parsed(modules, charset, truncated);
    }

    /** A module stream: performance cache up to {@code offset}, then compressed source. */
    private static byte[] readModule(DocumentEntry doc, long offset, int max) throws IOException {
        try (InputStream in = new DocumentInputStream(doc)) {
            long skipped = in.skip(offset);
            if (skipped != offset) {
                throw new IOException("module offset beyond the stream");
            }
            return readDecompressed(in, max);
        }
    }

    static byte[] decompress(byte[] compressed, int max) throws IOException {
        return readDecompressed(new java.io.ByteArrayInputStream(compressed), max);
    }

    private static byte[] readDecompressed(InputStream compressed, int max) throws IOException {
        try (InputStream in = new RLEDecompressingInputStream(compressed)) {
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            byte[] buf = new byte[8192];
            int n;
            while (out.size() < max && (n = in.read(buf, 0, Math.min(buf.length, max - out.size()))) > 0) {
                out.write(buf, 0, n);
            }
            return out.toByteArray();
        } catch (IllegalArgumentException | IllegalStateException e) {
            throw new IOException("not an MS-OVBA compressed container", e);
        }
    }

    private static byte[] readRaw(DocumentEntry doc, int max) throws IOException {
        try (InputStream in = new DocumentInputStream(doc)) {
            return in.readNBytes(max);
        }
    }

    private static String fingerprint(byte[] dir, String storage) {
        try {
            MessageDigest sha = MessageDigest.getInstance("SHA-256");
            sha.update(dir != null ? dir : storage.getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(sha.digest());
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private static Charset codepage(int cp, Charset fallback) {
        try {
            return cp == 65001 ? StandardCharsets.UTF_8 : Charset.forName("windows-" + cp);
        } catch (RuntimeException e) {
            try {
                return Charset.forName("x-windows-" + cp);
            } catch (RuntimeException e2) {
                return fallback;
            }
        }
    }

    /** Printable, at most 64 characters: module names come from the file. */
    static String sanitize(String name) {
        if (name == null) {
            return "?";
        }
        String s = name.replaceAll("[\\p{Cntrl}\\p{Cf}]", "").trim();
        if (s.isEmpty()) {
            return "?";
        }
        return s.length() > 64 ? s.substring(0, 64) : s;
    }

    private static int u16(byte[] b, int off) {
        return (b[off] & 0xFF) | (b[off + 1] & 0xFF) << 8;
    }

    private static long u32(byte[] b, int off) {
        return (b[off] & 0xFFL) | (b[off + 1] & 0xFFL) << 8 | (b[off + 2] & 0xFFL) << 16 | (b[off + 3] & 0xFFL) << 24;
    }
}
