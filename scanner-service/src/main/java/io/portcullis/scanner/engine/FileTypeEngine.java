package io.portcullis.scanner.engine;

import io.portcullis.contracts.scan.Category;
import io.portcullis.contracts.scan.EngineResult;
import io.portcullis.contracts.scan.Finding;
import io.portcullis.contracts.scan.ScanEngine;
import io.portcullis.contracts.scan.ScanInput;
import io.portcullis.contracts.scan.ScanItem;
import io.portcullis.scanner.mime.FileNames;
import io.portcullis.scanner.mime.TrueTypes;
import io.portcullis.scanner.policy.PolicySource;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import org.apache.tika.mime.MediaType;
import org.apache.tika.mime.MediaTypeRegistry;
import org.apache.tika.mime.MimeTypes;

/**
 * True file types: each part or entry's type from its bytes alone (Tika's magic detection, plus .lnk, jar and HTA
 * checks of its own), compared with every file name the item carries ({@code name=}, {@code filename=}, RFC 2231 and
 * RFC 2047 forms: the decomposer adds each as a name-only item on the same path) and with its declared Content-Type.
 *
 * <ul>
 *   <li>{@code TRUE_TYPE_EXECUTABLE} (BLOCKED_ATTACHMENT): an executable or script by content (PE, ELF, Mach-O, Java
 *       class or jar, Windows shortcut, shell-style script, HTA) whose names do not say so, or whose usual extension
 *       the policy blocks while none of its names is blocked ({@code invoice.pdf} that is a PE, a PE named
 *       {@code .dll} when {@code exe} is blocked)</li>
 *   <li>{@code FILE_TYPE_MISMATCH} (CONTENT, recorded only): another type than the extension or the declared
 *       Content-Type says</li>
 *   <li>{@code FILENAME_SPOOFED} (BLOCKED_ATTACHMENT): a name with Unicode direction overrides or isolates
 *       (U+202A-202E, U+2066-2069), which display an extension that is not the real one</li>
 * </ul>
 * Names are only compared, never used as paths. Scripts without a marker in their bytes (.js, .vbs, .ps1) cannot be
 * told from text by content; BANNED_EXTENSION covers them by name.
 */
@ApplicationScoped
public class FileTypeEngine implements ScanEngine {
    public static final String EXECUTABLE_SYMBOL = "TRUE_TYPE_EXECUTABLE";
    public static final String MISMATCH_SYMBOL = "FILE_TYPE_MISMATCH";
    public static final String SPOOFED_SYMBOL = "FILENAME_SPOOFED";
    public static final String FAILURE_SYMBOL = "FILETYPE_FAIL";

    private static final MimeTypes TYPES = MimeTypes.getDefaultMimeTypes();
    private static final MediaTypeRegistry REGISTRY = TYPES.getMediaTypeRegistry();
    private static final byte[] LNK = {0x4C, 0, 0, 0, 0x01, 0x14, 0x02, 0x00};
    private static final Set<String> GENERIC_DECLARED = Set.of("application/octet-stream",
            "application/x-octet-stream", "application/unknown", "binary/octet-stream", "application/binary",
            "application/force-download", "application/download");

    /** An executable kind: the extensions that say so ("" for none) and the usual one. */
    private enum Kind {
        PE("exe", "exe", "dll", "scr", "com", "sys", "cpl", "ocx", "drv", "efi", "mui", "ax", "pif", "msstyles",
                "node", "tlb", "acm", "tsp", "msi"),
        ELF("elf", "", "so", "elf", "bin", "run", "o", "ko", "out", "appimage"),
        MACH_O("mach-o", "", "dylib", "bundle", "app", "o"),
        JAVA_CLASS("class", "class"),
        JAR("jar", "jar", "war", "ear", "jmod"),
        LNK("lnk", "lnk"),
        SCRIPT("sh", "sh", "bash", "zsh", "ksh", "csh", "py", "pl", "rb", "php", "command", "run", "bin", ""),
        HTA("hta", "hta");

        final String usual;
        final Set<String> extensions;

        Kind(String usual, String... extensions) {
            this.usual = usual;
            this.extensions = Set.of(extensions);
        }
    }

    private final PolicySource policy;
    private final TrueTypes types;

    /** An engine with its own memory of detected types (tests). */
    public FileTypeEngine(PolicySource policy) {
        this(policy, new TrueTypes());
    }

    /** An engine sharing detected types with the rest of the scan (policy attachment conditions). */
    @Inject
    public FileTypeEngine(PolicySource policy, TrueTypes types) {
        this.policy = policy;
        this.types = types;
    }

    @Override
    public String name() {
        return "filetype";
    }

    @Override
    public String failureSymbol() {
        return FAILURE_SYMBOL;
    }

    @Override
    public EngineResult scan(ScanInput input) throws IOException {
        Set<String> blocked = new HashSet<>();
        for (String ext : policy.current().blockedExtensions()) {
            String e = ext.trim().toLowerCase(Locale.ROOT);
            blocked.add(e.startsWith(".") ? e.substring(1) : e);
        }
        Map<String, List<ScanItem>> byPath = new LinkedHashMap<>();
        Set<String> paths = new HashSet<>();
        for (ScanItem item : input.items()) {
            if (item.depth() >= 1) {
                byPath.computeIfAbsent(item.path(), p -> new ArrayList<>()).add(item);
                paths.add(item.path());
            }
        }
        List<Finding> findings = new ArrayList<>();
        for (Map.Entry<String, List<ScanItem>> e : byPath.entrySet()) {
            check(e.getKey(), e.getValue(), paths, blocked, findings, types);
        }
        return EngineResult.ok(name(), findings);
    }

