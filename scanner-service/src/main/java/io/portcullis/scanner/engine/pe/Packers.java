package io.portcullis.scanner.engine.pe;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;

/**
 * Known packers and protectors, recognised the way ClamAV and PEiD do: section names the packer leaves, byte patterns
 * of its loader at the entry point, and a few header and overlay markers. Packed code cannot be scanned by body
 * signatures, so each hit is an IntelliTrap finding. The entry-point match names the outermost layer first.
 */
public final class Packers {
    /** Bytes read at the entry point for pattern matching. */
    static final int EP_BYTES = 64;
    /** Entropy (bits per byte) above which a section is taken as compressed or encrypted. */
    static final double HIGH_ENTROPY = 7.0;
    /** Sections smaller than this are too small for a meaningful entropy. */
    static final int MIN_ENTROPY_BYTES = 512;

    private static final byte[] NSIS_MAGIC = {(byte) 0xEF, (byte) 0xBE, (byte) 0xAD, (byte) 0xDE, 'N', 'u', 'l', 'l',
            's', 'o', 'f', 't', 'I', 'n', 's', 't'};
    private static final byte[] UPX_MARK = "UPX!".getBytes(StandardCharsets.US_ASCII);

    /** One packer: its short name, section names (case-sensitive prefixes), entry-point patterns. */
    private record Packer(String name, List<String> sectionPrefixes, List<int[]> entryPatterns) {
    }

    private static final List<Packer> PACKERS = List.of(
            new Packer("yc", List.of("yC"),
                    patterns("55 8B EC 53 56 57 60 E8 00 00 00 00 5D 81 ED")),
            new Packer("pespin", List.of(".taz"),
                    patterns("EB 01 68 60 E8 00 00 00 00 8B 1C 24 83 C3 12 81 2B E8 B1 06 00 FE 4B FD 82 2C 24",
                            "EB 01 68 60 E8 00 00 00 00 8B 1C 24 83 C3 12")),
            new Packer("aspack", List.of(".aspack", ".adata"),
                    patterns("60 E8 03 00 00 00 E9 EB 04 5D 45 55 C3 E8 01",
                            "60 E8 00 00 00 00 5D 81 ED ?? ?? ?? ?? B8 ?? ?? ?? ?? 03 C5",
                            "60 E8 70 05 00 00 EB 4C")),
            new Packer("fsg", List.of(),
                    patterns("87 25 ?? ?? ?? ?? 61 94 55 A4 B6 80 FF 13",
                            "BB D0 01 40 00 BF 00 10 40 00 BE",
                            "BE A4 01 40 00 AD 93 AD 97 AD 56 96 B2 80",
                            "EB 02 CD 20 EB 02 CD 20 EB 02 CD 20 C1 E6 18 BB")),
            new Packer("mew", List.of("MEW"),
                    patterns("E9 ?? ?? ?? FF 0C ?? 00 00 00 00 00 00 00 00 00")),
            new Packer("petite", List.of(".petite"),
                    patterns("B8 ?? ?? ?? ?? 68 ?? ?? ?? ?? 64 FF 35 00 00 00 00 64 89 25 00 00 00 00 66 9C 60 50",
                            "B8 ?? ?? ?? ?? 66 9C 60 50 8D 88 ?? ?? ?? ?? 8D 90")),
            new Packer("upack", List.of(),
                    patterns("BE ?? ?? ?? ?? AD 50 FF 76 34 EB 7C 48 01",
                            "BE ?? ?? ?? ?? AD 8B F8 95 A5 33 C0 33",
                            "BE ?? ?? ?? ?? AD 8B F8 95 AD 91 F3 A5 AD")),
            new Packer("wwpack", List.of(".WWP32", ".WWPACK"),
                    patterns("53 55 8B E8 33 DB EB 60 0D 0A 0D 0A 57 57 50 61 63 6B 33 32")),
            new Packer("pecompact", List.of("PEC2", "PECompact2", "pec1", "pec2", "PEC2TO", "PEC2MO", "PEC2O"),
                    patterns("B8 ?? ?? ?? ?? 50 64 FF 35 00 00 00 00 64 89 25 00 00 00 00 33 C0 89 08 50 45 43 6F 6D"
                            + " 70 61 63 74 32",
                            "EB 06 68 ?? ?? ?? ?? C3 9C 60 E8 02 00 00 00")),
            new Packer("mpress", List.of(".MPRESS1", ".MPRESS2"),
                    patterns("60 E8 00 00 00 00 58 05 ?? ?? ?? ?? 8B 30 03 F0 2B C0 8B FE 66 AD C1 E0 0C",
                            "57 56 53 51 52 41 50 48 8D 05 ?? ?? ?? ?? 48 8B 30 48 03 F0")),
            new Packer("themida", List.of(".themida", ".winlice"), List.of()),
            new Packer("vmprotect", List.of(".vmp0", ".vmp1", ".vmp2"), List.of()),
            new Packer("upx", List.of("UPX0", "UPX1", "UPX2", "UPX3", ".UPX0", ".UPX1"),
                    patterns("60 BE ?? ?? ?? ?? 8D BE ?? ?? ?? ?? 57",
                            "53 56 57 55 48 8D 35 ?? ?? ?? ?? 48 8D BE ?? ?? ?? ??")),
            new Packer("nsis", List.of(), List.of()));

    private Packers() {
    }

