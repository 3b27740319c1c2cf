package io.portcullis.scanner.engine;

import io.portcullis.av.Match;
import io.portcullis.av.ScanSession;
import io.portcullis.av.SignatureSet;
import io.portcullis.av.ThreatCategory;
import io.portcullis.contracts.scan.Category;
import io.portcullis.contracts.scan.EngineResult;
import io.portcullis.contracts.scan.Finding;
import io.portcullis.contracts.scan.ScanEngine;
import io.portcullis.contracts.scan.ScanInput;
import io.portcullis.contracts.scan.ScanItem;
import io.portcullis.scanner.signatures.FileHashes;
import io.portcullis.scanner.signatures.LoadedSignatures;
import io.portcullis.scanner.signatures.SignatureHolder;
import io.portcullis.scanner.signatures.SignatureSetFactory;
import io.portcullis.scanner.signatures.SmartScan;
import io.quarkus.runtime.Startup;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * The antivirus engine: ClamAV-format signatures (av-engine) over every item of a message (raw message, decoded
 * parts, archive entries), body signatures and whole-item hashes in one pass per item.
 *
 * <p>The signature set comes from {@link SignatureHolder}: loaded at start-up from the bundled base database
 * ({@code classpath:signatures/portcullis-base.*}, the EICAR test file) and every database file in
 * {@code portcullis.scanner.signatures.dirs} (strict: a bad line fails start-up naming {@code file:line}), then
 * replaced atomically by signature updates. The engine reads the holder once per message and scans every item of the
 * message with that one set; the result carries its version ({@link EngineResult#version()}).
 *
 * <p>Findings: one per distinct (signature name, item path), symbol {@code AV_<category>} ({@code AV_TEST},
 * {@code AV_TROJAN}, ...; category GRAYWARE for spyware/adware/dialer/PUA, else VIRUS; score 0, detail {@code <signature> in <path>}); a body and a hash signature
 * of the same name on the same item are one finding. An item whose verification hit the engine's step cap gets an
 * {@code AV_LIMIT} failure finding: it was not fully scanned, so it is never reported clean.
 *
 * <p>With Smart Scan the set holds no whole-file hashes: every non-empty item's MD5/SHA-1/SHA-256 goes to
 * {@link SmartScan} (one lookup per message); a MALICIOUS answer is the same {@code AV_<category>} finding with
 * detail {@code <signature> in <path> (smart scan)}, and items the central service did not answer get one
 * {@code AV_SMART_SCAN_FAIL} failure finding for the message.
 */
@ApplicationScoped
@Startup
public class SignatureEngine implements ScanEngine {
    public static final String FAILURE_SYMBOL = "AV_FAIL";
    public static final String LIMIT_SYMBOL = "AV_LIMIT";
    /** Items whose whole-file hashes the central reputation service did not answer (Smart Scan). */
    public static final String SMART_SCAN_FAIL_SYMBOL = "AV_SMART_SCAN_FAIL";

    private static final int PATHS_IN_DETAIL = 5;

    private final SignatureHolder holder;
    private final SmartScan smartScan;

    @Inject
    public SignatureEngine(SignatureHolder holder, SmartScan smartScan) {
        this.holder = holder;
        this.smartScan = smartScan;
    }

    /**
     * A fixed set: the bundled databases and every database file (by extension, not recursive, in name order) of
     * {@code dirs}; no updates, no Smart Scan.
     *
     * @throws IllegalStateException naming the file (and line) of a bad database, or a missing directory
     */
    public SignatureEngine(List<Path> dirs) {
        this(new SignatureHolder(new SignatureSetFactory(dirs, true).startup(), null), SmartScan.DISABLED);
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
        LoadedSignatures loaded = holder.current(); // once: every item of this message sees the same set
        SignatureSet signatures = loaded.set();
        List<Finding> findings = new ArrayList<>();
        Set<String> seen = new HashSet<>();
        List<Hashed> hashed = new ArrayList<>();
        for (ScanItem item : input.items()) {
            if (Thread.currentThread().isInterrupted()) { // the runner gave up on this scan (timeout): stop
                return EngineResult.failed(name(), EngineResult.Status.FAILED, FAILURE_SYMBOL,
                        "antivirus scan interrupted at " + item.path());
            }
            byte[] content = item.content();
            if (content == null) {
                continue;
            }
            // the whole item at once: no copy, digests only when a hash signature has this size
            ScanSession session = signatures.newSession(content.length);
            for (Match m : session.scanAll(content)) {
                if (seen.add(m.signature() + '\u0000' + item.path())) {
                    findings.add(new Finding(symbol(m.category()), category(m.category()), 0,
                            m.signature() + " in " + item.path()));
                }
            }
            if (session.abandonedVerifications() > 0 && seen.add(LIMIT_SYMBOL + '\u0000' + item.path())) {
                findings.add(new Finding(LIMIT_SYMBOL, Category.FAILURE, 0, session.abandonedVerifications()
                        + " signature verifications over the step limit in " + item.path()));
            }
            // the raw message (depth 0) is unique per message: asking the central hashes for it would cost a request
            // per message and can never hit the cache
            if (smartScan.enabled() && content.length > 0 && item.depth() > 0) {
                hashed.add(new Hashed(item.path(), FileHashes.of(content)));
            }
        }
        if (!hashed.isEmpty()) {
            smartScanFindings(hashed, findings, seen);
        }
        return EngineResult.ok(name(), findings, loaded.version());
    }

    private void smartScanFindings(List<Hashed> hashed, List<Finding> findings, Set<String> seen) {
        SmartScan.Answer answer = smartScan.lookup(hashed.stream().map(Hashed::hashes).toList());
        Set<FileHashes> uncovered = new HashSet<>(answer.uncovered());
        List<String> uncoveredPaths = new ArrayList<>();
        for (Hashed h : hashed) {
            SmartScan.Verdict v = answer.verdicts().get(h.hashes());
            if (v == null || uncovered.contains(h.hashes())) {
                uncoveredPaths.add(h.path());
            } else if (v.malicious() && seen.add(v.signature() + '\u0000' + h.path())) {
                findings.add(new Finding(symbol(v.category()), category(v.category()), 0,
                        v.signature() + " in " + h.path() + " (smart scan)"));
            }
        }
        if (!uncoveredPaths.isEmpty()) {
            String paths = String.join(", ", uncoveredPaths.subList(0, Math.min(PATHS_IN_DETAIL,
                    uncoveredPaths.size()))) + (uncoveredPaths.size() > PATHS_IN_DETAIL ? ", ..." : "");
            findings.add(new Finding(SMART_SCAN_FAIL_SYMBOL, Category.FAILURE, 0, "central hash reputation "
                    + "unavailable (" + answer.failure() + "): " + uncoveredPaths.size()
                    + " items not checked by hash: " + paths));
        }
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

    /** The set in use (for tests and status). */
    SignatureSet signatures() {
        return holder.current().set();
    }

    private record Hashed(String path, FileHashes hashes) {
    }
}
