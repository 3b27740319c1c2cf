package io.portcullis.scanner.engine.macro;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Enumeration;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import org.apache.commons.compress.archivers.zip.ZipArchiveEntry;
import org.apache.commons.compress.archivers.zip.ZipFile;
import org.apache.commons.compress.utils.SeekableInMemoryByteChannel;
import org.apache.poi.poifs.filesystem.DirectoryNode;
import org.apache.poi.poifs.filesystem.DocumentEntry;
import org.apache.poi.poifs.filesystem.DocumentInputStream;
import org.apache.poi.poifs.filesystem.Entry;
import org.apache.poi.poifs.filesystem.POIFSFileSystem;

/**
 * Finds macros in one file: VBA projects and XLM macro sheets in OLE2 compound files (Word, Excel, OLE2 objects
 * embedded in them, and PowerPoint's project and objects in the ExOleObjStg records of its document stream), in
 * OOXML packages ({@code vbaProject.bin}, {@code xl/macrosheets/}) and
 * StarBasic libraries in ODF packages ({@code Basic/}); and ActiveMime macro containers (MSO) of Word 2003 XML and
 * MHTML documents. Looks at magic bytes first, so other files cost nothing. Bounded: storage tree depth and size,
 * package entries, bytes read per entry and per project.
 */
public final class OfficeMacros {
    /** A VBA project or XLM sheet set found in a file. */
    public enum Kind { VBA, XLM }

    /**
     * One finding-to-be.
     *
     * @param kind        VBA (including StarBasic and ActiveMime) or XLM
     * @param fingerprint identity of the project within a message (for de-duplication)
     * @param detail      text after "in &lt;path&gt;"-free description
     */
    public record Hit(Kind kind, String fingerprint, String detail) {
    }