    private static void check(String path, List<ScanItem> items, Set<String> paths, Set<String> blocked,
            List<Finding> findings, TrueTypes types) throws IOException {
        Set<String> names = new LinkedHashSet<>();
        ScanItem content = null;
        String declared = null;
        for (ScanItem i : items) {
            if (i.filename() != null) {
                names.add(i.filename());
            }
            if (content == null && i.content() != null && i.content().length > 0) {
                content = i;
            }
            if (declared == null && i.contentType() != null) {
                declared = i.contentType();
            }
        }
        for (String n : names) {
            int bidi = bidiControl(n);
            if (bidi >= 0) {
                findings.add(new Finding(SPOOFED_SYMBOL, Category.BLOCKED_ATTACHMENT, 0, String.format(
                        "U+%04X in a file name in %s", bidi, path)));
                break;
            }
        }
        if (content == null) {
            return;
        }
        Set<String> exts = new LinkedHashSet<>();
        for (String n : names) {
            exts.add(FileNames.lastExtension(n));
        }
        if (exts.isEmpty()) {
            exts.add("");
        }
        MediaType detected = types.of(content.content());
        Kind kind = kind(detected, content.content(), path, paths);
        if (kind != null) {
            boolean nameSays = exts.stream().anyMatch(kind.extensions::contains);
            boolean usualBlocked = blocked.contains(kind.usual) && exts.stream().noneMatch(blocked::contains);
            if (!nameSays || usualBlocked) {
                String shown = exts.stream().filter(x -> !x.isEmpty()).map(x -> "." + x).findFirst()
                        .orElse("without extension");
                findings.add(new Finding(EXECUTABLE_SYMBOL, Category.BLOCKED_ATTACHMENT, 0, kind.usual + " ("
                        + detected + ") named " + shown + " in " + path));
            }
            return;
        }
        if (generic(detected)) {
            return;
        }
        for (String ext : exts) {
            if (ext.isEmpty()) {
                continue;
            }
            MediaType expected = TYPES.getMimeType("x." + ext).getType();
            if (!generic(expected) && !compatible(detected, expected)) {
                findings.add(new Finding(MISMATCH_SYMBOL, Category.CONTENT, 0, detected + " named ." + ext + " in "
                        + path));
                return;
            }
        }
        if (declared != null && !GENERIC_DECLARED.contains(declared.toLowerCase(Locale.ROOT))) {
            MediaType type = MediaType.parse(declared.toLowerCase(Locale.ROOT));
            if (type != null && !generic(type) && !compatible(detected, type)) {
                findings.add(new Finding(MISMATCH_SYMBOL, Category.CONTENT, 0, detected + " declared as "
                        + type.getBaseType() + " in " + path));
            }
        }
    }

    /** The executable kind of the bytes, or null. */
    private static Kind kind(MediaType detected, byte[] d, String path, Set<String> paths) {
        if (startsWith(d, LNK)) {
            return Kind.LNK;
        }
        String t = detected.getBaseType().toString();
        if (t.equals("application/x-msdownload") || t.equals("application/x-dosexec")
                || REGISTRY.isSpecializationOf(detected, MediaType.application("x-msdownload"))) {
            return Kind.PE;
        }
        if (t.startsWith("application/x-elf") || t.equals("application/x-executable")
                || t.equals("application/x-sharedlib") || t.equals("application/x-object")) {
            return Kind.ELF;
        }
        if (t.startsWith("application/x-mach-o")) {
            return Kind.MACH_O;
        }
        if (t.equals("application/java-vm")) {
            return Kind.JAVA_CLASS;
        }
        if (t.equals("application/java-archive") || (t.equals("application/zip")
                && paths.contains(path + "/zip:META-INF/MANIFEST.MF"))) {
            return Kind.JAR;
        }
        if (t.equals("application/x-sh") || t.equals("text/x-python") || t.equals("text/x-perl")
                || t.equals("application/x-csh") || d.length > 2 && d[0] == '#' && d[1] == '!') {
            return Kind.SCRIPT;
        }
        if (t.equals("text/html") && new String(d, 0, Math.min(d.length, 64 * 1024), StandardCharsets.ISO_8859_1)
                .toLowerCase(Locale.ROOT).contains("<hta:application")) {
            return Kind.HTA;
        }
        return null;
    }

    private static boolean generic(MediaType t) {
        return t == null || t.equals(MediaType.OCTET_STREAM) || t.equals(MediaType.TEXT_PLAIN)
                || t.equals(MediaType.EMPTY);
    }

    private static boolean compatible(MediaType detected, MediaType expected) {
        MediaType a = REGISTRY.normalize(detected.getBaseType());
        MediaType b = REGISTRY.normalize(expected.getBaseType());
        return a.equals(b) || REGISTRY.isSpecializationOf(a, b) || REGISTRY.isSpecializationOf(b, a)
                || textual(a) && textual(b);
    }

    private static boolean textual(MediaType t) {
        return t.getType().equals("text") || REGISTRY.isSpecializationOf(t, MediaType.TEXT_PLAIN);
    }

    private static int bidiControl(String name) {
        for (int i = 0; i < name.length(); i++) {
            char c = name.charAt(i);
            if (c >= '\u202A' && c <= '\u202E' || c >= '\u2066' && c <= '\u2069') {
                return c;
            }
        }
        return -1;
    }

    private static boolean startsWith(byte[] d, byte[] magic) {
        if (d.length < magic.length) {
            return false;
        }
        for (int i = 0; i < magic.length; i++) {
            if (d[i] != magic[i]) {
                return false;
            }
        }
        return true;
    }
}
