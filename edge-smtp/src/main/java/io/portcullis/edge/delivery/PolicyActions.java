package io.portcullis.edge.delivery;

import io.portcullis.contracts.events.RecipientDecision;
import io.portcullis.contracts.events.VerdictIssued;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.jboss.logging.Logger;

/**
 * Carries out what policy decided for one group of a verdict's recipients ({@link VerdictIssued#groups()}):
 * <ul>
 * <li>DELIVER: relay to the group's recipients, or to {@code redirectTo} when set, with the modifications (subject
 * tag, headers, stripped attachments); with {@code deferUntil} in the future, hand it to the durable retry queue
 * instead ({@link DeliveryService#defer}).</li>
 * <li>DELETE, REJECT: DROPPED events. QUARANTINE: nothing here (quarantine-service's business).</li>
 * <li>whatever the action: a BCC copy with the same modifications as its own job (source {@value DeliveryJob#BCC_SOURCE},
 * delivered at once), and the notices ({@link PolicyNotifier}).</li>
 * </ul>
 * The returned stage completes when every effect is durable.
 */
@ApplicationScoped
public class PolicyActions {
    private static final Logger LOG = Logger.getLogger(PolicyActions.class);

    private final DeliveryService delivery;
    private final PolicyNotifier notifier;
    private final Clock clock;

    @Inject
    public PolicyActions(DeliveryService delivery, PolicyNotifier notifier) {
        this(delivery, notifier, Clock.systemUTC());
    }

    public PolicyActions(DeliveryService delivery, PolicyNotifier notifier, Clock clock) {
        this.delivery = delivery;
        this.notifier = notifier;
        this.clock = clock;
    }

    /** Completes when every effect of the group is durable; exceptionally when one could not be made so. */
    public CompletableFuture<Void> carryOut(VerdictIssued v, RecipientDecision group) {
        List<CompletableFuture<?>> effects = new ArrayList<>();
        switch (group.action()) {
            case DELIVER, TAG -> effects.add(deliver(v, group));
            case DELETE, REJECT -> effects.add(delivery.drop(v.messageId(), v.tenant(), group.recipients(),
                    "action " + group.action() + (group.ruleId() == null ? "" : " by rule " + group.ruleId())));
            case QUARANTINE -> {
                // quarantine-service keeps it
            }
        }
        if (!group.bcc().isEmpty()) {
            LOG.infof("message %s: BCC copy to %d address(es)", v.messageId(), group.bcc().size());
            effects.add(delivery.deliver(job(v, DeliveryJob.BCC_SOURCE, group.bcc(), group)));
        }
        if (!group.notifications().isEmpty()) {
            effects.add(notifier.notify(v, group));
        }
        return CompletableFuture.allOf(effects.toArray(CompletableFuture[]::new));
    }

    private CompletableFuture<?> deliver(VerdictIssued v, RecipientDecision group) {
        boolean redirect = !group.redirectTo().isEmpty();
        if (redirect) {
            LOG.infof("message %s: %d recipient(s) redirected to %d address(es) by policy", v.messageId(),
                    group.recipients().size(), group.redirectTo().size());
        }
        // a release from quarantine comes back as the scanner's rescan verdict (ADR 0010): its delivery is a RELEASE
        String source = VerdictIssued.RELEASE_RESCAN_RULE.equals(group.ruleId()) ? DeliveryJob.RELEASE_SOURCE : "verdict";
        DeliveryJob job = job(v, source, redirect ? group.redirectTo() : group.recipients(), group);
        if (group.deferUntil() != null && group.deferUntil().isAfter(clock.instant())) {
            return delivery.defer(job, group.deferUntil());
        }
        return delivery.deliver(job);
    }

    private static DeliveryJob job(VerdictIssued v, String source, List<String> recipients, RecipientDecision group) {
        return new DeliveryJob(source, v.messageId(), v.tenant(), v.receivedAt(), v.envelope().mailFrom(), recipients,
                v.body(), group.modifications());
    }
}
