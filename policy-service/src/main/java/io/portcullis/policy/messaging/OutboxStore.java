package io.portcullis.policy.messaging;

import java.util.List;

/** The read side of the outbox, as the relay sees it. */
public interface OutboxStore {

    /** One unpublished row. */
    record Pending(long id, String topic, String key, byte[] payload) {
    }

    /** Up to {@code limit} rows in id (commit) order. */
    List<Pending> oldest(int limit);

    /** Removes a row that Kafka acknowledged. */
    void delete(long id);
}
