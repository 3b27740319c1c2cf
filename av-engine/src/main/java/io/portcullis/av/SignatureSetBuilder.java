package io.portcullis.av;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/** Loads databases (by file extension) and builds an immutable {@link SignatureSet}. Not thread-safe; use once. */
public final class SignatureSetBuilder {
    private final LoadOptions options;
    private final LoadReport report = new LoadReport();
    final NameTable hashNames = new NameTable();
    int[] hashDatabase = new int[64];
    final List<String> databases = new ArrayList<>();
    private final Map<String, Integer> databaseIds = new HashMap<>();
    final HashTable.Builder md5 = new HashTable.Builder(16);
    final HashTable.Builder sha1 = new HashTable.Builder(20);
    final HashTable.Builder sha256 = new HashTable.Builder(32);
    final HashTable.Builder sectionMd5 = new HashTable.Builder(16);
    final HashTable.Builder sectionSha1 = new HashTable.Builder(20);
    final HashTable.Builder sectionSha256 = new HashTable.Builder(32);
    final List<BodySignature> bodies = new ArrayList<>();
    final List<LogicalSignature> logicals = new ArrayList<>();
    private boolean built;
    /** The key .cvd signatures are checked with: ClamAV's (tests substitute their own). */
    CvdSignature cvdKey = CvdSignature.clamav();

    public SignatureSetBuilder(LoadOptions options) {
        this.options = options;
    }

    /** Loads one database file; the format follows from the extension (.hdb .hsb .mdb .msb .ndb .ldb .cvd .cld). */
    public SignatureSetBuilder load(Path file) throws SignatureLoadException {
        byte[] content;
        try {
            content = Files.readAllBytes(file);
        } catch (IOException e) {
            throw new SignatureLoadException(file.toString(), 0, "cannot read: " + e.getMessage(), e);
        }
        return load(file.getFileName().toString(), content);
    }

    /** Loads database content under the given file name (whose extension decides the format). */
    public SignatureSetBuilder load(String name, byte[] content) throws SignatureLoadException {
        String ext = extension(name);
        if (ext.equals("cvd") || ext.equals("cld")) {
            new CvdLoader().load(name, content, this, options, report);
        } else {
            loadMember(name, content);
        }
        return this;
    }

    void loadMember(String name, byte[] content) throws SignatureLoadException {
        loadMember(name, content, options);
    }

    void loadMember(String name, byte[] content, LoadOptions options) throws SignatureLoadException {
        String ext = extension(name);
        // without hashes (Smart Scan): whole-file hashes are asked centrally; PE section hashes (.mdb/.msb) stay local,
        // since the central service answers whole files only
        if (!options.includeHashes() && (ext.equals("hdb") || ext.equals("hsb"))) {
            report.skipped(name);
            return;
        }
        switch (ext) {
            case "hdb" -> new HdbLoader().load(name, content, this, options, report);
            case "hsb" -> new HsbLoader().load(name, content, this, options, report);
            case "ndb" -> new NdbLoader().load(name, content, this, options, report);
            case "ldb" -> new LdbLoader().load(name, content, this, options, report);
            case "mdb" -> new SectionHashLoader(true).load(name, content, this, options, report);
            case "msb" -> new SectionHashLoader(false).load(name, content, this, options, report);
            default -> report.unsupported(name, "format not yet supported");
        }
    }

    private static String extension(String name) {
        int dot = name.lastIndexOf('.');
        return dot < 0 ? "" : name.substring(dot + 1).toLowerCase(Locale.ROOT);
    }

    void addHash(byte[] hash, long size, String name, String database) {
        int id = hashNames.add(name);
        if (id >= hashDatabase.length) hashDatabase = Arrays.copyOf(hashDatabase, hashDatabase.length * 2);
        hashDatabase[id] = databaseId(database);
        switch (hash.length) {
            case 16 -> md5.add(hash, size, id);
            case 20 -> sha1.add(hash, size, id);
            default -> sha256.add(hash, size, id);
        }
    }

    /** Set by {@link #levelAllows} when the current line is skipped for its functionality level. */
    boolean skippedLine;

    /**
     * Whether a signature with these functionality levels is for this engine ({@link LoadOptions#functionalityLevel()}
     * within [min, max]); otherwise the line is marked skipped and counted in the report.
     */
    boolean levelAllows(int min, int max) {
        int level = options.functionalityLevel();
        if (level >= min && level <= max) return true;
        skippedLine = true;
        report.skippedByLevel();
        return false;
    }

    void addSectionHash(byte[] hash, long size, String name, String database) {
        int id = hashNames.add(name);
        if (id >= hashDatabase.length) hashDatabase = Arrays.copyOf(hashDatabase, hashDatabase.length * 2);
        hashDatabase[id] = databaseId(database);
        switch (hash.length) {
            case 16 -> sectionMd5.add(hash, size, id);
            case 20 -> sectionSha1.add(hash, size, id);
            default -> sectionSha256.add(hash, size, id);
        }
    }

    void limitation(String what) {
        report.limitation(what);
    }

    int addLogical(LogicalSignature signature) {
        logicals.add(signature);
        return logicals.size() - 1;
    }

    void addBody(BodySignature signature) {
        bodies.add(signature);
    }

    private int databaseId(String database) {
        return databaseIds.computeIfAbsent(database, d -> {
            databases.add(d);
            return databases.size() - 1;
        });
    }

    /** What was loaded so far (also available from the built set). */
    public LoadReport report() { return report; }

    public SignatureSet build() {
        if (built) throw new IllegalStateException("build() already called");
        built = true;
        return new SignatureSet(this, report);
    }
}
