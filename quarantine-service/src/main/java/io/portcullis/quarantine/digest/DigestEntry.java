package io.portcullis.quarantine.digest;

import io.portcullis.quarantine.entity.UserRight;
import java.time.Instant;

/** One item listed in a digest, with the area right that decides its links. */
public record DigestEntry(String itemId, String sender, String subject, String area, Instant quarantinedAt,
        UserRight right) {
}
