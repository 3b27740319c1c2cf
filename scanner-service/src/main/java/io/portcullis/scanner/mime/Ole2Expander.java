package io.portcullis.scanner.mime;

import static io.portcullis.scanner.mime.DecompositionSymbols.ARCHIVE_CORRUPT;
import static io.portcullis.scanner.mime.DecompositionSymbols.ARCHIVE_ENCRYPTED;

import io.portcullis.contracts.scan.ScanItem;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import org.apache.poi.hslf.usermodel.HSLFObjectData;
import org.apache.poi.hslf.usermodel.HSLFSlideShowImpl;
import org.apache.poi.poifs.filesystem.DirectoryNode;
import org.apache.poi.poifs.filesystem.DocumentEntry;
import org.apache.poi.poifs.filesystem.DocumentInputStream;
import org.apache.poi.poifs.filesystem.Entry;
import org.apache.poi.poifs.filesystem.POIFSFileSystem;

/**
 * OLE2 compound files (Word, Excel and PowerPoint 97-2003, Outlook .msg, MSI, embedded objects) through Apache POI
 * POIFS. Every stream becomes an item {@code ole2:<storage>/<stream>} (so body signatures see content that the
 * container's sector chains fragment), and is unpacked in turn: {@code \1Ole10Native} packages yield their payload
 * ({@code ole10:<file name>}), {@code Package} and {@code CONTENTS} streams are zips, PDFs or OLE2 files of their own,
 * embedded storages ({@code ObjectPool/*}, {@code MBD*}, Outlook attachments) are walked. PowerPoint keeps embedded
 * objects zlib-compressed in its records: they are read through POI HSLF ({@code ppt-object:<n>}).
 *
 * <p>An encrypted document (OOXML EncryptionInfo/EncryptedPackage, a Word or Excel file with its encryption flag or
 * FILEPASS record) is ARCHIVE_ENCRYPTED: its content could not be scanned.
 */
final class Ole2Expander {
    private static final String OLE10_NATIVE = "\u0001Ole10Native";
    private static final String ATTACH_PREFIX = "__attach_version1.0_";
    private static final String ATTACH_DATA = "__substg1.0_37010102";

    private final ArchiveExpander archives;

    Ole2Expander(ArchiveExpander archives) {
        this.archives = archives;
    }

    void expand(String archivePath, byte[] data, int depth, DecompositionState state) {
        POIFSFileSystem fs;
        try {
            fs = new POIFSFileSystem(new ByteArrayInputStream(data));
        } catch (IOException | RuntimeException e) {
            state.failure(ARCHIVE_CORRUPT, "ole2: " + archivePath + " could not be opened ("
                    + e.getClass().getSimpleName() + ")");
            return;
        }
        try (fs) {
            DirectoryNode root = fs.getRoot();
            if (root.hasEntry("EncryptionInfo") && root.hasEntry("EncryptedPackage")) {
                state.failure(ARCHIVE_ENCRYPTED, "ole2: " + archivePath + " is an encrypted Office document");
            }
            if (!walk(archivePath, root, "", null, depth, state)) {
                return;
            }
            if (root.hasEntry("PowerPoint Document")) {
                powerPoint(archivePath, root, depth, state);
            }
        } catch (IOException | RuntimeException e) {
            state.failure(ARCHIVE_CORRUPT, "ole2: " + archivePath + " could not be read completely ("
                    + e.getClass().getSimpleName() + ")");
        }
    }

    /** @return false once a budget is spent */
    private boolean walk(String archivePath, DirectoryNode dir, String prefix, String attachmentName, int depth,
            DecompositionState state) throws IOException {
        String attachment = dir.getName().startsWith(ATTACH_PREFIX) ? outlookName(dir) : attachmentName;
        for (Entry entry : dir) {
            if (entry instanceof DirectoryNode sub) {
                if (!walk(archivePath, sub, prefix + sub.getName() + "/", attachment, depth, state)) {
                    return false;
                }
            } else if (entry instanceof DocumentEntry doc) {
                String name = doc.getName();
                String filename = ATTACH_DATA.equals(name) && attachment != null ? attachment : name;
                ScanItem item;
                try (InputStream in = new DocumentInputStream(doc)) {
                    item = archives.entry("ole2", archivePath, prefix + name, filename == name ? prefix + name
                            : filename, depth, in, state);
                }
                if (item == null) {
                    return false;
                }
                encryptionFlag(archivePath, prefix + name, item.content(), state);
                if (OLE10_NATIVE.equals(name)) {
                    ole10Native(item, depth + 1, state);
                } else {
                    archives.expandIfArchive(item, item.filename(), state);
                }
            }
        }
        return true;
    }

