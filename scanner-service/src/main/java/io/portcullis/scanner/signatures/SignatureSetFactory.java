package io.portcullis.scanner.signatures;

import io.portcullis.av.LoadOptions;
import io.portcullis.av.SignatureLoadException;
import io.portcullis.av.SignatureSet;
import io.portcullis.av.SignatureSetBuilder;
import io.portcullis.av.SignatureStats;
import io.portcullis.scanner.config.ScannerConfig;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.stream.Stream;
import org.jboss.logging.Logger;

/**
 * Builds complete signature sets: always the bundled base database ({@code classpath:signatures/portcullis-base.*},
 * the EICAR test file) first, then every database file of the configured directories, then (for an update) the files
 * of a signature bundle. Loading is strict: a bad line fails the whole set, naming {@code file:line}.
 *
 * <p>With Smart Scan, every database is loaded without its whole-file hash signatures ({@code .hdb}/{@code .hsb},
 * also inside {@code .cvd}): those are asked from the central hash-reputation service instead.
 */
@ApplicationScoped
public class SignatureSetFactory {
    /** Bundled databases under {@code signatures/} on the classpath, always loaded first. */
    static final List<String> BUNDLED = List.of("portcullis-base.hdb", "portcullis-base.ndb");
    /** Version of the set made of the bundled base database alone. */
    public static final String BASE_VERSION = "base";

    private static final Logger LOG = Logger.getLogger(SignatureSetFactory.class);

    private final List<Path> dirs;
    private final boolean includeHashes;

    @Inject
    public SignatureSetFactory(ScannerConfig config) {
        this(config.scanner().signatures().dirs().orElse(List.of()), !config.scanner().smartScan().enabled());
    }

    /**
     * @param dirs          directories whose database files (by extension, not recursive, in name order) are loaded
     * @param includeHashes false for Smart Scan: whole-file hash databases are left out
     */
    public SignatureSetFactory(List<Path> dirs, boolean includeHashes) {
        this.dirs = List.copyOf(dirs);
        this.includeHashes = includeHashes;
    }

    /** Whether whole-file hash signatures are loaded (false with Smart Scan). */
    public boolean includesHashes() {
        return includeHashes;
    }

    /**
     * The start-up set: bundled base database plus the configured directories. Version {@code base}, or
     * {@code local-<first 12 hex digits of the SHA-256 over the directory files' names and contents>}.
     *
     * @throws IllegalStateException naming the file (and line) of a bad database, or a missing directory
     */
    public LoadedSignatures startup() {
        try {
            SignatureSetBuilder builder = SignatureSet.builder(options());
            int files = loadBase(builder);
            MessageDigest localHash = sha256();
            int local = loadDirs(builder, localHash);
            String version = local == 0 ? BASE_VERSION
                    : "local-" + HexFormat.of().formatHex(localHash.digest()).substring(0, 12);
            SignatureSet set = builder.build();
            log(version, files + local, set);
            return new LoadedSignatures(version, set, Instant.now(), local == 0 ? "bundled" : "bundled+dirs");
        } catch (SignatureLoadException e) {
            throw new IllegalStateException("signature database " + e.getMessage(), e);
        }
    }

    /**
     * A set with a bundle on top of the bundled base database and the configured directories (re-read now).
     *
     * @throws SignatureLoadException naming the file and line of the first bad database (bundle files are named
     *                                {@code <version>/<file>})
     */
    public LoadedSignatures withBundle(BundleRef ref, List<BundleFile> bundle) throws SignatureLoadException {
        SignatureSetBuilder builder = SignatureSet.builder(options());
        int files = loadBase(builder) + loadDirs(builder, sha256());
        for (BundleFile f : bundle) {
            builder.load(ref.version() + "/" + f.name(), f.content());
            files++;
        }
        SignatureSet set = builder.build();
        log(ref.version(), files, set);
        return new LoadedSignatures(ref.version(), set, Instant.now(),
                "bundle " + ref.location() + " (" + ref.reason() + ")");
    }

