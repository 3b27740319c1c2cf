package io.portcullis.policy.reputation;

import io.portcullis.av.SignatureSet;
import io.portcullis.av.SignatureStats;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.concurrent.atomic.AtomicReference;
import org.jboss.logging.Logger;

/**
 * The hash set this instance answers reputation look-ups from, swapped atomically: a look-up sees either the old or
 * the new set, never a mix, and never waits for a load. A set replaces the held one only when its activation
 * number is higher, so a slow load of an older activation can never undo a newer one.
 */
@ApplicationScoped
public class ReputationIndex {
    private static final Logger LOG = Logger.getLogger(ReputationIndex.class);

    /**
     * One loaded state.
     *
     * @param activation the activation number (from the signature_state row) this state belongs to
     * @param version    the active bundle's version, null when no bundle is active
     * @param hashes     its hash databases, null when no bundle is active
     */
    public record Loaded(long activation, String version, SignatureSet hashes) {
        /** The state before the first publication. */
        public static Loaded none(long activation) {
            return new Loaded(activation, null, null);
        }
    }

    private final AtomicReference<Loaded> current = new AtomicReference<>();
    private volatile String failure;

    /** The state look-ups use now; null until the first check of the database completed. */
    public Loaded current() {
        return current.get();
    }

    /** Swaps {@code next} in unless the held state is as new or newer; returns whether it did. */
    public boolean offer(Loaded next) {
        while (true) {
            Loaded held = current.get();
            if (held != null && held.activation() >= next.activation()) {
                return false;
            }
            if (current.compareAndSet(held, next)) {
                failure = null;
                if (next.hashes() == null) {
                    LOG.infof("hash reputation: no signature bundle active (activation %d)", next.activation());
                } else {
                    SignatureStats stats = next.hashes().stats();
                    LOG.infof("hash reputation: bundle %s active (activation %d): %d MD5, %d SHA-1, %d SHA-256 "
                            + "hashes, about %d KiB", next.version(), next.activation(), stats.md5Hashes(),
                            stats.sha1Hashes(), stats.sha256Hashes(), stats.approximateBytes() >> 10);
                }
                return true;
            }
        }
    }

    /** Records why the newest activation could not be loaded (cleared by the next swap). */
    public void failed(String why) {
        failure = why;
    }

    /** Why the newest activation is not loaded, or null. */
    public String failure() {
        return failure;
    }
}
