package io.portcullis.policy.service;

import io.portcullis.contracts.policy.SenderListEntry;

/** A sender-list entry after validation: owner and sender normalised, note trimmed or null. */
public record ValidSenderEntry(String owner, String sender, SenderListEntry.Kind kind, String note) {
}
