package io.portcullis.scanner.engine;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.portcullis.contracts.scan.Category;
import io.portcullis.contracts.scan.EngineResult;
import io.portcullis.contracts.scan.Finding;
import io.portcullis.contracts.scan.ScanEngine;
import io.portcullis.contracts.scan.ScanInput;
import io.portcullis.contracts.scan.ScanItem;
import io.portcullis.scanner.config.ScannerConfig;
import io.portcullis.scanner.rules.SpamRuleFiles;
import io.portcullis.scanner.rules.SpamRulesStatus;
import io.portcullis.spam.rules.RuleFileException;
import io.portcullis.spam.rules.RuleHit;
import io.portcullis.spam.rules.RuleLimits;
import io.portcullis.spam.rules.RuleResult;
import io.portcullis.spam.rules.RuleSet;
import io.portcullis.spam.rules.RuleSource;
import io.quarkus.arc.lookup.LookupIfProperty;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import org.jboss.logging.Logger;

/**
 * The spam rule engine: spam-engine's {@link RuleSet} (header, body, rawbody, URI, full and meta rules; format in
 * docs/spam-rules.md) on the raw message (the depth-0 item). One finding per rule that hit: symbol = rule name,
 * category SPAM, the rule's score (negative scores lower the spam score), detail = its description. Policy adds them
 * to the other SPAM scores (the classifier's BAYES_xx among them) and compares the sum with the threshold.
 * The result's version is the rule set's short hash ({@link RuleSet#version()}).
 *
 * <p>Rules: the shipped files ({@link SpamRuleFiles#SHIPPED}) then every {@code *.cf} of
 * {@code portcullis.scanner.rules.dirs}. A bad file or a missing directory fails start-up. Afterwards the directories
 * are read every {@code reload-interval}; when their content changed the whole set is compiled again and swapped in
 * atomically (a scan uses one set from start to end). A file with any error keeps the set in use: the problems are
 * logged, counted ({@code portcullis.spam.rules.reloads{result=failed}}) and shown by
 * {@code GET /api/v1/spam/rules/status} until a good reload.
 *
 * <p>Failure is a value: a missing raw item, an evaluation past {@code portcullis.scanner.rules.timeout} or an
 * unexpected exception gives {@value #FAILURE_SYMBOL}, never a clean result. A message the rules saw only part of
 * (size limits, MIME that did not parse) gets an extra {@value #PARTIAL_SYMBOL} finding, category INFO.
 */
@ApplicationScoped
@LookupIfProperty(name = "portcullis.scanner.rules.enabled", stringValue = "true", lookupIfMissing = true)
public class SpamRulesEngine implements ScanEngine {
    public static final String NAME = "rules";
    public static final String FAILURE_SYMBOL = "RULES_FAIL";
    public static final String PARTIAL_SYMBOL = "RULES_PARTIAL";
    /** Problems kept in the status. */
    static final int STATUS_PROBLEMS = 50;
    private static final Logger LOG = Logger.getLogger(SpamRulesEngine.class);

    /** The set in use and when it was compiled. */
    private record Loaded(RuleSet set, Instant at) {
    }

    private final SpamRuleFiles files;
    private final Duration timeout;
    private final AtomicReference<Loaded> current = new AtomicReference<>();
    private final AtomicReference<SpamRulesStatus.Failure> lastError = new AtomicReference<>();
    private final AtomicReference<Instant> lastCheck = new AtomicReference<>();
    private final AtomicLong reloads = new AtomicLong();
    private final AtomicLong failedReloads = new AtomicLong();
    private final Counter okCounter;
    private final Counter failedCounter;
    private final ScheduledExecutorService scheduler;
    /** Hash of the sources of the last refused reload: the same broken content is not compiled and logged again. */
    private volatile String refusedHash;