    /** The payload of an OLE 1.0 package: file name, command and data. */
    private void ole10Native(ScanItem stream, int depth, DecompositionState state) {
        OlePackage pkg;
        try {
            pkg = OlePackage.parse(stream.content(), 0);
        } catch (OlePackage.NotAPackage | RuntimeException e) {
            state.failure(ARCHIVE_CORRUPT, "ole2: " + stream.path() + " is not a readable OLE package ("
                    + e.getMessage() + ")");
            return;
        }
        ScanItem item = archives.entry("ole10", stream.path(), pkg.fileName(), depth,
                new ByteArrayInputStream(pkg.data()), state);
        if (item != null) {
            archives.expandIfArchive(item, item.filename(), state);
        }
    }

    /** Embedded objects of a PowerPoint 97-2003 file, zlib-compressed inside its records. */
    private void powerPoint(String archivePath, DirectoryNode root, int depth, DecompositionState state) {
        HSLFObjectData[] objects;
        try {
            objects = new HSLFSlideShowImpl(root).getEmbeddedObjects();
        } catch (IOException | RuntimeException e) {
            state.failure(ARCHIVE_CORRUPT, "ole2: " + archivePath + " has unreadable PowerPoint records ("
                    + e.getClass().getSimpleName() + "); its embedded objects were not scanned");
            return;
        }
        int n = 0;
        for (HSLFObjectData object : objects) {
            n++;
            ScanItem item;
            try (InputStream in = object.getInputStream()) {
                item = archives.entry("ppt-object", archivePath, "(object " + n + ")", depth, in, state);
            } catch (IOException | RuntimeException e) {
                state.failure(ARCHIVE_CORRUPT, "ole2: " + archivePath + " has an unreadable embedded object " + n
                        + " (" + e.getClass().getSimpleName() + ")");
                continue;
            }
            if (item == null) {
                return;
            }
            archives.expandIfArchive(item, item.filename(), state);
        }
    }

    /** Word's fEncrypted bit, Excel's FILEPASS record: the document body is encrypted. */
    private static void encryptionFlag(String archivePath, String stream, byte[] d, DecompositionState state) {
        boolean encrypted = false;
        if ("WordDocument".equals(stream) && d.length > 12 && ByteSearch.u16(d, 0) == 0xA5EC) {
            encrypted = (ByteSearch.u16(d, 0x0A) & 0x0100) != 0;
        } else if (("Workbook".equals(stream) || "Book".equals(stream)) && d.length > 4
                && ByteSearch.u16(d, 0) == 0x0809) {
            int p = 0;
            for (int i = 0; i < 64 && p + 4 <= d.length; i++) {
                int type = ByteSearch.u16(d, p);
                if (type == 0x002F) {
                    encrypted = true;
                    break;
                }
                if (type == 0x000A && i > 0) {
                    break; // EOF of the globals
                }
                p += 4 + ByteSearch.u16(d, p + 2);
            }
        }
        if (encrypted) {
            state.failure(ARCHIVE_ENCRYPTED, "ole2: " + archivePath + " is an encrypted " + stream + " document");
        }
    }

    /** An Outlook attachment's long (else short) file name, from its property streams. */
    private static String outlookName(DirectoryNode dir) {
        for (String[] p : new String[][] {{"__substg1.0_3707001F", "UTF-16LE"}, {"__substg1.0_3707001E", "ISO-8859-1"},
                {"__substg1.0_3704001F", "UTF-16LE"}, {"__substg1.0_3704001E", "ISO-8859-1"}}) {
            if (dir.hasEntry(p[0])) {
                try (InputStream in = dir.createDocumentInputStream(p[0])) {
                    byte[] b = BoundedRead.of(in, 2048).bytes();
                    String s = new String(b, p[1].equals("UTF-16LE") ? StandardCharsets.UTF_16LE
                            : StandardCharsets.ISO_8859_1).replace("\u0000", "").strip();
                    if (!s.isEmpty()) {
                        return s;
                    }
                } catch (IOException | RuntimeException e) {
                    // no usable name: the stream name stands
                }
            }
        }
        return null;
    }
}