    static final byte[] OLE2 = {(byte) 0xD0, (byte) 0xCF, 0x11, (byte) 0xE0, (byte) 0xA1, (byte) 0xB1, 0x1A,
            (byte) 0xE1};
    static final int MAX_DEPTH = 16;
    static final int MAX_ENTRIES = 20_000;
    static final int MAX_PACKAGE_ENTRY_BYTES = 32 << 20;
    static final int MAX_TEXT_BYTES = 8 << 20;
    static final int MAX_EMBEDDINGS = 50;
    /** OLE2 files inside OLE2 files (PowerPoint objects) opened at most this deep. */
    static final int MAX_NESTING = 3;
    private static final int EX_OLE_OBJ_STG = 0x1011;
    private static final byte[] ACTIVE_MIME = "ActiveMime".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] ACTIVE_MIME_B64 = "QWN0aXZlTWltZQ".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] VBA_PROJECT_UTF16 = "_VBA_PROJECT".getBytes(StandardCharsets.UTF_16LE);
    private static final byte[] COMPRESSED_ATTRIBUTE = "\u0000Attribut\u0000e VB_Nam".getBytes(
            StandardCharsets.ISO_8859_1);

    private final int sourceBudget;

    public OfficeMacros(int sourceBudget) {
        this.sourceBudget = sourceBudget;
    }

    /** Whether the bytes could hold macros at all (cheap magic check). */
    public static boolean candidate(byte[] b) {
        return b != null && b.length >= 8 && (startsWith(b, OLE2) || zip(b) || startsWith(b, ACTIVE_MIME)
                || (b.length < (64 << 20) && indexOf(b, ACTIVE_MIME_B64, 0) >= 0));
    }

    /** The macros in {@code b}; never throws for malformed input. */
    public List<Hit> find(byte[] b) {
        List<Hit> hits = new ArrayList<>();
        if (startsWith(b, OLE2)) {
            ole2(b, "", 0, hits);
        } else if (zip(b)) {
            zipPackage(b, hits);
        } else if (startsWith(b, ACTIVE_MIME)) {
            hits.add(new Hit(Kind.VBA, "activemime:" + b.length, "ActiveMime (MSO) macro container"));
        } else if (indexOf(b, ACTIVE_MIME_B64, 0) >= 0) {
            hits.add(new Hit(Kind.VBA, "activemime-b64", "ActiveMime (MSO) macro container in a Word XML or MHTML "
                    + "document"));
        }
        return hits;
    }

    /** An OLE2 file; {@code base} is where it sits in a package ("" for the item itself). */
    private void ole2(byte[] b, String base, int level, List<Hit> hits) {
        if (level > MAX_NESTING) {
            return;
        }
        try (POIFSFileSystem fs = new POIFSFileSystem(new ByteArrayInputStream(b))) {
            walk(fs.getRoot(), base, 0, level, new int[] {0}, hits);
        } catch (IOException | RuntimeException | StackOverflowError e) {
            if (indexOf(b, VBA_PROJECT_UTF16, 0) >= 0 || indexOf(b, COMPRESSED_ATTRIBUTE, 0) >= 0) {
                hits.add(new Hit(Kind.VBA, sha256(b), "VBA project in an unreadable OLE2 "
                        + "file" + (base.isEmpty() ? "" : " " + base) + " (" + e.getClass().getSimpleName() + ")"));
            }
        }
    }

    private void walk(DirectoryNode dir, String path, int depth, int level, int[] entries, List<Hit> hits)
            throws IOException {
        if (depth > MAX_DEPTH) {
            return;
        }
        boolean hasVbaChild = false;
        for (Entry e : dir) {
            if (++entries[0] > MAX_ENTRIES) {
                return;
            }
            String name = e.getName();
            String child = path.isEmpty() ? name : path + "/" + name;
            if (e instanceof DirectoryNode sub) {
                if (name.equalsIgnoreCase("VBA") && (sub.hasEntryCaseInsensitive("dir")
                        || sub.hasEntryCaseInsensitive("_VBA_PROJECT"))) {
                    hasVbaChild = true;
                    hits.add(vba(VbaProject.read(sub, VbaProject.sanitize(child), sourceBudget)));
                } else {
                    walk(sub, child, depth + 1, level, entries, hits);
                }
            } else if ((name.equals("Workbook") || name.equals("Book")) && e instanceof DocumentEntry doc) {
                byte[] stream = read(doc, MAX_PACKAGE_ENTRY_BYTES);
                XlmSheets x = XlmSheets.scan(stream);
                if (x.found()) {
                    hits.add(new Hit(Kind.XLM, sha256(stream), x.describe()
                            + " in stream " + VbaProject.sanitize(child)));
                }
            } else if (name.equals("PowerPoint Document") && e instanceof DocumentEntry doc) {
                powerPointObjects(read(doc, MAX_PACKAGE_ENTRY_BYTES), 0, Integer.MAX_VALUE, 0,
                        VbaProject.sanitize(child) + "/ExOleObjStg", level, new int[] {0}, hits);
            }
        }
        if (!hasVbaChild && (dir.getName().equalsIgnoreCase("_VBA_PROJECT_CUR") || dir.getName().equalsIgnoreCase(
                "Macros")) && dir.hasEntryCaseInsensitive("PROJECT")) {
            hits.add(new Hit(Kind.VBA, "vba-storage:" + path, "VBA project " + VbaProject.sanitize(path)
                    + " without a readable VBA storage"));
        }
    }

    private static Hit vba(VbaProject p) {
        StringBuilder d = new StringBuilder("VBA project ").append(p.storage());
        if (!p.modules().isEmpty()) {
            List<String> shown = p.modules().stream().limit(10).toList();
            d.append(": modules ").append(String.join(", ", shown));
            if (p.modules().size() > shown.size()) {
                d.append(" and ").append(p.modules().size() - shown.size()).append(" more");
            }
        }
        d.append(p.source().notes());
        if (p.problem() != null) {
            d.append(" (").append(p.problem()).append(')');
        }
        return new Hit(Kind.VBA, p.fingerprint(), d.toString());
    }

    /** OOXML (vbaProject.bin, macro sheets) and ODF (Basic libraries) packages, by central directory. */
    private void zipPackage(byte[] b, List<Hit> hits) {
        try (ZipFile zip = ZipFile.builder().setSeekableByteChannel(new SeekableInMemoryByteChannel(b)).get()) {
            Enumeration<ZipArchiveEntry> all = zip.getEntries();
            int count = 0;
            int macroSheets = 0;
            Set<String> basicLibraries = new LinkedHashSet<>();
            VbaSource basic = new VbaSource();
            List<String> basicModules = new ArrayList<>();
            boolean odf = false;
            long basicBytes = 0;
            int embeddings = 0;
            ZipArchiveEntry workbook = null;
            ZipArchiveEntry content = null;
            while (all.hasMoreElements() && count++ < MAX_ENTRIES) {
                ZipArchiveEntry e = all.nextElement();
                String name = e.getName();
                String lower = name.toLowerCase(Locale.ROOT);
                if (lower.equals("mimetype") || lower.equals("meta-inf/manifest.xml")) {
                    odf = true;
                }
                if (lower.endsWith("vbaproject.bin")) {
                    vbaProjectBin(zip, e, hits);
                } else if (lower.contains("/embeddings/") && !e.isDirectory() && embeddings++ < MAX_EMBEDDINGS) {
                    embedded(zip, e, hits);
                } else if (lower.startsWith("xl/macrosheets/") && !e.isDirectory()) {
                    macroSheets++;
                } else if (lower.equals("xl/workbook.xml")) {
                    workbook = e;
                } else if (lower.equals("content.xml")) {
                    content = e;
                } else if (lower.startsWith("basic/") && lower.endsWith(".xml") && !e.isDirectory()) {
                    String[] parts = name.split("/");
                    if (parts.length == 3 && !lower.endsWith("/script-lb.xml") && !lower.endsWith("/dialog-lb.xml")) {
                        basicLibraries.add(VbaProject.sanitize(parts[1]));
                        basicModules.add(VbaProject.sanitize(parts[2].substring(0, parts[2].length() - 4)));
                        if (basicBytes < sourceBudget) {
                            String source = text(zip, e);
                            basicBytes += source.length();
                            basic.add(source);
                        }
                    }
                }
            }
            if (macroSheets > 0) {
                String auto = workbook != null && text(zip, workbook).contains("Auto_Open") ? "; auto-exec Auto_Open"
                        : "";
                hits.add(new Hit(Kind.XLM, "xlsx-macrosheets:" + macroSheets, macroSheets + " XLM macro sheet"
                        + (macroSheets > 1 ? "s" : "") + " (xl/macrosheets)" + auto));
            }
            if (odf && !basicModules.isEmpty()) {
                if (content != null) {
                    String xml = text(zip, content);
                    if (xml.contains("vnd.sun.star.script:") && (xml.contains("dom:load")
                            || xml.contains("OnLoad") || xml.contains("office:load") || xml.contains("OnNew"))) {
                        basic.autoExec("document load event");
                    }
                }
                hits.add(new Hit(Kind.VBA, "odf-basic:" + String.join(",", basicModules), "StarBasic librar"
                        + (basicLibraries.size() > 1 ? "ies " : "y ") + String.join(", ", basicLibraries)
                        + ": modules " + String.join(", ", basicModules.stream().limit(10).toList()) + basic.notes()));
            }
        } catch (IOException | RuntimeException e) {
            // Not a readable package: the decomposition reports broken archives; its entries are items of their own.
        }
    }

    /** OLE2 objects embedded in an OOXML document (an .xls with macros inside a .docx). */
    private void embedded(ZipFile zip, ZipArchiveEntry e, List<Hit> hits) {
        try (InputStream in = zip.getInputStream(e)) {
            byte[] head = in.readNBytes(OLE2.length);
            if (!startsWith(head, OLE2)) {
                return;
            }
            byte[] rest = in.readNBytes(MAX_PACKAGE_ENTRY_BYTES);
            byte[] data = new byte[head.length + rest.length];
            System.arraycopy(head, 0, data, 0, head.length);
            System.arraycopy(rest, 0, data, head.length, rest.length);
            ole2(data, VbaProject.sanitize(e.getName()), 1, hits);
        } catch (IOException | RuntimeException ex) {
            // an unreadable embedding is reported by the decomposition
        }
    }

    /**
     * PowerPoint keeps its VBA project and embedded objects as OLE2 files inside ExOleObjStg records (zlib-compressed
     * when the record instance is 1) of the "PowerPoint Document" stream: walk the record tree, open each.
     */
    private void powerPointObjects(byte[] b, int start, int end, int depth, String base, int level, int[] records,
                                   List<Hit> hits) {
        int stop = Math.min(end, b.length);
        int pos = start;
        while (pos + 8 <= stop && ++records[0] <= MAX_ENTRIES) {
            int verInstance = (b[pos] & 0xFF) | (b[pos + 1] & 0xFF) << 8;
            int type = (b[pos + 2] & 0xFF) | (b[pos + 3] & 0xFF) << 8;
            long len = (b[pos + 4] & 0xFFL) | (b[pos + 5] & 0xFFL) << 8 | (b[pos + 6] & 0xFFL) << 16
                    | (b[pos + 7] & 0xFFL) << 24;
            int data = pos + 8;
            if (len > stop - data) {
                return;
            }
            int dataEnd = data + (int) len;
            if ((verInstance & 0x0F) == 0x0F) {
                if (depth < MAX_DEPTH) {
                    powerPointObjects(b, data, dataEnd, depth + 1, base, level, records, hits);
                }
            } else if (type == EX_OLE_OBJ_STG && len > 4) {
                byte[] object = (verInstance >> 4) == 1 ? inflate(b, data + 4, dataEnd)
                        : java.util.Arrays.copyOfRange(b, data, dataEnd);
                if (object != null && startsWith(object, OLE2)) {
                    ole2(object, base, level + 1, hits);
                }
            }
            pos = dataEnd;
        }
    }

    private static byte[] inflate(byte[] b, int from, int to) {
        java.util.zip.Inflater inflater = new java.util.zip.Inflater();
        try {
            inflater.setInput(b, from, to - from);
            java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
            byte[] buf = new byte[64 * 1024];
            while (!inflater.finished() && out.size() < MAX_PACKAGE_ENTRY_BYTES) {
                int n = inflater.inflate(buf);
                if (n == 0 && (inflater.needsInput() || inflater.needsDictionary())) {
                    break;
                }
                out.write(buf, 0, n);
            }
            return out.toByteArray();
        } catch (java.util.zip.DataFormatException e) {
            return null;
        } finally {
            inflater.end();
        }
    }

    private void vbaProjectBin(ZipFile zip, ZipArchiveEntry e, List<Hit> hits) {
        String label = VbaProject.sanitize(e.getName());
        byte[] data;
        try (InputStream in = zip.getInputStream(e)) {
            data = in.readNBytes(MAX_PACKAGE_ENTRY_BYTES + 1);
        } catch (IOException | RuntimeException ex) {
            hits.add(new Hit(Kind.VBA, "vbaproject:" + e.getName(), "VBA project " + label + " unreadable ("
                    + ex.getClass().getSimpleName() + ")"));
            return;
        }
        if (data.length > MAX_PACKAGE_ENTRY_BYTES) {
            hits.add(new Hit(Kind.VBA, "vbaproject:" + e.getName(), "VBA project " + label + " too large to read"));
            return;
        }
        int before = hits.size();
        ole2(data, label, 1, hits);
        if (hits.size() == before) {
            hits.add(new Hit(Kind.VBA, sha256(data), "VBA project " + label + " without a readable VBA storage"));
        }
    }

    static String sha256(byte[] b) {
        try {
            return java.util.HexFormat.of().formatHex(java.security.MessageDigest.getInstance("SHA-256").digest(b));
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private static String text(ZipFile zip, ZipArchiveEntry e) {
        try (InputStream in = zip.getInputStream(e)) {
            return new String(in.readNBytes(MAX_TEXT_BYTES), StandardCharsets.ISO_8859_1);
        } catch (IOException | RuntimeException ex) {
            return "";
        }
    }

    private static byte[] read(DocumentEntry doc, int max) throws IOException {
        try (InputStream in = new DocumentInputStream(doc)) {
            return in.readNBytes(max);
        }
    }

    private static boolean zip(byte[] b) {
        return b.length >= 4 && b[0] == 'P' && b[1] == 'K' && b[2] == 3 && b[3] == 4;
    }

    private static boolean startsWith(byte[] b, byte[] prefix) {
        if (b.length < prefix.length) {
            return false;
        }
        for (int i = 0; i < prefix.length; i++) {
            if (b[i] != prefix[i]) {
                return false;
            }
        }
        return true;
    }

    static int indexOf(byte[] hay, byte[] needle, int from) {
        outer:
        for (int i = Math.max(0, from); i + needle.length <= hay.length; i++) {
            if (hay[i] != needle[0]) {
                continue;
            }
            for (int k = 1; k < needle.length; k++) {
                if (hay[i + k] != needle[k]) {
                    continue outer;
                }
            }
            return i;
        }
        return -1;
    }
}
