package io.portcullis.scanner.release;

import io.opentelemetry.instrumentation.annotations.SpanAttribute;
import io.opentelemetry.instrumentation.annotations.WithSpan;
import io.portcullis.contracts.events.Envelope;
import io.portcullis.contracts.scan.Category;
import io.portcullis.contracts.scan.EngineResult;
import io.portcullis.contracts.scan.Finding;
import io.portcullis.contracts.scan.ScanInput;
import io.portcullis.scanner.config.ScannerConfig;
import io.portcullis.scanner.engine.EngineRunner;
import io.portcullis.scanner.mime.Decomposition;
import io.portcullis.scanner.mime.MessageDecomposer;
import io.portcullis.scanner.policy.PolicyInputs;
import io.quarkus.runtime.Startup;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import org.jboss.logging.Logger;

/**
 * Rescans a released message with the current data of the threat engines ({@link ThreatEngines}), no policy: a
 * finding of a threat category is a threat, any failure finding makes it unscannable, else it is clean. An engine that
 * failed or timed out is tried again (up to {@code portcullis.scanner.release.attempts} scans with doubling delays)
 * before the message counts as unscannable; a failure is never clean. Created at start-up, so that an engine that is
 * not classified for the rescan fails there.
 */
@Startup
@ApplicationScoped
public class ReleaseRescanner {
    private static final Logger LOG = Logger.getLogger(ReleaseRescanner.class);

    private final MessageDecomposer decomposer;
    private final EngineRunner engines;
    private final Set<Category> threats;
    private final int attempts;
    private final Duration retryDelay;

    @Inject
    public ReleaseRescanner(MessageDecomposer decomposer, EngineRunner engines, ScannerConfig config) {
        this(decomposer, engines, config.scanner().release().threatCategories(),
                config.scanner().release().attempts(), config.scanner().release().retryDelay());
    }

    public ReleaseRescanner(MessageDecomposer decomposer, EngineRunner engines, List<Category> threats, int attempts,
            Duration retryDelay) {
        ThreatEngines.check(engines.engines());
        this.decomposer = decomposer;
        this.engines = engines;
        this.threats = threats.isEmpty() ? EnumSet.noneOf(Category.class) : EnumSet.copyOf(threats);
        this.attempts = attempts;
        this.retryDelay = retryDelay;
    }

    /**
     * Rescans; never throws for any content. Blocks while waiting to retry after an engine failure.
     *
     * @param extraFindings findings established before (e.g. the body was cut to the size limit)
     */
    @WithSpan("ReleaseRescanner.rescan")
    public RescanOutcome rescan(@SpanAttribute("portcullis.message_id") String verdictId, String tenant,
            Envelope envelope, byte[] raw, List<Finding> extraFindings) {
        Decomposition parts = decomposer.decompose(raw);
        Duration delay = retryDelay;
        List<EngineResult> results = List.of();
        int scan = 1;
        for (;; scan++) {
            results = engines.run(new ScanInput(verdictId, tenant, envelope, parts.items()),
                    ThreatEngines::runsOnRelease);
            boolean engineFailed = results.stream().anyMatch(r -> r.status() != EngineResult.Status.OK);
            if (!engineFailed || scan >= attempts || threat(findings(extraFindings, parts, results))) {
                break;
            }
            LOG.warnf("release %s: an engine failed on scan %d of %d, scanning again in %s", verdictId, scan, attempts,
                    delay);
            if (!sleep(delay)) {
                break;
            }
            delay = delay.multipliedBy(2);
        }
        List<Finding> findings = findings(extraFindings, parts, results);
        RescanOutcome.Result result = threat(findings) ? RescanOutcome.Result.THREAT
                : findings.stream().anyMatch(f -> f.category() == Category.FAILURE) ? RescanOutcome.Result.UNSCANNABLE
                : RescanOutcome.Result.CLEAN;
        Map<String, String> versions = new TreeMap<>();
        results.stream().filter(r -> r.version() != null && !r.version().isBlank())
                .forEach(r -> versions.put(r.engine(), r.version()));
        var attachments = PolicyInputs.meta(PolicyInputs.of(envelope, raw.length, findings, parts, Instant.now())
                .attachments());
        return new RescanOutcome(result, findings, versions, parts.subject(), parts.headerMessageId(), raw.length,
                attachments, scan);
    }

    private boolean threat(List<Finding> findings) {
        return findings.stream().anyMatch(f -> threats.contains(f.category()));
    }

    private static List<Finding> findings(List<Finding> extra, Decomposition parts, List<EngineResult> results) {
        List<Finding> all = new ArrayList<>(extra);
        all.addAll(parts.findings());
        results.forEach(r -> all.addAll(r.findings()));
        return all;
    }

    private static boolean sleep(Duration d) {
        try {
            Thread.sleep(d.toMillis());
            return true;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }
}
