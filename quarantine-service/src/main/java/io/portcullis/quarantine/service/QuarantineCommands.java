package io.portcullis.quarantine.service;

import io.opentelemetry.instrumentation.annotations.SpanAttribute;
import io.opentelemetry.instrumentation.annotations.WithSpan;
import io.portcullis.contracts.events.Envelope;
import io.portcullis.contracts.events.QuarantineEvent;
import io.portcullis.quarantine.entity.QuarantineArea;
import io.portcullis.quarantine.entity.QuarantinedMessage;
import io.portcullis.quarantine.entity.RecipientState;
import io.portcullis.quarantine.entity.RecipientStatus;
import io.portcullis.quarantine.entity.UserRight;
import io.portcullis.quarantine.messaging.PublishFailedException;
import io.portcullis.quarantine.messaging.QuarantineEventPublisher;
import io.portcullis.quarantine.repository.QuarantineRepository;
import io.portcullis.quarantine.service.QuarantineProblem.Kind;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Set;
import java.util.function.Predicate;
import org.jboss.logging.Logger;

/**
 * Release, request release and delete, per recipient.
 *
 * <p>Release and delete are event-sourced: the command only publishes the event (and waits for Kafka's ack); the
 * {@code QuarantineStateConsumer} applies it to the index, delivery acts on RELEASED. The event's envelope holds only
 * the recipients it is about, so a release delivers to them only. No database write here, so no dual write. A second
 * release of the same recipients publishes nothing: before the state consumer applied the first, the per-instance
 * {@link PendingTransitions} refuses it (409); after, the recipients are no longer held (409).
 *
 * <p>A release request is not an event (the contract has no such type and nothing downstream acts on it): it is one
 * conditional database update, QUARANTINED to RELEASE_REQUESTED.
 *
 * <p>Rights: ADMIN and MANAGER act on any recipient (all of them when no subset is given). A USER passes its owned
 * addresses (canonical address plus aliases) as {@code recipients} and acts on the item's recipients among them only;
 * an item it owns none of is "not found" to it. A USER releases only where the area's right is RELEASE, requests a
 * release where it is REQUEST (or RELEASE), and may delete its own copies in any area.
 */
@ApplicationScoped
public class QuarantineCommands {
    private static final Logger LOG = Logger.getLogger(QuarantineCommands.class);

    /**
     * What a command did (the API answers it with 202).
     *
     * @param recipients the recipients it applies to, as in the envelope
     */
    public record Accepted(String messageId, String itemId, String requested, String actor, List<String> recipients) {
    }

    private final QuarantineRepository repository;
    private final QuarantineEventPublisher publisher;
    private final PendingTransitions pending;
    private final AreaService areas;
    private final Clock clock = Clock.systemUTC();

    public QuarantineCommands(QuarantineRepository repository, QuarantineEventPublisher publisher,
            PendingTransitions pending, AreaService areas) {
        this.repository = repository;
        this.publisher = publisher;
        this.pending = pending;
        this.areas = areas;
    }

    /** Releases every held recipient (ADMIN); kept for callers from before per-recipient state. */
    public Accepted release(String itemId, String actor) {
        return release(itemId, actor, Role.ADMIN, null);
    }

    /** Deletes every recipient (ADMIN); kept for callers from before per-recipient state. */
    public Accepted delete(String itemId, String actor) {
        return delete(itemId, actor, Role.ADMIN, null);
    }

    /**
     * Publishes RELEASED for the held recipients among {@code recipients}.
     *
     * @param recipients ADMIN/MANAGER: a subset of the item's recipients, null or empty for all; USER: its owned
     *                   addresses (required)
     * @throws QuarantineProblem INVALID, NOT_FOUND, FORBIDDEN (area right), CONFLICT (nothing held or already
     *                           pending), UNAVAILABLE (Kafka)
     */
    @WithSpan("quarantine.request-release")
    public Accepted release(@SpanAttribute("portcullis.message_id") String itemId, String actor, Role role,
            Collection<String> recipients) {
        QuarantinedMessage row = existing(itemId);
        List<RecipientState> targets = targets(row, role, recipients);
        if (role == Role.USER) {
            QuarantineArea area = areas.effective(row.area);
            if (area.userRight == UserRight.REQUEST) {
                throw new QuarantineProblem(Kind.FORBIDDEN, "items in area " + area.name
                        + " can only be released by a quarantine manager: request a release instead");
            }
            if (area.userRight != UserRight.RELEASE) {
                throw new QuarantineProblem(Kind.FORBIDDEN, "items in area " + area.name
                        + " can only be released by a quarantine manager or admin");
            }
        }
        List<RecipientState> held = only(targets, s -> s.status().held());
        if (held.isEmpty()) {
            throw new QuarantineProblem(Kind.CONFLICT, "message " + itemId + " is " + row.status
                    + "; only QUARANTINED messages can be released (no held recipient left)");
        }
        Instant now = now();
        QuarantineEvent event = withRecipients(QuarantineEvents.released(row, now, actor), held);
        return publish(row, event, held);
    }

