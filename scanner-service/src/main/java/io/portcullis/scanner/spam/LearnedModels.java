package io.portcullis.scanner.spam;

import io.portcullis.contracts.events.SpamModelUpdated;
import io.portcullis.spam.LearnedCounts;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The learned counts this scanner scores with, per model tenant ({@value #SHARED} is the shared model). Each tenant's
 * {@link LearnedCounts} is an immutable snapshot replaced atomically ({@link ConcurrentHashMap#compute}), so a scan
 * sees one whole sequence, never half an update. Updates apply strictly in sequence: the next one is applied, an
 * older or repeated one is ignored, a later one (a gap) is refused and the caller fetches the tenant whole.
 */
@ApplicationScoped
public class LearnedModels {
    /** Model tenant of the shared model (policy-service's {@code spam-learning.shared}). */
    public static final String SHARED = "*";

    /** What {@link #apply} did. */
    public enum Applied {
        /** the next sequence: applied */
        APPLIED,
        /** at or below the current sequence: already included, ignored */
        DUPLICATE,
        /** beyond the next sequence: not applied, fetch the tenant whole */
        GAP
    }

    /**
     * The counts a message is scored with.
     *
     * @param modelTenant the tenant whose counts they are (the message's, {@value #SHARED}, or null for none)
     * @param counts      the counts (empty when none)
     */
    public record Selected(String modelTenant, LearnedCounts counts) {
    }

    private final ConcurrentHashMap<String, LearnedCounts> models = new ConcurrentHashMap<>();

    /**
     * The counts for a message of {@code tenant}: its own model if it has one, else the shared model, else nothing
     * learned (sequence 0).
     */
    public Selected forTenant(String tenant) {
        LearnedCounts own = tenant == null ? null : models.get(tenant);
        if (own != null) {
            return new Selected(tenant, own);
        }
        LearnedCounts shared = models.get(SHARED);
        return shared != null ? new Selected(SHARED, shared) : new Selected(null, LearnedCounts.EMPTY);
    }

    /** Applies one update if it is the tenant's next sequence. */
    public Applied apply(SpamModelUpdated u) {
        Applied[] result = new Applied[1];
        models.compute(u.tenant(), (t, current) -> {
            LearnedCounts c = current == null ? LearnedCounts.EMPTY : current;
            if (u.sequence() <= c.sequence()) {
                result[0] = Applied.DUPLICATE;
                return current;
            }
            if (u.sequence() != c.sequence() + 1) {
                result[0] = Applied.GAP;
                return current;
            }
            result[0] = Applied.APPLIED;
            return c.apply(u.sequence(), u.spamMessagesDelta(), u.hamMessagesDelta(), u.tokens().stream()
                    .map(d -> new LearnedCounts.TokenDelta(d.hash(), d.spam(), d.ham())).toList());
        });
        return result[0];
    }

    /**
     * Installs a snapshot fetched whole, unless this scanner already holds a newer sequence of that tenant (updates
     * applied while the fetch was in flight).
     *
     * @return whether the snapshot is now in use
     */
    public boolean replace(String tenant, LearnedCounts snapshot) {
        boolean[] used = new boolean[1];
        models.compute(tenant, (t, current) -> {
            if (current != null && current.sequence() > snapshot.sequence()) {
                return current;
            }
            used[0] = true;
            return snapshot;
        });
        return used[0];
    }

    /** Sequence held for a model tenant (0 when none). */
    public long sequence(String tenant) {
        LearnedCounts c = models.get(tenant);
        return c == null ? 0 : c.sequence();
    }

    /** Model tenant → sequence held, sorted. */
    public Map<String, Long> sequences() {
        Map<String, Long> out = new TreeMap<>();
        models.forEach((t, c) -> out.put(t, c.sequence()));
        return out;
    }
}