    private LoadOptions options() {
        LoadOptions strict = LoadOptions.strictOptions();
        return includeHashes ? strict : strict.withoutHashes();
    }

    private static int loadBase(SignatureSetBuilder builder) throws SignatureLoadException {
        for (String name : BUNDLED) {
            builder.load(name, bundled(name));
        }
        return BUNDLED.size();
    }

    private int loadDirs(SignatureSetBuilder builder, MessageDigest hash) throws SignatureLoadException {
        int files = 0;
        for (Path dir : dirs) {
            for (Path file : databaseFiles(dir)) {
                byte[] content = read(file);
                hash.update(file.toString().getBytes(StandardCharsets.UTF_8));
                hash.update((byte) 0);
                hash.update(content);
                builder.load(file.toString(), content);
                files++;
            }
        }
        return files;
    }

    private static void log(String version, int files, SignatureSet set) {
        SignatureStats st = set.stats();
        LOG.infof("signature set %s built from %d databases: %s; hashes md5=%d sha1=%d sha256=%d; body=%d logical=%d; "
                        + "prefilter keys=%d; about %d KiB", version, files, st.signaturesByFormat(), st.md5Hashes(),
                st.sha1Hashes(), st.sha256Hashes(), st.bodySignatures(), st.logicalSignatures(), st.automatonStates(),
                st.approximateBytes() / 1024);
        if (!set.loadReport().unsupported().isEmpty() || !set.loadReport().limitations().isEmpty()) {
            LOG.warnf("signature set %s: not supported %s; approximated %s", version,
                    set.loadReport().unsupported(), set.loadReport().limitations());
        }
        if (!set.loadReport().skipped().isEmpty()) {
            LOG.infof("signature set %s: hash databases left to Smart Scan: %s", version, set.loadReport().skipped());
        }
        if (set.loadReport().skippedByFunctionalityLevel() > 0) {
            LOG.infof("signature set %s: %d signatures skipped: they need another engine functionality level", version,
                    set.loadReport().skippedByFunctionalityLevel());
        }
        if (!set.loadReport().errors().isEmpty()) {
            // lines of ClamAV containers this engine cannot parse (plain databases are strict and never get here)
            LOG.warnf("signature set %s: %d lines of ClamAV containers not loaded (features not supported), first: %s",
                    version, set.loadReport().errors().size(), set.loadReport().errors().get(0).getMessage());
        }
    }

    private static byte[] bundled(String name) throws SignatureLoadException {
        try (InputStream in = SignatureSetFactory.class.getClassLoader().getResourceAsStream("signatures/" + name)) {
            if (in == null) {
                throw new SignatureLoadException("classpath:signatures/" + name, 0, "bundled database missing");
            }
            return in.readAllBytes();
        } catch (IOException e) {
            throw new SignatureLoadException("classpath:signatures/" + name, 0, "cannot read: " + e.getMessage(), e);
        }
    }

    private static List<Path> databaseFiles(Path dir) throws SignatureLoadException {
        if (!Files.isDirectory(dir)) {
            throw new SignatureLoadException(dir.toString(), 0,
                    "not a directory (portcullis.scanner.signatures.dirs)");
        }
        try (Stream<Path> list = Files.list(dir)) {
            return list.filter(Files::isRegularFile)
                    .filter(f -> SignatureBundleReader.EXTENSIONS.contains(extension(f))).sorted().toList();
        } catch (IOException | UncheckedIOException e) {
            throw new SignatureLoadException(dir.toString(), 0, "cannot list: " + e.getMessage(), e);
        }
    }

    private static byte[] read(Path file) throws SignatureLoadException {
        try {
            return Files.readAllBytes(file);
        } catch (IOException e) {
            throw new SignatureLoadException(file.toString(), 0, "cannot read: " + e.getMessage(), e);
        }
    }

    private static String extension(Path file) {
        String name = file.getFileName().toString();
        int dot = name.lastIndexOf('.');
        return dot < 0 ? "" : name.substring(dot + 1).toLowerCase(Locale.ROOT);
    }

    private static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
