package io.portcullis.quarantine.service;

import io.opentelemetry.instrumentation.annotations.SpanAttribute;
import io.opentelemetry.instrumentation.annotations.WithSpan;
import io.portcullis.contracts.events.QuarantineEvent;
import io.portcullis.quarantine.entity.QuarantineStatus;
import io.portcullis.quarantine.entity.QuarantinedMessage;
import io.portcullis.quarantine.repository.QuarantineRepository;
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
     * message has its own object), else the item whose id is the message id (events of the first releases).
     */
    private Optional<QuarantinedMessage> item(QuarantineEvent event) {
        if (event.body() != null && event.body().bucket() != null && event.body().key() != null) {
            Optional<QuarantinedMessage> byObject = repository.findByObject(event.messageId(), event.body().bucket(),
                    event.body().key());
            if (byObject.isPresent()) {
                return byObject;
            }
        }
        return repository.find(event.messageId());
    }

    private boolean released(QuarantineEvent event) {
        Optional<QuarantinedMessage> row = item(event);
        String itemId = row.map(r -> r.itemId).orElse(event.messageId());
        boolean changed = repository.transition(itemId, QuarantineStatus.RELEASED,
                List.of(QuarantineStatus.QUARANTINED), event.at(), event.actor());
        pending.end(itemId);
        LOG.infof("message %s (item %s) released by %s%s", event.messageId(), itemId, event.actor(),
                changed ? "" : " (no change)");
        return changed;
    }

    private boolean deleted(QuarantineEvent event) {
        Optional<QuarantinedMessage> row = item(event);
        if (row.isPresent()) {
            store.delete(row.get().bucket, row.get().objectKey); // before the row: a retry finds the row again
        }
        String itemId = row.map(r -> r.itemId).orElse(event.messageId());
        boolean changed = repository.transition(itemId, QuarantineStatus.DELETED,
                List.of(QuarantineStatus.QUARANTINED, QuarantineStatus.RELEASED), event.at(), event.actor());
        pending.end(itemId);
        LOG.infof("message %s (item %s) deleted by %s%s", event.messageId(), itemId, event.actor(),
                changed ? "" : " (no change)");
        return changed;
    }
}
