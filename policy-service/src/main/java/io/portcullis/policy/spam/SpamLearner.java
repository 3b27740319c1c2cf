package io.portcullis.policy.spam;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.opentelemetry.instrumentation.annotations.SpanAttribute;
import io.opentelemetry.instrumentation.annotations.WithSpan;
import io.portcullis.policy.config.PolicyConfig;
import io.portcullis.spam.LearnedCounts;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Clock;
import java.util.Optional;
import org.jboss.logging.Logger;

/**
 * The spam learner: learns each (model tenant, message) once. The model tenant is the message's tenant, or the shared
 * model {@value #SHARED} when {@code portcullis.policy.spam-learning.shared} is on. A judgement with the label already
 * learned is a no-op (no body read, no event); the other label reverses the earlier one. The message is tokenized with
 * spam-engine's tokenizer (each distinct token once), the same one the scanners score with.
 */
@ApplicationScoped
public class SpamLearner {
    /** Model tenant of the shared model. */
    public static final String SHARED = "*";
    private static final Logger LOG = Logger.getLogger(SpamLearner.class);

    private final SpamLearningStore store;
    private final MessageBodies bodies;
    private final boolean shared;
    private final Clock clock = Clock.systemUTC();
    private final MeterRegistry registry;

    public SpamLearner(SpamLearningStore store, MessageBodies bodies, PolicyConfig config, MeterRegistry registry) {
        this.store = store;
        this.bodies = bodies;
        this.shared = config.spamLearning().shared();
        this.registry = registry;
    }

    private void count(String outcome) {
        Counter.builder("portcullis.spam.learner.judgements").tag("outcome", outcome)
                .description("Judgements handled by the spam learner, by outcome").register(registry).increment();
    }

    /** The model a message of {@code tenant} is learned into. */
    public String modelTenant(String tenant) {
        return shared ? SHARED : tenant;
    }

    /**
     * Learns one judgement.
     *
     * @throws LearnFailure for a judgement that can never be learned (dead letter)
     * @throws RuntimeException for anything transient (S3 or PostgreSQL down): retry
     */
    @WithSpan("SpamLearner.learn")
    public SpamLearningStore.Result learn(@SpanAttribute("portcullis.message_id") String messageId, Judgement j) {
        String model = modelTenant(j.tenant());
        Optional<io.portcullis.contracts.events.SpamFeedback.Label> known = store.labelOf(model, j.messageId());
        if (known.isPresent() && known.get() == j.label()) {
            LOG.infof("spam learner: message %s already learned as %s in model %s (feedback %s): nothing to do",
                    j.messageId(), j.label(), model, j.feedbackId());
            count("unchanged");
            return new SpamLearningStore.Result(SpamLearningStore.Outcome.UNCHANGED, -1);
        }
        byte[] raw;
        try {
            raw = bodies.read(j.messageId(), j.body());
        } catch (LearnFailure e) {
            count("refused");
            throw e;
        }
        long[] hashes = LearnedCounts.tokenHashes(raw);
        SpamLearningStore.Result result = store.learn(model, j, hashes, clock.instant());
        count(result.outcome().name().toLowerCase(java.util.Locale.ROOT));
        LOG.infof("spam learner: message %s %s as %s in model %s, sequence %d (feedback %s, %s by %s, %d tokens)",
                j.messageId(), result.outcome().name().toLowerCase(java.util.Locale.ROOT), j.label(), model,
                result.sequence(), j.feedbackId(), j.source(), j.actor(), hashes.length);
        return result;
    }
}