    @Inject
    public SpamRulesEngine(ScannerConfig config, MeterRegistry registry) {
        this(new SpamRuleFiles(config.scanner().rules().dirs().orElse(List.of())),
                config.scanner().rules().reloadInterval(), config.scanner().rules().timeout(), registry);
    }

    /**
     * Loads the rules (failing on any problem) and, for a positive interval with directories configured, checks them
     * periodically.
     *
     * @throws IllegalStateException naming every {@code file:line: problem} when the rules cannot be loaded
     */
    public SpamRulesEngine(SpamRuleFiles files, Duration reloadInterval, Duration timeout, MeterRegistry registry) {
        this.files = files;
        this.timeout = timeout;
        List<RuleSource> sources;
        RuleSet set;
        try {
            sources = files.read();
            set = RuleSet.compile(sources, RuleLimits.DEFAULT);
        } catch (IOException | RuleFileException e) {
            throw new IllegalStateException("spam rules cannot be loaded: " + e.getMessage(), e);
        }
        current.set(new Loaded(set, Instant.now()));
        lastCheck.set(Instant.now());
        this.okCounter = Counter.builder("portcullis.spam.rules.reloads").tag("result", "ok")
                .description("spam rule sets swapped in after start-up").register(registry);
        this.failedCounter = Counter.builder("portcullis.spam.rules.reloads").tag("result", "failed")
                .description("spam rule reloads refused (the set in use stayed)").register(registry);
        Gauge.builder("portcullis.spam.rules.count", this, e -> e.current.get().set().ruleCount())
                .description("rules in the spam rule set in use").register(registry);
        Gauge.builder("portcullis.spam.rules.error", this, e -> e.lastError.get() == null ? 0 : 1)
                .description("1 while the last spam rule reload was refused").register(registry);
        LOG.infof("rules: %d rules (%d scored) from %d files, %s", set.ruleCount(), set.scoredRuleCount(),
                set.files().size(), set.version());
        if (!reloadInterval.isZero() && !reloadInterval.isNegative() && !files.dirs().isEmpty()) {
            scheduler = Executors.newSingleThreadScheduledExecutor(r -> {
                Thread t = new Thread(r, "spam-rules-reload");
                t.setDaemon(true);
                return t;
            });
            long ms = reloadInterval.toMillis();
            scheduler.scheduleWithFixedDelay(this::checkQuietly, ms, ms, TimeUnit.MILLISECONDS);
        } else {
            scheduler = null;
        }
    }

    /** @throws IllegalStateException naming the bad key */
    public static void check(ScannerConfig.Scanner s) {
        ScannerConfig.Rules r = s.rules();
        if (r.reloadInterval().isNegative() || r.reloadInterval().isZero()) {
            throw new IllegalStateException("portcullis.scanner.rules.reload-interval must be positive");
        }
        if (r.timeout().isNegative() || r.timeout().isZero() || r.timeout().compareTo(s.engineTimeout()) >= 0) {
            throw new IllegalStateException("portcullis.scanner.rules.timeout must be positive and below "
                    + "portcullis.scanner.engine-timeout, was " + r.timeout());
        }
    }

    @PreDestroy
    void stop() {
        if (scheduler != null) {
            scheduler.shutdownNow();
        }
    }

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public String failureSymbol() {
        return FAILURE_SYMBOL;
    }

    /** The set in use. */
    public RuleSet rules() {
        return current.get().set();
    }

