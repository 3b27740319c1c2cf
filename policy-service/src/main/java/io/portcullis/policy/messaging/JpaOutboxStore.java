package io.portcullis.policy.messaging;

import io.portcullis.policy.entity.OutboxEntry;
import io.quarkus.panache.common.Page;
import io.quarkus.panache.common.Sort;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.transaction.Transactional;
import java.util.List;

/** {@link OutboxStore} on the policy.outbox table; each call is its own short transaction. */
@ApplicationScoped
public class JpaOutboxStore implements OutboxStore {

    @Override
    @Transactional
    public List<Pending> oldest(int limit) {
        return OutboxEntry.<OutboxEntry>findAll(Sort.by("id")).page(Page.ofSize(limit)).list().stream()
                .map(e -> new Pending(e.id, e.topic, e.messageKey, e.payload))
                .toList();
    }

    @Override
    @Transactional
    public void delete(long id) {
        OutboxEntry.deleteById(id);
    }
}