    /**
     * The known packers and installers found in an image, the one whose loader is at the entry point first. An NSIS
     * installer is named when its data header ({@code 0xDEADBEEF NullsoftInst}) follows the sections.
     */
    public static List<String> detect(PeImage image) {
        Set<String> found = new LinkedHashSet<>();
        byte[] ep = image.entryBytes(EP_BYTES);
        for (Packer p : PACKERS) {
            for (int[] pattern : p.entryPatterns()) {
                if (matches(ep, pattern)) {
                    found.add(p.name());
                }
            }
        }
        if (upackHeader(image)) {
            found.add("upack");
        }
        for (Packer p : PACKERS) {
            for (PeImage.Section s : image.sections()) {
                String name = s.name();
                for (String prefix : p.sectionPrefixes()) {
                    if (name.startsWith(prefix)) {
                        found.add(p.name());
                    }
                }
            }
        }
        if (!found.contains("upx") && headerHasUpxMark(image)) {
            found.add("upx");
        }
        if (nsisData(image)) {
            found.add("nsis");
        }
        return new ArrayList<>(found);
    }

    /**
     * Why an image without a known packer still looks packed, or empty: code that is written to at run time and is
     * random-looking on disk, an executable section that is (nearly) empty on disk but large in memory next to a
     * high-entropy section (a generic unpacking stub), or an entry point in the headers.
     */
    public static Optional<String> unknownPackerReason(PeImage image) {
        Optional<PeImage.Section> entry = image.entrySection();
        if (entry.isEmpty() && image.fileOffset(image.entryPoint()) >= 0 && image.entryPoint() > 0) {
            return Optional.of("entry point in the PE headers");
        }
        if (entry.isPresent()) {
            PeImage.Section s = entry.get();
            if (s.executable() && s.writable() && s.rawSize() >= MIN_ENTROPY_BYTES
                    && image.entropy(s) >= HIGH_ENTROPY) {
                return Optional.of(String.format(Locale.ROOT,
                        "entry point in a writable code section with entropy %.1f", image.entropy(s)));
            }
        }
        boolean hollowCode = false;
        double maxEntropy = 0;
        for (PeImage.Section s : image.sections()) {
            if (s.executable() && s.virtualSize() >= 0x4000 && s.rawSize() * 16L <= s.virtualSize()) {
                hollowCode = true;
            }
            if (s.rawSize() >= MIN_ENTROPY_BYTES) {
                maxEntropy = Math.max(maxEntropy, image.entropy(s));
            }
        }
        if (hollowCode && maxEntropy >= HIGH_ENTROPY) {
            return Optional.of(String.format(Locale.ROOT,
                    "code section empty on disk next to a section with entropy %.1f", maxEntropy));
        }
        return Optional.empty();
    }

    /** Upack stores "KERNEL32.DLL" in the DOS header and the PE header at offset 0x10. */
    private static boolean upackHeader(PeImage image) {
        byte[] b = image.bytes();
        return image.peOffset() == 0x10 && PeImage.ascii(b, 2, 12).equalsIgnoreCase("KERNEL32.DLL");
    }

    /** UPX writes "UPX!" into the headers of what it packs (first 1 KiB). */
    private static boolean headerHasUpxMark(PeImage image) {
        byte[] b = image.bytes();
        int end = Math.min(b.length, 1024);
        return indexOf(b, UPX_MARK, 0, end) >= 0;
    }

    /** NSIS appends its data (first header: flags, 0xDEADBEEF, "NullsoftInst") after the sections, 512-aligned. */
    private static boolean nsisData(PeImage image) {
        byte[] b = image.bytes();
        int start = image.overlayOffset();
        int end = Math.min(b.length, start + (1 << 20));
        for (int off = start; off + 4 + NSIS_MAGIC.length <= end; off += 512) {
            if (regionEquals(b, off + 4, NSIS_MAGIC)) {
                return true;
            }
        }
        return indexOf(b, NSIS_MAGIC, start, end) >= 0;
    }

    private static boolean regionEquals(byte[] b, int off, byte[] needle) {
        if (off < 0 || off + needle.length > b.length) {
            return false;
        }
        for (int i = 0; i < needle.length; i++) {
            if (b[off + i] != needle[i]) {
                return false;
            }
        }
        return true;
    }

    private static int indexOf(byte[] b, byte[] needle, int from, int to) {
        for (int i = Math.max(0, from); i + needle.length <= to; i++) {
            if (regionEquals(b, i, needle)) {
                return i;
            }
        }
        return -1;
    }

    /** Whether {@code data} starts with {@code pattern} (-1 in the pattern matches any byte). */
    static boolean matches(byte[] data, int[] pattern) {
        if (pattern.length == 0 || data.length < pattern.length) {
            return false;
        }
        for (int i = 0; i < pattern.length; i++) {
            if (pattern[i] >= 0 && (data[i] & 0xFF) != pattern[i]) {
                return false;
            }
        }
        return true;
    }

    /** Parses "60 BE ?? 8D" into bytes, -1 for a wildcard. */
    static int[] pattern(String hex) {
        String[] parts = hex.trim().split("\\s+");
        int[] out = new int[parts.length];
        for (int i = 0; i < parts.length; i++) {
            out[i] = parts[i].equals("??") ? -1 : Integer.parseInt(parts[i], 16);
        }
        return out;
    }

    private static List<int[]> patterns(String... hex) {
        List<int[]> out = new ArrayList<>();
        for (String h : hex) {
            out.add(pattern(h));
        }
        return List.copyOf(out);
    }
}
