package io.portcullis.policy.api;

import io.portcullis.contracts.policy.SenderListEntry;
import java.time.Instant;

/** A stored sender-list entry as the API returns it, with who created it and when. */
public record SenderListView(long id, String owner, String sender, SenderListEntry.Kind kind, String note,
        String createdBy, Instant createdAt) {
}