    @Override
    public EngineResult scan(ScanInput input) {
        RuleSet set = current.get().set();
        ScanItem raw = null;
        for (ScanItem item : input.items()) {
            if (item.depth() == 0 && item.content() != null) {
                raw = item;
                break;
            }
        }
        if (raw == null) {
            return EngineResult.failed(NAME, EngineResult.Status.FAILED, FAILURE_SYMBOL, "rules: no raw message");
        }
        RuleResult result;
        try {
            result = set.evaluate(raw.content(), System.nanoTime() + timeout.toNanos());
        } catch (io.portcullis.spam.rules.RuleTimeoutException e) {
            LOG.warnf("rules: evaluation of %s passed %s", input.messageId(), timeout);
            return EngineResult.failed(NAME, EngineResult.Status.TIMEOUT, FAILURE_SYMBOL,
                    "rules: evaluation passed " + timeout.toMillis() + " ms");
        } catch (RuntimeException | StackOverflowError e) {
            LOG.warnf(e, "rules: evaluation of %s failed", input.messageId());
            return EngineResult.failed(NAME, EngineResult.Status.FAILED, FAILURE_SYMBOL,
                    "rules: evaluation failed: " + e.getClass().getSimpleName());
        }
        List<Finding> findings = new ArrayList<>(result.hits().size() + 1);
        for (RuleHit h : result.hits()) {
            findings.add(new Finding(h.name(), Category.SPAM, h.score(),
                    h.description() == null ? "rule " + h.name() : h.description()));
        }
        if (result.partial()) {
            findings.add(new Finding(PARTIAL_SYMBOL, Category.INFO, 0,
                    "rules: evaluated on part of the message (size limit or unparsable MIME)"));
        }
        return EngineResult.ok(NAME, findings, set.version());
    }

    /**
     * Reads the rule files; when their content differs from the set in use (and from the last refused content),
     * compiles them and swaps the new set in, or keeps the set in use and records the problems.
     *
     * @return true when a new set was swapped in
     */
    public synchronized boolean check() {
        lastCheck.set(Instant.now());
        List<RuleSource> sources;
        try {
            sources = files.read();
        } catch (IOException e) {
            SpamRulesStatus.Failure last = lastError.get();
            if (last == null || !last.message().equals(e.getMessage())) { // the same unreadable state is reported once
                refuse(null, e.getMessage(), List.of(e.getMessage()));
            }
            return false;
        }
        String hash = RuleSet.hashOf(sources);
        if (hash.equals(current.get().set().hash()) || hash.equals(refusedHash)) {
            if (hash.equals(current.get().set().hash())) {
                lastError.set(null);
            }
            return false;
        }
        try {
            RuleSet set = RuleSet.compile(sources, RuleLimits.DEFAULT);
            Loaded old = current.getAndSet(new Loaded(set, Instant.now()));
            lastError.set(null);
            refusedHash = null;
            reloads.incrementAndGet();
            okCounter.increment();
            LOG.infof("rules: reloaded %s -> %s (%d rules, %d scored, %d files)", old.set().version(), set.version(),
                    set.ruleCount(), set.scoredRuleCount(), set.files().size());
            return true;
        } catch (RuleFileException e) {
            refuse(hash, e.errors().size() + " problem(s); the set in use (" + current.get().set().version()
                    + ") stays", e.errors());
            return false;
        }
    }

    private void refuse(String hash, String message, List<String> problems) {
        refusedHash = hash;
        failedReloads.incrementAndGet();
        failedCounter.increment();
        lastError.set(new SpamRulesStatus.Failure(Instant.now(), message,
                List.copyOf(problems.subList(0, Math.min(STATUS_PROBLEMS, problems.size())))));
        LOG.errorf("rules: reload refused, keeping %s: %s", current.get().set().version(),
                String.join("; ", problems.subList(0, Math.min(10, problems.size()))));
    }

    private void checkQuietly() {
        try {
            check();
        } catch (RuntimeException e) {
            LOG.errorf(e, "rules: reload check failed");
        }
    }

    /** The status for {@code GET /api/v1/spam/rules/status}. */
    public SpamRulesStatus status() {
        Loaded l = current.get();
        RuleSet s = l.set();
        return new SpamRulesStatus(true, s.version(), s.hash(), s.ruleCount(), s.scoredRuleCount(), s.files(), l.at(),
                lastCheck.get(), reloads.get(), failedReloads.get(), lastError.get());
    }
}
