package io.portcullis.av;

import java.nio.charset.StandardCharsets;

/**
 * What the first bytes of an object say about it: which ClamAV target types it is (a bit per target number, bit 0
 * always set), and for PE and ELF executables the file offset of the entry point and the sections (raw offset and
 * size). Parsed from at most {@link #PREFIX} bytes; anything beyond them (or malformed) is simply not known: a PE
 * whose section table does not fit is still type PE, but EP/section offsets and section hashes cannot match.
 */
final class ExeInfo {
    /** Bytes of an object looked at before scanning starts (the streaming window holds them until then). */
    static final int PREFIX = 1 << 16;
    static final int MAX_SECTIONS = 96;

    static final int TARGET_ANY = 0, TARGET_PE = 1, TARGET_OLE2 = 2, TARGET_HTML = 3, TARGET_MAIL = 4,
        TARGET_GRAPHICS = 5, TARGET_ELF = 6, TARGET_TEXT = 7, TARGET_MACHO = 9, TARGET_PDF = 10, TARGET_FLASH = 11,
        TARGET_JAVA = 12;

    static final ExeInfo NONE = new ExeInfo(1, -1, new long[0], new long[0]);

    /** Bit t set: the object is of ClamAV target type t (bit 0 always). */
    final int targets;
    /** File offset of the entry point, or -1. */
    final long entryPoint;
    final long[] sectionOffset;
    final long[] sectionSize;

    private ExeInfo(int targets, long entryPoint, long[] sectionOffset, long[] sectionSize) {
        this.targets = targets;
        this.entryPoint = entryPoint;
        this.sectionOffset = sectionOffset;
        this.sectionSize = sectionSize;
    }

    boolean is(int target) {
        return target >= 0 && target < 32 && (targets >>> target & 1) != 0;
    }

    int sections() { return sectionOffset.length; }

    /** Parses b[0, len), the first bytes of an object of {@code total} bytes (or more, when still streaming). */
    static ExeInfo parse(byte[] b, int len) {
        if (len >= 2 && b[0] == 'M' && b[1] == 'Z') {
            ExeInfo pe = pe(b, len);
            if (pe != null) return pe;
        }
        if (len >= 4 && b[0] == 0x7F && b[1] == 'E' && b[2] == 'L' && b[3] == 'F') return elf(b, len);
        int t = 1;
        if (len >= 4) {
            int m = u32be(b, 0);
            if (m == 0xFEEDFACE || m == 0xFEEDFACF || m == 0xCEFAEDFE || m == 0xCFFAEDFE) t |= 1 << TARGET_MACHO;
            if (m == 0xCAFEBABE) t |= 1 << TARGET_MACHO | 1 << TARGET_JAVA; // fat Mach-O and Java class share it
        }
        if (len >= 8 && u32be(b, 0) == 0xD0CF11E0 && u32be(b, 4) == 0xA1B11AE1) t |= 1 << TARGET_OLE2;
        if (startsWith(b, len, "GIF8") || startsWith(b, len, "\u0089PNG") || (len >= 3 && (b[0] & 0xFF) == 0xFF
            && (b[1] & 0xFF) == 0xD8 && (b[2] & 0xFF) == 0xFF) || startsWith(b, len, "BM")) t |= 1 << TARGET_GRAPHICS;
        if (startsWith(b, len, "FWS") || startsWith(b, len, "CWS") || startsWith(b, len, "ZWS")) t |= 1 << TARGET_FLASH;
        String head = new String(b, 0, Math.min(len, 1024), StandardCharsets.ISO_8859_1);
        if (head.contains("%PDF-")) t |= 1 << TARGET_PDF;
        if (textual(b, Math.min(len, 4096))) {
            t |= 1 << TARGET_TEXT;
            String lower = head.toLowerCase(java.util.Locale.ROOT);
            if (lower.contains("<html") || lower.contains("<!doctype html") || lower.contains("<script") || lower.contains("<body")) {
                t |= 1 << TARGET_HTML;
            }
            if (mailHeader(head)) t |= 1 << TARGET_MAIL;
        }
        return t == 1 ? NONE : new ExeInfo(t, -1, new long[0], new long[0]);
    }

    private static boolean mailHeader(String head) {
        String[] starts = {"From ", "Received:", "Return-Path:", "Delivered-To:", "Message-ID:", "MIME-Version:", "From:",
            "Date:", "Subject:", "To:", "X-"};
        int nl = head.indexOf('\n');
        String first = nl < 0 ? head : head.substring(0, nl);
        for (String s : starts) {
            if (first.regionMatches(true, 0, s, 0, s.length())) return true;
        }
        return false;
    }

    private static boolean textual(byte[] b, int len) {
        if (len == 0) return false;
        for (int i = 0; i < len; i++) {
            int c = b[i] & 0xFF;
            if (c < 0x20 && c != '\n' && c != '\r' && c != '\t' && c != 0x0C) return false;
            if (c == 0x7F) return false;
        }
        return true;
    }

