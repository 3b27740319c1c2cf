package io.portcullis.scanner.engine;

import io.portcullis.contracts.scan.Category;
import io.portcullis.contracts.scan.EngineResult;
import io.portcullis.contracts.scan.ScanEngine;
import io.portcullis.contracts.scan.ScanInput;
import io.portcullis.scanner.config.ScannerConfig;
import io.quarkus.runtime.Startup;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Any;
import jakarta.enterprise.inject.Instance;
import jakarta.inject.Inject;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import org.jboss.logging.Logger;

/**
 * Runs every engine on a message in parallel, each within the engine timeout. An exception, a timeout or a result
 * without findings for a failed status becomes {@link EngineResult#failed} with the engine's failure symbol: an engine
 * problem is never a clean result.
 */
@ApplicationScoped
@Startup
public class EngineRunner {
    private static final Logger LOG = Logger.getLogger(EngineRunner.class);

    private final List<ScanEngine> engines;
    private final Duration timeout;
    private final ExecutorService executor;

    @Inject
    public EngineRunner(@Any Instance<ScanEngine> engines, ScannerConfig config) {
        this(engines.stream().toList(), config.scanner().engineTimeout(), config.scanner().engineThreads());
    }

    public EngineRunner(List<ScanEngine> engines, Duration timeout, int threads) {
        List<ScanEngine> sorted = new ArrayList<>(engines);
        sorted.sort(Comparator.comparing(ScanEngine::name));
        Set<String> names = new HashSet<>();
        for (ScanEngine e : sorted) {
            if (e.name() == null || e.failureSymbol() == null || e.failureSymbol().isBlank() || !names.add(e.name())) {
                throw new IllegalStateException("engine " + e.getClass().getName()
                        + " needs a unique name and a failure symbol");
            }
        }
        if (sorted.isEmpty()) {
            throw new IllegalStateException("no scan engines found");
        }
        this.engines = List.copyOf(sorted);
        this.timeout = timeout;
        AtomicInteger n = new AtomicInteger();
        ThreadFactory factory = r -> {
            Thread t = new Thread(r, "scan-engine-" + n.incrementAndGet());
            t.setDaemon(true);
            return t;
        };
        this.executor = Executors.newFixedThreadPool(threads, factory);
        LOG.infof("scan engines: %s (timeout %s)", this.engines.stream().map(ScanEngine::name).toList(), timeout);
    }

    public List<ScanEngine> engines() {
        return engines;
    }

    /** One result per engine, in engine-name order; never throws. */
    public List<EngineResult> run(ScanInput input) {
        return run(input, e -> true);
    }

    /** One result per selected engine, in engine-name order; never throws. */
    public List<EngineResult> run(ScanInput input, java.util.function.Predicate<ScanEngine> selected) {
        long deadline = System.nanoTime() + timeout.toNanos();
        Map<ScanEngine, Future<EngineResult>> running = new LinkedHashMap<>();
        List<EngineResult> results = new ArrayList<>();
        for (ScanEngine engine : engines) {
            if (!selected.test(engine)) {
                continue;
            }
            try {
                running.put(engine, executor.submit(() -> engine.scan(input)));
            } catch (RejectedExecutionException e) {
                running.put(engine, null);
            }
        }
        for (Map.Entry<ScanEngine, Future<EngineResult>> entry : running.entrySet()) {
            results.add(await(entry.getKey(), entry.getValue(), deadline, input.messageId()));
        }
        return results;
    }

    private EngineResult await(ScanEngine engine, Future<EngineResult> future, long deadline, String messageId) {
        if (future == null) {
            return EngineResult.failed(engine.name(), EngineResult.Status.FAILED, engine.failureSymbol(),
                    engine.name() + " could not be started");
        }
        try {
            long remaining = Math.max(0, deadline - System.nanoTime());
            return checked(engine, future.get(remaining, TimeUnit.NANOSECONDS));
        } catch (TimeoutException e) {
            future.cancel(true);
            LOG.warnf("engine %s timed out after %s on %s", engine.name(), timeout, messageId);
            return EngineResult.failed(engine.name(), EngineResult.Status.TIMEOUT, engine.failureSymbol(),
                    engine.name() + " timed out after " + timeout.toMillis() + " ms");
        } catch (ExecutionException e) {
            Throwable cause = e.getCause() == null ? e : e.getCause();
            LOG.warnf(cause, "engine %s failed on %s", engine.name(), messageId);
            return EngineResult.failed(engine.name(), EngineResult.Status.FAILED, engine.failureSymbol(),
                    engine.name() + " failed: " + cause.getClass().getSimpleName());
        } catch (InterruptedException e) {
            future.cancel(true);
            Thread.currentThread().interrupt();
            return EngineResult.failed(engine.name(), EngineResult.Status.FAILED, engine.failureSymbol(),
                    engine.name() + " interrupted");
        }
    }

    /** A result that claims failure without a FAILURE finding, or no result at all, is made an explicit failure. */
    private static EngineResult checked(ScanEngine engine, EngineResult result) {
        if (result == null) {
            return EngineResult.failed(engine.name(), EngineResult.Status.FAILED, engine.failureSymbol(),
                    engine.name() + " returned no result");
        }
        if (result.status() != EngineResult.Status.OK
                && result.findings().stream().noneMatch(f -> f.category() == Category.FAILURE)) {
            return EngineResult.failed(engine.name(), result.status(), engine.failureSymbol(),
                    engine.name() + " reported " + result.status() + " without a failure finding");
        }
        return result;
    }

    /** Stops the engine threads (running engines are interrupted). */
    @PreDestroy
    public void close() {
        executor.shutdownNow();
    }
}
