package io.portcullis.scanner.policy;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.portcullis.contracts.policy.PolicySnapshot;
import io.portcullis.policy.engine.CompiledPolicy;
import io.portcullis.policy.engine.PolicyValidationException;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.concurrent.atomic.AtomicReference;
import org.jboss.logging.Logger;

/**
 * The current policy snapshot, compiled once per snapshot. policy-service validates rules with the same library, so a
 * snapshot that does not compile means versions disagree: it is not used, the last good one stays (and a counter and
 * an error log say so); before any good one, the built-in {@link DefaultPolicy}.
 */
@ApplicationScoped
public class CompiledPolicies {
    private static final Logger LOG = Logger.getLogger(CompiledPolicies.class);

    private final PolicySource source;
    private final Counter refused;
    private final AtomicReference<Entry> current = new AtomicReference<>();

    private record Entry(PolicySnapshot snapshot, CompiledPolicy compiled) {
    }

    public CompiledPolicies(PolicySource source, MeterRegistry registry) {
        this.source = source;
        this.refused = Counter.builder("portcullis.scanner.policy.refused")
                .description("Policy snapshots that did not compile and were not used")
                .register(registry);
    }

    /** The compiled form of the current snapshot (or of the last one that compiled). */
    public CompiledPolicy current() {
        PolicySnapshot snapshot = source.current();
        Entry e = current.get();
        if (e != null && e.snapshot() == snapshot) {
            return e.compiled();
        }
        try {
            Entry fresh = new Entry(snapshot, CompiledPolicy.compile(snapshot));
            current.set(fresh);
            return fresh.compiled();
        } catch (PolicyValidationException ex) {
            refused.increment();
            LOG.errorf("policy snapshot version %d does not compile, keeping version %d: %s", snapshot.version(),
                    e == null ? DefaultPolicy.SNAPSHOT.version() : e.snapshot().version(), ex.getMessage());
            if (e == null) {
                e = new Entry(snapshot, CompiledPolicy.compile(DefaultPolicy.SNAPSHOT));
                // remember the refused snapshot so it is not compiled again for every message
                current.set(e);
            } else {
                current.set(new Entry(snapshot, e.compiled()));
            }
            return e.compiled();
        }
    }
}
