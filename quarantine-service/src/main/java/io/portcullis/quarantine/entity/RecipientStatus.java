package io.portcullis.quarantine.entity;

/**
 * State of one recipient's copy of a quarantine item. QUARANTINED and RELEASE_REQUESTED are "held"; an item is
 * QUARANTINED while any of its recipients is held.
 */
public enum RecipientStatus {
    QUARANTINED, RELEASE_REQUESTED, RELEASED, DELETED;

    public boolean held() {
        return this == QUARANTINED || this == RELEASE_REQUESTED;
    }
}
