package io.portcullis.scanner.signatures;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.MultiGauge;
import io.micrometer.core.instrument.Tags;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import org.jboss.logging.Logger;

/**
 * The signature set in use, swapped atomically. Readers take {@link #current()} once and keep using that complete set
 * (a message is never scanned by a half-loaded or mixed set); after a swap the holder keeps no reference to the old
 * set, which becomes garbage once the scans still using it finish.
 *
 * <p>Metrics: {@code portcullis_signatures_info{version,source}} (1 for the set in use) and
 * {@code portcullis_signatures_loaded_seconds} (epoch second of the last swap, or of the start-up load).
 */
@ApplicationScoped
public class SignatureHolder {
    private static final Logger LOG = Logger.getLogger(SignatureHolder.class);

    private final AtomicReference<LoadedSignatures> current;
    private final AtomicLong swaps = new AtomicLong();
    private final MultiGauge info;

    /** Loads the start-up set (fails start-up on a bad configured database) and registers the metrics. */
    @Inject
    public SignatureHolder(SignatureSetFactory factory, MeterRegistry registry) {
        this(factory.startup(), registry);
    }

    /** @param registry where to register the metrics, or null for none */
    public SignatureHolder(LoadedSignatures initial, MeterRegistry registry) {
        this.current = new AtomicReference<>(initial);
        if (registry != null) {
            this.info = MultiGauge.builder("portcullis.signatures.info")
                    .description("The signature set in use (value 1), by version and source kind")
                    .register(registry);
            Gauge.builder("portcullis.signatures.loaded", this,
                            h -> h.current().loadedAt().toEpochMilli() / 1000.0)
                    .description("When the signature set in use was loaded (epoch seconds)")
                    .baseUnit("seconds")
                    .strongReference(true)
                    .register(registry);
            publishInfo(initial);
        } else {
            this.info = null;
        }
        LOG.infof("signature set %s in use (%s)", initial.version(), initial.source());
    }

    /** The complete set in use; read it once per message. */
    public LoadedSignatures current() {
        return current.get();
    }

    /** Makes {@code next} the set in use for every scan that starts from now on. */
    public void swap(LoadedSignatures next) {
        LoadedSignatures previous = current.getAndSet(next);
        swaps.incrementAndGet();
        publishInfo(next);
        LOG.infof("signature set swapped: %s -> %s (%s)", previous.version(), next.version(), next.source());
    }

    /** How many swaps happened since start-up. */
    public long swaps() {
        return swaps.get();
    }

    private void publishInfo(LoadedSignatures set) {
        if (info != null) {
            String kind = set.source().startsWith("bundle ") ? "bundle" : set.source();
            info.register(List.of(MultiGauge.Row.of(Tags.of("version", set.version(), "source", kind), 1)), true);
        }
    }
}
