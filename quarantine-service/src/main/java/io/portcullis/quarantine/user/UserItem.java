package io.portcullis.quarantine.user;

import io.portcullis.quarantine.entity.QuarantineStatus;
import io.portcullis.quarantine.entity.QuarantinedMessage;
import io.portcullis.quarantine.entity.RecipientState;
import io.portcullis.quarantine.entity.RecipientStatus;
import io.portcullis.quarantine.entity.UserRight;
import java.time.Instant;
import java.util.List;

/**
 * One quarantine item as its owner sees it: only the owner's own recipients, no storage details, and what the owner
 * may do ({@code userRight} of the item's area: RELEASE, REQUEST or NONE).
 */
public record UserItem(String itemId, String messageId, String area, UserRight userRight, Instant receivedAt,
        Instant quarantinedAt, String sender, String subject, long size, QuarantineStatus status,
        List<Recipient> recipients) {

    /** One of the owner's recipients of this item. */
    public record Recipient(String address, RecipientStatus status, Instant changedAt) {
    }

    static UserItem of(QuarantinedMessage row, List<RecipientState> owned, UserRight right) {
        return new UserItem(row.itemId, row.messageId, row.area, right, row.receivedAt, row.quarantinedAt, row.sender,
                row.subject, row.size, row.status,
                owned.stream().map(r -> new Recipient(r.original(), r.status(), r.changedAt())).toList());
    }
}