    private static boolean startsWith(byte[] b, int len, String s) {
        if (len < s.length()) return false;
        for (int i = 0; i < s.length(); i++) if ((b[i] & 0xFF) != s.charAt(i)) return false;
        return true;
    }

    /** PE: "MZ", e_lfanew, "PE\0\0", COFF header, optional header, section table. Null when not a PE. */
    private static ExeInfo pe(byte[] b, int len) {
        if (len < 0x40) return null;
        long lfanew = u32le(b, 0x3C) & 0xFFFFFFFFL;
        if (lfanew + 24 > len || b[(int) lfanew] != 'P' || b[(int) lfanew + 1] != 'E' || b[(int) lfanew + 2] != 0
            || b[(int) lfanew + 3] != 0) {
            return null;
        }
        int coff = (int) lfanew + 4;
        int sections = u16le(b, coff + 2);
        int optSize = u16le(b, coff + 16);
        int opt = coff + 20;
        int table = opt + optSize;
        int t = 1 | 1 << TARGET_PE;
        if (sections == 0 || sections > MAX_SECTIONS || optSize < 20 || (long) table + 40L * sections > len) {
            return new ExeInfo(t, -1, new long[0], new long[0]);
        }
        long epRva = u32le(b, opt + 16) & 0xFFFFFFFFL;
        long[] off = new long[sections];
        long[] size = new long[sections];
        long[] va = new long[sections];
        long[] vsize = new long[sections];
        for (int s = 0; s < sections; s++) {
            int h = table + 40 * s;
            vsize[s] = u32le(b, h + 8) & 0xFFFFFFFFL;
            va[s] = u32le(b, h + 12) & 0xFFFFFFFFL;
            size[s] = u32le(b, h + 16) & 0xFFFFFFFFL;
            off[s] = u32le(b, h + 20) & 0xFFFFFFFFL;
        }
        long ep = -1;
        for (int s = 0; s < sections; s++) {
            long span = Math.max(vsize[s], size[s]);
            if (epRva >= va[s] && epRva < va[s] + span) {
                ep = epRva - va[s] + off[s];
                break;
            }
        }
        if (ep < 0 && sections > 0 && epRva < va[0]) ep = epRva; // entry point inside the headers
        return new ExeInfo(t, ep, off, size);
    }

    /** ELF: entry point mapped to a file offset through the PT_LOAD program headers; no sections. */
    private static ExeInfo elf(byte[] b, int len) {
        int t = 1 | 1 << TARGET_ELF;
        boolean is64 = b[4] == 2;
        if (len < (is64 ? 64 : 52)) return new ExeInfo(t, -1, new long[0], new long[0]);
        boolean le = b[5] != 2;
        long entry = is64 ? u64(b, 24, le) : u32(b, 24, le);
        long phoff = is64 ? u64(b, 32, le) : u32(b, 28, le);
        int phentsize = u16(b, is64 ? 54 : 42, le);
        int phnum = u16(b, is64 ? 56 : 44, le);
        long ep = -1;
        if (phoff > 0 && phnum <= 256 && phentsize >= (is64 ? 56 : 32) && phoff + (long) phentsize * phnum <= len) {
            for (int i = 0; i < phnum; i++) {
                int h = (int) (phoff + (long) phentsize * i);
                if (u32(b, h, le) != 1) continue; // PT_LOAD
                long offset = is64 ? u64(b, h + 8, le) : u32(b, h + 4, le);
                long vaddr = is64 ? u64(b, h + 16, le) : u32(b, h + 8, le);
                long filesz = is64 ? u64(b, h + 32, le) : u32(b, h + 16, le);
                if (entry >= vaddr && entry - vaddr < filesz) {
                    ep = entry - vaddr + offset;
                    break;
                }
            }
        }
        return new ExeInfo(t, ep, new long[0], new long[0]);
    }

    private static int u16le(byte[] b, int at) { return (b[at] & 0xFF) | (b[at + 1] & 0xFF) << 8; }

    private static int u32le(byte[] b, int at) { return u16le(b, at) | u16le(b, at + 2) << 16; }

    private static int u32be(byte[] b, int at) {
        return (b[at] & 0xFF) << 24 | (b[at + 1] & 0xFF) << 16 | (b[at + 2] & 0xFF) << 8 | (b[at + 3] & 0xFF);
    }

    private static int u16(byte[] b, int at, boolean le) {
        return le ? u16le(b, at) : (b[at] & 0xFF) << 8 | (b[at + 1] & 0xFF);
    }

    private static long u32(byte[] b, int at, boolean le) {
        return (le ? u32le(b, at) : u32be(b, at)) & 0xFFFFFFFFL;
    }

    private static long u64(byte[] b, int at, boolean le) {
        long lo = u32(b, at + (le ? 0 : 4), le);
        long hi = u32(b, at + (le ? 4 : 0), le);
        long v = hi << 32 | lo;
        return v < 0 ? Long.MAX_VALUE : v; // absurd values never map to a file offset
    }
}
