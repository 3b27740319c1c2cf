package io.portcullis.quarantine.service;

import io.opentelemetry.instrumentation.annotations.SpanAttribute;
import io.opentelemetry.instrumentation.annotations.WithSpan;
import io.portcullis.contracts.events.QuarantineEvent;
import io.portcullis.quarantine.entity.QuarantineStatus;
import io.portcullis.quarantine.entity.QuarantinedMessage;
import io.portcullis.quarantine.messaging.PublishFailedException;
import io.portcullis.quarantine.messaging.QuarantineEventPublisher;
import io.portcullis.quarantine.repository.QuarantineRepository;
import io.portcullis.quarantine.service.QuarantineProblem.Kind;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Clock;
import java.time.temporal.ChronoUnit;
import org.jboss.logging.Logger;

/**
 * Release and delete, event-sourced: the request only publishes the event (and waits for Kafka's ack); the
 * {@code QuarantineStateConsumer} applies it to the index, delivery acts on RELEASED. No database write here, so
 * there is no dual write.
 */
@ApplicationScoped
public class QuarantineCommands {
    private static final Logger LOG = Logger.getLogger(QuarantineCommands.class);

    /** What the API answers with 202. */
    public record Accepted(String messageId, String itemId, QuarantineEvent.Type requested, String actor) {
    }

    private final QuarantineRepository repository;
    private final QuarantineEventPublisher publisher;
    private final PendingTransitions pending;
    private final Clock clock = Clock.systemUTC();

    public QuarantineCommands(QuarantineRepository repository, QuarantineEventPublisher publisher,
            PendingTransitions pending) {
        this.repository = repository;
        this.publisher = publisher;
        this.pending = pending;
    }

    @WithSpan("quarantine.request-release")
    public Accepted release(@SpanAttribute("portcullis.message_id") String itemId, String actor) {
        QuarantinedMessage row = existing(itemId);
        if (row.status != QuarantineStatus.QUARANTINED) {
            throw new QuarantineProblem(Kind.CONFLICT, "message " + itemId + " is " + row.status
                    + "; only QUARANTINED messages can be released");
        }
        return publish(row, QuarantineEvents.released(row, clock.instant().truncatedTo(ChronoUnit.MICROS), actor));
    }

    @WithSpan("quarantine.request-delete")
    public Accepted delete(@SpanAttribute("portcullis.message_id") String itemId, String actor) {
        QuarantinedMessage row = existing(itemId);
        if (row.status == QuarantineStatus.DELETED) {
            throw new QuarantineProblem(Kind.CONFLICT, "message " + itemId + " is already DELETED");
        }
        return publish(row, QuarantineEvents.deleted(row, clock.instant().truncatedTo(ChronoUnit.MICROS), actor));
    }

    /** The item (its id: the message id, or {@code <messageId>.q<n>} for a split message's further items). */
    private QuarantinedMessage existing(String messageId) {
        if (!MessageIds.isValidItemId(messageId)) {
            throw new QuarantineProblem(Kind.INVALID, "malformed message id");
        }
        return repository.find(messageId)
                .orElseThrow(() -> new QuarantineProblem(Kind.NOT_FOUND, "no quarantined message " + messageId));
    }

    private Accepted publish(QuarantinedMessage row, QuarantineEvent event) {
        if (!pending.tryBegin(row.itemId)) {
            throw new QuarantineProblem(Kind.CONFLICT,
                    "a release or delete of message " + row.itemId + " is already in progress");
        }
        try {
            publisher.publish(event);
        } catch (PublishFailedException e) {
            pending.end(row.itemId);
            throw new QuarantineProblem(Kind.UNAVAILABLE, "could not publish the " + event.type() + " event", e);
        }
        LOG.infof("message %s: %s of item %s requested", row.messageId, event.type(), row.itemId);
        return new Accepted(row.messageId, row.itemId, event.type(), event.actor());
    }
}
