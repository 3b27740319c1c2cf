package io.portcullis.edge.delivery;

import io.portcullis.contracts.events.EventJson;
import io.portcullis.contracts.events.RecipientDecision;
import io.portcullis.contracts.events.VerdictIssued;
import io.portcullis.edge.config.EdgeConfig;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import org.eclipse.microprofile.reactive.messaging.Incoming;
import org.eclipse.microprofile.reactive.messaging.Message;
import org.jboss.logging.Logger;

/**
 * Reads {@code portcullis.mail.verdict.v1} (group {@code delivery}) and carries out every group of
 * {@link VerdictIssued#groups()} with {@link PolicyActions} (deliver, redirect, defer, strip, BCC, notify; DELETE and
 * REJECT become DROPPED; QUARANTINE is quarantine-service's business). A verdict of the first releases is one
 * group: DELIVER and TAG are relayed (TAG with the verdict's modifications).
 * The record is acknowledged only when the outcome is durable; a record that is not a valid verdict is nacked
 * (dead-letter topic). Never blocks: delivery runs on its own worker threads, and up to
 * {@code portcullis.delivery.max-in-flight} records are worked on at once (see {@link InFlightWindow}), so a
 * message waiting for a retry does not hold up the ones behind it.
 */
@ApplicationScoped
public class VerdictConsumer {

    /** Incoming channel bound to {@code portcullis.mail.verdict.v1}. */
    public static final String CHANNEL = "verdicts";

    private static final Logger LOG = Logger.getLogger(VerdictConsumer.class);

    private final PolicyActions actions;
    private final InFlightWindow window;

    @Inject
    public VerdictConsumer(PolicyActions actions, EdgeConfig config) {
        this(actions, config.delivery().maxInFlight());
    }

    VerdictConsumer(PolicyActions actions, int maxInFlight) {
        this.actions = actions;
        this.window = new InFlightWindow(maxInFlight);
    }

    @Incoming(CHANNEL)
    public CompletionStage<Void> consume(Message<byte[]> record) {
        VerdictIssued verdict;
        try {
            verdict = parse(record.getPayload());
        } catch (IllegalArgumentException e) {
            LOG.warnf("poison record on %s, sending it to the dead-letter topic: %s", CHANNEL, e.getMessage());
            return record.nack(e);
        }
        List<RecipientDecision> groups = verdict.groups();
        if (groups.size() > 1) {
            LOG.infof("message %s: split into %d groups by policy", verdict.messageId(), groups.size());
        }
        CompletableFuture<?>[] effects = new CompletableFuture<?>[groups.size()];
        for (int i = 0; i < groups.size(); i++) {
            try {
                effects[i] = actions.carryOut(verdict, groups.get(i));
            } catch (RuntimeException e) {
                effects[i] = CompletableFuture.failedFuture(e);
            }
        }
        return window.track(verdict.messageId(), record, CompletableFuture.allOf(effects));
    }

    /** @throws IllegalArgumentException when the bytes are not a verdict delivery can act on */
    static VerdictIssued parse(byte[] payload) {
        if (payload == null) {
            throw new IllegalArgumentException("empty record");
        }
        VerdictIssued v = EventJson.read(payload, VerdictIssued.class);
        if (v.messageId() == null || v.messageId().isBlank()) {
            throw new IllegalArgumentException("verdict without messageId");
        }
        if (v.action() == null) {
            throw new IllegalArgumentException("verdict " + v.messageId() + " without action");
        }
        if (v.envelope() == null) {
            throw new IllegalArgumentException("verdict " + v.messageId() + " without envelope");
        }
        for (RecipientDecision g : v.groups()) {
            if (g.action() == null) {
                throw new IllegalArgumentException("verdict " + v.messageId() + " has a group without action");
            }
            if ((g.action().delivers() || !g.bcc().isEmpty()) && v.body() == null) {
                throw new IllegalArgumentException("verdict " + v.messageId() + " without body reference");
            }
        }
        return v;
    }
}
