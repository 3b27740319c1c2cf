package io.portcullis.scanner.mime;

import static io.portcullis.scanner.mime.DecompositionSymbols.ARCHIVE_CORRUPT;

import io.portcullis.contracts.scan.ScanItem;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.util.Arrays;
import java.util.Set;
import org.apache.poi.hmef.Attachment;
import org.apache.poi.hmef.HMEFMessage;
import org.apache.poi.hmef.attribute.MAPIAttribute;
import org.apache.poi.hmef.attribute.MAPIRtfAttribute;
import org.apache.poi.hmef.attribute.TNEFAttribute;
import org.apache.poi.hsmf.datatypes.MAPIProperty;

/**
 * TNEF ({@code winmail.dat}, application/ms-tnef): the attachments (Apache POI HMEF), an attached message's TNEF
 * stream, and the compressed RTF body, as items {@code tnef:<name>}. The attribute stream is checked first (levels,
 * known attribute ids, lengths, checksums), so that damage that HMEF would read past is a finding, not a silently
 * lost attachment.
 */
final class TnefExpander {
    private static final Set<Integer> KNOWN_IDS = Set.of(0x0000, 0x0001, 0x0002, 0x0006, 0x0007, 0x0008, 0x0009,
            0x8000, 0x8004, 0x8005, 0x8006, 0x8007, 0x8008, 0x8009, 0x800A, 0x800B, 0x800C, 0x800D, 0x800F, 0x8010,
            0x8011, 0x8012, 0x8013, 0x8020, 0x9001, 0x9002, 0x9003, 0x9004, 0x9005, 0x9006, 0x9007, 0x9008);
    private static final int IID_BYTES = 16;

    private final ArchiveExpander archives;

    TnefExpander(ArchiveExpander archives) {
        this.archives = archives;
    }

    void expand(String archivePath, byte[] data, int depth, DecompositionState state) {
        String problem = check(data);
        if (problem != null) {
            state.failure(ARCHIVE_CORRUPT, "tnef: " + archivePath + " " + problem);
        }
        if (TNEFAttribute.getMaxRecordLength() < state.limits().maxItemBytes()) {
            // POI's per-attribute cap (a static): attachments up to the item limit must be readable
            TNEFAttribute.setMaxRecordLength((int) state.limits().maxItemBytes());
            MAPIAttribute.setMaxRecordLength((int) state.limits().maxItemBytes());
        }
        HMEFMessage message;
        try {
            message = new HMEFMessage(new ByteArrayInputStream(data));
        } catch (IOException | RuntimeException e) {
            if (problem == null) {
                state.failure(ARCHIVE_CORRUPT, "tnef: " + archivePath + " could not be read ("
                        + e.getClass().getSimpleName() + ")");
            }
            return;
        }
        int n = 0;
        for (Attachment a : message.getAttachments()) {
            n++;
            String name = name(a, n);
            byte[] content = a.getContents();
            if (content == null) {
                MAPIAttribute object = a.getMAPIAttribute(MAPIProperty.ATTACH_DATA);
                content = object == null ? null : embedded(object.getData());
            }
            if (content == null) {
                continue;
            }
            if (!child(archivePath, name, content, depth, state)) {
                return;
            }
            String other = otherName(a, name);
            if (other != null) {
                // the 8.3 title and the long file name may differ: both are names of this file
                state.addNameOnly(archivePath + "/tnef:" + ArchiveExpander.safeName(name),
                        ArchiveExpander.safeName(other), null, depth);
            }
        }
        try {
            if (message.getMessageMAPIAttribute(MAPIProperty.RTF_COMPRESSED) instanceof MAPIRtfAttribute rtf) {
                child(archivePath, "(body.rtf)", rtf.getData(), depth, state);
            }
        } catch (RuntimeException e) {
            state.failure(ARCHIVE_CORRUPT, "tnef: " + archivePath + " has an unreadable RTF body ("
                    + e.getClass().getSimpleName() + ")");
        }
    }

    private boolean child(String archivePath, String name, byte[] content, int depth, DecompositionState state) {
        ScanItem item = archives.entry("tnef", archivePath, name, depth, new ByteArrayInputStream(content), state);
        if (item == null) {
            return false;
        }
        archives.expandIfArchive(item, item.filename(), state);
        return true;
    }

    private static String name(Attachment a, int n) {
        try {
            String name = a.getLongFilename();
            if (name == null || name.isBlank()) {
                name = a.getFilename();
            }
            return name == null || name.isBlank() ? "(attachment " + n + ")" : name;
        } catch (RuntimeException e) {
            return "(attachment " + n + ")";
        }
    }

    private static String otherName(Attachment a, String used) {
        try {
            String title = a.getFilename();
            return title != null && !title.isBlank() && !title.equals(used) ? title : null;
        } catch (RuntimeException e) {
            return null;
        }
    }

    /** An attached message: its data object is an interface id followed by a TNEF stream of its own. */
    private static byte[] embedded(byte[] object) {
        if (object != null && object.length > IID_BYTES + 4 && ArchiveFormat.byMagic(Arrays.copyOfRange(object,
                IID_BYTES, IID_BYTES + 4)) == ArchiveFormat.TNEF) {
            return Arrays.copyOfRange(object, IID_BYTES, object.length);
        }
        return object;
    }

    /**
     * Walks the attribute stream: {@code level, id, length, data, checksum} after the 6-byte header.
     *
     * @return what is wrong, or null
     */
    static String check(byte[] d) {
        int p = 6;
        int count = 0;
        if (d.length < p) {
            return "is truncated in its header";
        }
        while (p < d.length) {
            count++;
            if (p + 9 > d.length) {
                return null; // a few bytes of padding: no room for an attribute, nothing hidden
            }
            int level = d[p] & 0xFF;
            long id = ByteSearch.u32(d, p + 1);
            long len = ByteSearch.u32(d, p + 5);
            if (level != 1 && level != 2) {
                return "has attribute " + count + " at an unknown level " + level;
            }
            if ((id >>> 16) > 0x0009 || !KNOWN_IDS.contains((int) (id & 0xFFFF))) {
                return "has attribute " + count + " with an unknown id 0x" + Long.toHexString(id);
            }
            if (p + 9 + len + 2 > d.length) {
                return "is truncated in attribute " + count + " (" + len + " bytes declared)";
            }
            int sum = 0;
            int end = (int) (p + 9 + len);
            for (int i = p + 9; i < end; i++) {
                sum += d[i] & 0xFF;
            }
            // Attachment attributes only: writers get message-level checksums wrong often enough (edited subjects)
            if (level == 2 && (sum & 0xFFFF) != ByteSearch.u16(d, end)) {
                return "fails the checksum of attribute " + count;
            }
            p = end + 2;
        }
        return null;
    }
}