    /**
     * Publishes DELETED for the not yet deleted recipients among {@code recipients} (same rules as
     * {@link #release(String, String, Role, Collection)}, but a USER may delete its copies in any area).
     */
    @WithSpan("quarantine.request-delete")
    public Accepted delete(@SpanAttribute("portcullis.message_id") String itemId, String actor, Role role,
            Collection<String> recipients) {
        QuarantinedMessage row = existing(itemId);
        List<RecipientState> live = only(targets(row, role, recipients), s -> s.status() != RecipientStatus.DELETED);
        if (live.isEmpty()) {
            throw new QuarantineProblem(Kind.CONFLICT, "message " + itemId + " is already DELETED");
        }
        QuarantineEvent event = withRecipients(QuarantineEvents.deleted(row, now(), actor), live);
        return publish(row, event, live);
    }

    /**
     * Marks the QUARANTINED recipients among {@code recipients} RELEASE_REQUESTED (idempotent: already requested ones
     * count as done). Refused where the area's user right is NONE.
     */
    @WithSpan("quarantine.request-release-approval")
    public Accepted requestRelease(@SpanAttribute("portcullis.message_id") String itemId, String actor, Role role,
            Collection<String> recipients) {
        QuarantinedMessage row = existing(itemId);
        List<RecipientState> targets = targets(row, role, recipients);
        QuarantineArea area = areas.effective(row.area);
        if (role == Role.USER && area.userRight == UserRight.NONE) {
            throw new QuarantineProblem(Kind.FORBIDDEN, "items in area " + area.name
                    + " cannot be released on request; ask your administrator");
        }
        List<RecipientState> held = only(targets, s -> s.status().held());
        if (held.isEmpty()) {
            throw new QuarantineProblem(Kind.CONFLICT, "message " + itemId + " is " + row.status
                    + "; nothing left to request a release for");
        }
        int changed = repository.transitionRecipients(row.itemId, held.stream().map(RecipientState::address).toList(),
                RecipientStatus.RELEASE_REQUESTED, List.of(RecipientStatus.QUARANTINED), now(), actor);
        LOG.infof("message %s: release of item %s requested for %d recipient(s)", row.messageId, row.itemId,
                changed);
        return new Accepted(row.messageId, row.itemId, RecipientStatus.RELEASE_REQUESTED.name(), actor,
                held.stream().map(RecipientState::original).toList());
    }

    /** The item (its id: the message id, or {@code <messageId>.q<n>} for a split message's further items). */
    private QuarantinedMessage existing(String itemId) {
        if (!MessageIds.isValidItemId(itemId)) {
            throw new QuarantineProblem(Kind.INVALID, "malformed message id");
        }
        return repository.find(itemId).filter(r -> r.purgeMarkedAt == null)
                .orElseThrow(() -> new QuarantineProblem(Kind.NOT_FOUND, "no quarantined message " + itemId));
    }

    /** The recipients a command may touch. */
    private List<RecipientState> targets(QuarantinedMessage row, Role role, Collection<String> recipients) {
        if (role == null) {
            throw QuarantineProblem.invalid("role", "role is required");
        }
        List<RecipientState> all = repository.recipients(row.itemId);
        Set<String> wanted = Addresses.canonicalSet("recipients", recipients);
        if (role == Role.USER) {
            List<RecipientState> owned = only(all, s -> wanted.contains(s.address()));
            if (owned.isEmpty()) { // not the user's: indistinguishable from a missing item
                throw new QuarantineProblem(Kind.NOT_FOUND, "no quarantined message " + row.itemId);
            }
            return owned;
        }
        if (wanted.isEmpty()) {
            return all;
        }
        Set<String> known = Set.copyOf(all.stream().map(RecipientState::address).toList());
        for (String address : wanted) {
            if (!known.contains(address)) {
                throw QuarantineProblem.invalid("recipients", "recipients holds an address that is not a recipient"
                        + " of message " + row.itemId);
            }
        }
        return only(all, s -> wanted.contains(s.address()));
    }

    private Accepted publish(QuarantinedMessage row, QuarantineEvent event, List<RecipientState> recipients) {
        List<String> keys = recipients.stream().map(r -> PendingTransitions.key(row.itemId, r.address())).toList();
        List<String> begun = new ArrayList<>();
        for (String key : keys) {
            if (!pending.tryBegin(key)) {
                begun.forEach(pending::end);
                throw new QuarantineProblem(Kind.CONFLICT,
                        "a release or delete of message " + row.itemId + " is already in progress");
            }
            begun.add(key);
        }
        try {
            publisher.publish(event);
        } catch (PublishFailedException e) {
            begun.forEach(pending::end);
            throw new QuarantineProblem(Kind.UNAVAILABLE, "could not publish the " + event.type() + " event", e);
        }
        LOG.infof("message %s: %s of item %s requested for %d recipient(s)", row.messageId, event.type(), row.itemId,
                recipients.size());
        return new Accepted(row.messageId, row.itemId, event.type().name(), event.actor(),
                event.envelope().recipients());
    }

    /** The event with an envelope that names only these recipients (as in the original envelope). */
    static QuarantineEvent withRecipients(QuarantineEvent event, List<RecipientState> recipients) {
        Envelope e = event.envelope();
        Envelope only = new Envelope(e.mailFrom(), recipients.stream().map(RecipientState::original).toList(),
                e.helo(), e.clientIp(), e.tls());
        return new QuarantineEvent(event.messageId(), event.tenant(), event.at(), event.type(), only, event.body(),
                event.reason(), event.actor(), event.itemId(), event.area());
    }

    private static List<RecipientState> only(List<RecipientState> states, Predicate<RecipientState> keep) {
        return states.stream().filter(keep).toList();
    }

    private Instant now() {
        return clock.instant().truncatedTo(ChronoUnit.MICROS);
    }
}
