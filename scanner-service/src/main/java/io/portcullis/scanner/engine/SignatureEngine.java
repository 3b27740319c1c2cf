package io.portcullis.scanner.engine;

import io.portcullis.av.LoadOptions;
import io.portcullis.av.Match;
import io.portcullis.av.ScanSession;
import io.portcullis.av.SignatureLoadException;
import io.portcullis.av.SignatureSet;
import io.portcullis.av.SignatureSetBuilder;
import io.portcullis.av.SignatureStats;
import io.portcullis.av.ThreatCategory;
import io.portcullis.contracts.scan.Category;
import io.portcullis.contracts.scan.EngineResult;
import io.portcullis.contracts.scan.Finding;
import io.portcullis.contracts.scan.ScanEngine;
import io.portcullis.contracts.scan.ScanInput;
import io.portcullis.contracts.scan.ScanItem;
import io.portcullis.scanner.config.ScannerConfig;
import io.quarkus.runtime.Startup;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.stream.Stream;
import org.jboss.logging.Logger;

/**
 * The antivirus engine: ClamAV-format signatures (av-engine) over every item of a message (raw message, decoded
 * parts, archive entries), body signatures and whole-item hashes in one pass per item.
 *
 * <p>One immutable {@link SignatureSet} is loaded at start-up from the bundled base database
 * ({@code classpath:signatures/portcullis-base.*}, the EICAR test file) and every database file in
 * {@code portcullis.scanner.signatures.dirs}. Loading is strict: a bad line fails start-up naming {@code file:line}.
 *
 * <p>Findings: one per distinct (signature name, item path), symbol {@code AV_<category>} ({@code AV_TEST},
 * {@code AV_TROJAN}, ...; category GRAYWARE for spyware/adware/dialer/PUA, else VIRUS; score 0, detail {@code <signature> in <path>}); a body and a hash signature
 * of the same name on the same item are one finding. An item whose verification hit the engine's step cap gets an
 * {@code AV_LIMIT} failure finding: it was not fully scanned, so it is never reported clean.
 */
@ApplicationScoped
@Startup
public class SignatureEngine implements ScanEngine {
    public static final String FAILURE_SYMBOL = "AV_FAIL";
    public static final String LIMIT_SYMBOL = "AV_LIMIT";
    /** Bundled databases under {@code signatures/} on the classpath, always loaded first. */
    static final List<String> BUNDLED = List.of("portcullis-base.hdb", "portcullis-base.ndb");
    /** Extensions of database files picked up from the configured directories. */
    static final Set<String> EXTENSIONS = Set.of("hdb", "hsb", "ndb", "ldb", "cvd", "cld");

    private static final Logger LOG = Logger.getLogger(SignatureEngine.class);
    private static final int SLICE = 1 << 20;

    private final SignatureSet signatures;

    @Inject
    public SignatureEngine(ScannerConfig config) {
        this(config.scanner().signatures().dirs().orElse(List.of()));
    }

    /**
     * Loads the bundled databases and every database file (by extension, not recursive, in name order) of
     * {@code dirs}.
     *
     * @throws IllegalStateException naming the file (and line) of a bad database, or a missing directory
     */
    public SignatureEngine(List<Path> dirs) {
        SignatureSetBuilder builder = SignatureSet.builder(LoadOptions.strictOptions());
        int files = 0;
        try {
            for (String name : BUNDLED) {
                builder.load(name, bundled(name));
                files++;
            }
            for (Path dir : dirs) {
                for (Path file : databaseFiles(dir)) {
                    builder.load(file.toString(), read(file));
                    files++;
                }
            }
        } catch (SignatureLoadException e) {
            throw new IllegalStateException("signature database " + e.getMessage(), e);
        }
        this.signatures = builder.build();
        SignatureStats st = signatures.stats();
        LOG.infof("signatures loaded from %d databases: %s; hashes md5=%d sha1=%d sha256=%d; body=%d logical=%d; "
                        + "automaton states=%d; about %d KiB", files, st.signaturesByFormat(), st.md5Hashes(),
                st.sha1Hashes(), st.sha256Hashes(), st.bodySignatures(), st.logicalSignatures(), st.automatonStates(),
                st.approximateBytes() / 1024);
        if (!signatures.loadReport().unsupported().isEmpty() || !signatures.loadReport().limitations().isEmpty()) {
            LOG.warnf("signature databases: not supported %s; approximated %s",
                    signatures.loadReport().unsupported(), signatures.loadReport().limitations());
        }
    }

    @Override
    public String name() {
        return "antivirus";
    }

    @Override
    public String failureSymbol() {
        return FAILURE_SYMBOL;
    }

    @Override
    public EngineResult scan(ScanInput input) {
        List<Finding> findings = new ArrayList<>();
        Set<String> seen = new HashSet<>();
        for (ScanItem item : input.items()) {
            byte[] content = item.content();
            if (content == null) {
                continue;
            }
            ScanSession session = signatures.newSession();
            for (int p = 0; p < content.length; p += SLICE) {
                session.update(content, p, Math.min(SLICE, content.length - p));
            }
            for (Match m : session.finish()) {
                if (seen.add(m.signature() + '\u0000' + item.path())) {
                    findings.add(new Finding(symbol(m.category()), category(m.category()), 0,
                            m.signature() + " in " + item.path()));
                }
            }
            if (session.abandonedVerifications() > 0 && seen.add(LIMIT_SYMBOL + '\u0000' + item.path())) {
                findings.add(new Finding(LIMIT_SYMBOL, Category.FAILURE, 0, session.abandonedVerifications()
                        + " signature verifications over the step limit in " + item.path()));
            }
        }
        return EngineResult.ok(name(), findings);
    }

    /** {@code AV_} plus the av-engine category name: {@code AV_TEST}, {@code AV_WORM_MASS_MAILER}, ... */
    public static String symbol(ThreatCategory category) {
        return "AV_" + category.name();
    }

    /** GRAYWARE for spyware, adware, dialers and PUA (their own policy class); VIRUS for everything else. */
    public static Category category(ThreatCategory category) {
        return switch (category) {
            case SPYWARE, ADWARE, DIALER, PUA_GRAYWARE -> Category.GRAYWARE;
            default -> Category.VIRUS;
        };
    }

    /** The loaded set (for tests and status). */
    SignatureSet signatures() {
        return signatures;
    }

    private static byte[] bundled(String name) throws SignatureLoadException {
        try (InputStream in = SignatureEngine.class.getClassLoader().getResourceAsStream("signatures/" + name)) {
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
            return list.filter(Files::isRegularFile).filter(f -> EXTENSIONS.contains(extension(f))).sorted().toList();
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
}
