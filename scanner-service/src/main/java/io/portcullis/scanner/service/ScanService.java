package io.portcullis.scanner.service;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.opentelemetry.instrumentation.annotations.SpanAttribute;
import io.opentelemetry.instrumentation.annotations.WithSpan;
import io.portcullis.contracts.events.Envelope;
import io.portcullis.contracts.scan.EngineResult;
import io.portcullis.contracts.scan.Finding;
import io.portcullis.contracts.scan.ScanInput;
import io.portcullis.scanner.content.DlpScanner;
import io.portcullis.scanner.content.MessageText;
import io.portcullis.scanner.content.PolicyText;
import io.portcullis.scanner.content.TextExtractor;
import io.portcullis.scanner.engine.EngineRunner;
import io.portcullis.scanner.mime.Decomposition;
import io.portcullis.scanner.mime.MessageDecomposer;
import io.portcullis.scanner.mime.TrueTypes;
import io.portcullis.contracts.scan.Category;
import io.portcullis.policy.engine.CompiledPolicy;
import io.portcullis.policy.engine.Directory;
import io.portcullis.policy.engine.PolicyInput;
import io.portcullis.scanner.policy.CompiledPolicies;
import io.portcullis.scanner.policy.PolicyDecision;
import io.portcullis.scanner.policy.PolicyEvaluator;
import io.portcullis.scanner.policy.PolicyInputs;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import org.jboss.logging.Logger;

/**
 * The one scan path, used by the Kafka consumer and the synchronous API: decompose, run every engine, apply the
 * current policy snapshot.
 */
@ApplicationScoped
public class ScanService {
    private static final Logger LOG = Logger.getLogger(ScanService.class);
    /** Failure finding when policy scopes could not be resolved in the directory. */
    public static final String DIRECTORY_FAIL = "POLICY_DIRECTORY_FAIL";

    private final MessageDecomposer decomposer;
    private final EngineRunner engines;
    private final PolicyEvaluator evaluator;
    private final CompiledPolicies policy;
    private final Directory directory;
    private final TextExtractor text;
    private final DlpScanner dlp;
    private final MeterRegistry registry;
    private final TrueTypes types;
    private final Timer duration;

    public ScanService(MessageDecomposer decomposer, EngineRunner engines, PolicyEvaluator evaluator,
            CompiledPolicies policy, Directory directory, TextExtractor text, DlpScanner dlp, MeterRegistry registry,
            TrueTypes types) {
        this.types = types;
        this.decomposer = decomposer;
        this.engines = engines;
        this.evaluator = evaluator;
        this.policy = policy;
        this.directory = directory;
        this.text = text;
        this.dlp = dlp;
        this.registry = registry;
        this.duration = Timer.builder("portcullis.scanner.scan.duration")
                .description("Time to decompose, scan and evaluate one message")
                .publishPercentileHistogram()
                .register(registry);
    }

    /**
     * Scans one message; never throws for any message content.
     *
     * @param messageId     the queue id (or a generated id for the API), for logs and spans
     * @param envelope      the SMTP envelope, or null
     * @param raw           the raw RFC 822 bytes
     * @param extraFindings findings established before scanning (e.g. a body truncated to the size limit)
     */
    public ScanOutcome scan(String messageId, Envelope envelope, byte[] raw, List<Finding> extraFindings) {
        return scan(messageId, ScanInput.DEFAULT_TENANT, envelope, raw, extraFindings);
    }

    /**
     * Scans one message of a tenant (engines that keep per-tenant data, the Bayes engine's learned counts, use it);
     * never throws for any message content.
     */
    @WithSpan("ScanService.scan")
    public ScanOutcome scan(@SpanAttribute("portcullis.message_id") String messageId, String tenant,
            Envelope envelope, byte[] raw, List<Finding> extraFindings) {
        Timer.Sample sample = Timer.start(registry);
        CompiledPolicy compiled = policy.current();
        Decomposition parts = decomposer.decompose(raw);
        List<EngineResult> results = engines.run(new ScanInput(messageId, tenant, envelope, parts.items()));
        List<Finding> findings = new ArrayList<>(extraFindings);
        findings.addAll(parts.findings());
        results.forEach(r -> findings.addAll(r.findings()));
        Map<String, String> versions = engineVersions(results);
        io.portcullis.policy.engine.MessageText content = io.portcullis.policy.engine.MessageText.EMPTY;
        if (compiled.needsText() || !compiled.dlpTemplates().isEmpty()) {
            // only when a rule reads text: extraction is the most expensive step of a scan
            MessageText extracted = text.extract(messageId, parts);
            content = PolicyText.of(extracted);
            findings.addAll(PolicyText.unreadable(extracted));
            findings.addAll(dlp.scan(content, compiled.dlpTemplates()));
        }
        // attachment true types: those the file-type engine detected are reused (TrueTypes), not detected again
        PolicyInput input = PolicyInputs.of(envelope, raw.length, findings, parts, java.time.Instant.now(), content,
                types);
        PolicyDecision decision = decide(messageId, input, compiled);
        sample.stop(duration);
        Counter.builder("portcullis.scanner.verdicts")
                .description("Verdicts issued, by action")
                .tag("action", decision.action().name().toLowerCase(Locale.ROOT))
                .register(registry)
                .increment();
        ScanOutcome outcome = new ScanOutcome(messageId, input.findings(), decision, parts.subject(),
                parts.headerMessageId(), versions, raw.length, PolicyInputs.meta(input.attachments()));
        LOG.infof("scanned %s: action=%s rule=%s symbols=%s items=%d policyVersion=%d engineVersions=%s", messageId,
                decision.action(), decision.ruleId(), outcome.symbols(), parts.items().size(),
                decision.policyVersion(), versions);
        return outcome;
    }

    /**
     * Evaluates the policy. When a rule's scope needs the directory and it can't answer, the message gets a
     * {@value #DIRECTORY_FAIL} failure finding and is decided again with every sender- or recipient-scoped rule left
     * out: a scan failure, which the policy (or the fail-safe) quarantines, never a verdict as if the user were in no
     * group.
     */
    private PolicyDecision decide(String messageId, PolicyInput input, CompiledPolicy compiled) {
        try {
            return evaluator.evaluate(input, compiled, directory);
        } catch (Directory.DirectoryUnavailableException e) {
            LOG.warnf("%s: directory unavailable for policy scopes: %s", messageId, e.getMessage());
            List<Finding> findings = new ArrayList<>(input.findings());
            findings.add(new Finding(DIRECTORY_FAIL, Category.FAILURE, 0, "directory unavailable: " + e.getMessage()));
            PolicyInput failed = input.withFindings(findings);
            return evaluator.evaluateWithoutDirectory(failed, compiled);
        }
    }

    /** Engine name → data version, for the engines whose result carries one (sorted by engine name). */
    static Map<String, String> engineVersions(List<EngineResult> results) {
        Map<String, String> versions = new TreeMap<>();
        for (EngineResult r : results) {
            if (r.version() != null && !r.version().isBlank()) {
                versions.put(r.engine(), r.version());
            }
        }
        return versions;
    }
}
