package io.portcullis.quarantine.entity;

import java.time.Instant;

/**
 * One recipient of a quarantine item (table {@code quarantine_recipient}).
 *
 * @param address   canonical (lower-case) address: what owners are matched on
 * @param original  the address as in the envelope: what a release delivers to
 * @param status    this recipient's state
 * @param changedAt when the status last changed (null while never changed)
 * @param changedBy who changed it
 */
public record RecipientState(String address, String original, RecipientStatus status, Instant changedAt,
        String changedBy) {
}
