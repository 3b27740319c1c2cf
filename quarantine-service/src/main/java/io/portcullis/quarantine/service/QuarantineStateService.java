package io.portcullis.quarantine.service;

import io.opentelemetry.instrumentation.annotations.SpanAttribute;
import io.opentelemetry.instrumentation.annotations.WithSpan;
import io.portcullis.contracts.events.QuarantineEvent;
import io.portcullis.quarantine.entity.QuarantineStatus;
import io.portcullis.quarantine.entity.QuarantinedMessage;
import io.portcullis.quarantine.entity.RecipientStatus;
import io.portcullis.quarantine.repository.QuarantineRepository;
import io.portcullis.quarantine.storage.ObjectNotFoundException;
import io.portcullis.quarantine.storage.ObjectStore;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.List;
import java.util.Optional;
import org.jboss.logging.Logger;

/** Applies RELEASED and DELETED events to the index (and S3). Applying an event twice changes nothing. */
@ApplicationScoped
public class QuarantineStateService {
    private static final Logger LOG = Logger.getLogger(QuarantineStateService.class);

    private final QuarantineRepository repository;
    private final ObjectStore store;
    private final PendingTransitions pending;

    public QuarantineStateService(QuarantineRepository repository, ObjectStore store, PendingTransitions pending) {
        this.repository = repository;
        this.store = store;
        this.pending = pending;
    }

    /** @return whether the index changed */
    @WithSpan("quarantine.apply-event")
    public boolean apply(@SpanAttribute("portcullis.message_id") String messageId, QuarantineEvent event) {
        return switch (event.type()) {
            case QUARANTINED -> false; // written by this service itself before publishing
            case RELEASED -> released(event);
            case DELETED -> deleted(event);
        };
    }

    /**
     * The item an event is about: the one of that message whose body the event points at (each item of a split
     * message has its own object), else the event's item.
     */
    private Optional<QuarantinedMessage> item(QuarantineEvent event) {
        if (event.body() != null && event.body().bucket() != null && event.body().key() != null) {
            Optional<QuarantinedMessage> byObject = repository.findByObject(event.messageId(), event.body().bucket(),
                    event.body().key());
            if (byObject.isPresent()) {
                return byObject;
            }
        }
        // the event's item id (the message id in events written before items had their own)
        return repository.find(event.itemId() != null ? event.itemId() : event.messageId());
    }

    private boolean released(QuarantineEvent event) {
        Optional<QuarantinedMessage> row = item(event);
        if (row.isEmpty()) {
            LOG.infof("message %s: RELEASED for an item no longer indexed (purged); nothing to apply",
                    event.messageId());
            return false;
        }
        QuarantinedMessage item = row.get();
        List<String> addresses = addresses(event, item);
        int changed = repository.transitionRecipients(item.itemId, addresses, RecipientStatus.RELEASED,
                List.of(RecipientStatus.QUARANTINED, RecipientStatus.RELEASE_REQUESTED), event.at(), event.actor());
        if (repository.recipients(item.itemId).isEmpty()) { // an item without recipient rows: item-level state
            changed += repository.transition(item.itemId, QuarantineStatus.RELEASED,
                    List.of(QuarantineStatus.QUARANTINED), event.at(), event.actor()) ? 1 : 0;
        }
        QuarantineStatus status = repository.refreshStatus(item.itemId, event.at(), event.actor())
                .orElse(item.status);
        addresses.forEach(a -> pending.end(PendingTransitions.key(item.itemId, a)));
        LOG.infof("message %s (item %s): %d recipient(s) released by %s, item now %s", event.messageId(),
                item.itemId, changed, event.actor(), status);
        return changed > 0;
    }

    private boolean deleted(QuarantineEvent event) {
        Optional<QuarantinedMessage> row = item(event);
        if (row.isEmpty()) {
            LOG.infof("message %s: DELETED for an item no longer indexed (purged); nothing to apply",
                    event.messageId());
            return false;
        }
        QuarantinedMessage item = row.get();
        List<String> addresses = addresses(event, item);
        int changed = repository.transitionRecipients(item.itemId, addresses, RecipientStatus.DELETED,
                List.of(RecipientStatus.QUARANTINED, RecipientStatus.RELEASE_REQUESTED, RecipientStatus.RELEASED),
                event.at(), event.actor());
        if (repository.recipients(item.itemId).isEmpty()) {
            changed += repository.transition(item.itemId, QuarantineStatus.DELETED,
                    List.of(QuarantineStatus.QUARANTINED, QuarantineStatus.RELEASED), event.at(), event.actor())
                    ? 1 : 0;
        }
        QuarantineStatus status = repository.refreshStatus(item.itemId, event.at(), event.actor())
                .orElse(item.status);
        if (status == QuarantineStatus.DELETED) {
            // after the rows: a redelivered event finds the item DELETED and deletes the (maybe absent) object again
            deleteObjectUnlessShared(item);
        }
        addresses.forEach(a -> pending.end(PendingTransitions.key(item.itemId, a)));
        LOG.infof("message %s (item %s): %d recipient(s) deleted by %s, item now %s", event.messageId(),
                item.itemId, changed, event.actor(), status);
        return changed > 0;
    }

    /** Deletes the item's object unless another live item of the message points at it too. */
    public void deleteObjectUnlessShared(QuarantinedMessage item) {
        if (repository.objectSharedByLiveItem(item.itemId, item.bucket, item.objectKey)) {
            return;
        }
        try {
            store.delete(item.bucket, item.objectKey);
        } catch (ObjectNotFoundException e) {
            // already gone: what we wanted
        }
    }

    /** The canonical recipients an event is about: its envelope's, or every recipient when it names none. */
    private static List<String> addresses(QuarantineEvent event, QuarantinedMessage item) {
        List<String> named = event.envelope() == null ? List.of() : event.envelope().recipients();
        List<String> source = named.isEmpty() ? item.recipients : named;
        return source.stream().map(Addresses::canonical).filter(a -> a != null && !a.isEmpty()).distinct().toList();
    }
}
