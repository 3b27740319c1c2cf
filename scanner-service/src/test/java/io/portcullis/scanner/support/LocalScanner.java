package io.portcullis.scanner.support;

import io.portcullis.contracts.policy.PolicySnapshot;
import io.portcullis.contracts.scan.EngineResult;
import io.portcullis.contracts.scan.Finding;
import io.portcullis.contracts.scan.ScanEngine;
import io.portcullis.contracts.scan.ScanInput;
import io.portcullis.scanner.engine.BayesEngine;
import io.portcullis.scanner.engine.BlockedAttachmentEngine;
import io.portcullis.scanner.engine.EngineRunner;
import io.portcullis.scanner.engine.GtubeEngine;
import io.portcullis.scanner.engine.HtmlActiveContentEngine;
import io.portcullis.scanner.engine.MacroEngine;
import io.portcullis.scanner.engine.PackerEngine;
import io.portcullis.scanner.engine.PdfActiveContentEngine;
import io.portcullis.scanner.engine.SignatureEngine;
import io.portcullis.scanner.mime.Decomposition;
import io.portcullis.scanner.mime.DecompositionLimits;
import io.portcullis.scanner.mime.MessageDecomposer;
import io.portcullis.scanner.policy.DefaultPolicy;
import io.portcullis.scanner.policy.PolicyDecision;
import io.portcullis.scanner.policy.PolicyEvaluator;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/** The scan pipeline without CDI: decomposer, the real engines, the evaluator and the default policy. */
public final class LocalScanner implements AutoCloseable {
    /** The shipped spam model, loaded once for all tests (immutable and thread-safe). */
    private static final io.portcullis.spam.SpamModel SPAM_MODEL = BayesEngine.load(java.util.Optional.empty());
    private final MessageDecomposer decomposer;
    private final EngineRunner runner;
    private final PolicySnapshot policy;

    public LocalScanner() {
        this(DecompositionLimits.DEFAULTS);
    }

    public LocalScanner(DecompositionLimits limits) {
        this(limits, List.of());
    }

    /** With the signature databases of {@code signatureDirs} loaded next to the bundled base database. */
    public LocalScanner(DecompositionLimits limits, List<java.nio.file.Path> signatureDirs) {
        this.policy = DefaultPolicy.SNAPSHOT;
        this.decomposer = new MessageDecomposer(limits);
        List<ScanEngine> engines = List.of(new SignatureEngine(signatureDirs), new GtubeEngine(),
                new BlockedAttachmentEngine(() -> policy), new io.portcullis.scanner.engine.FileTypeEngine(() -> policy),
                new MacroEngine(4 << 20),
                new PdfActiveContentEngine(50L << 20), new HtmlActiveContentEngine(10 << 20), new PackerEngine(),
                new BayesEngine(SPAM_MODEL));
        this.runner = new EngineRunner(engines, Duration.ofSeconds(30), 3);
    }

    /** What one scan produced. */
    public record Result(Decomposition decomposition, List<Finding> findings, PolicyDecision decision) {
        /**
         * The default policy's decision on {@link #nonBayesFindings()}: for tests of other engines whose minimal test
         * messages (e.g. an attachment with two words of text) the statistical classifier may rightly find spammy.
         */
        public PolicyDecision decisionWithoutBayes() {
            return new PolicyEvaluator().evaluate(nonBayesFindings(), DefaultPolicy.SNAPSHOT);
        }

        /** The Bayes engine's contribution to the spam score (its one BAYES_xx finding). */
        public double bayesScore() {
            List<Finding> b = findings.stream().filter(f -> f.symbol().startsWith("BAYES_")).toList();
            if (b.size() != 1) {
                throw new AssertionError("expected one BAYES_xx finding: " + findings);
            }
            return b.get(0).score();
        }

        public List<String> symbols() {
            return findings.stream().map(Finding::symbol).distinct().toList();
        }

        /** The findings of every engine but the Bayes classifier (which adds one BAYES_xx finding to every scan). */
        public List<Finding> nonBayesFindings() {
            return findings.stream().filter(f -> !f.symbol().startsWith("BAYES_")).toList();
        }

        public List<String> details(String symbol) {
            return findings.stream().filter(f -> f.symbol().equals(symbol)).map(Finding::detail).toList();
        }
    }

    public Result scan(byte[] raw) {
        Decomposition d = decomposer.decompose(raw);
        List<EngineResult> results = runner.run(new ScanInput("test", null, d.items()));
        List<Finding> findings = new ArrayList<>(d.findings());
        results.forEach(r -> findings.addAll(r.findings()));
        return new Result(d, findings, new PolicyEvaluator().evaluate(findings, policy));
    }

    @Override
    public void close() {
        runner.close();
    }
}
