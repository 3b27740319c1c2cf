package io.portcullis.quarantine.entity;

/** Life cycle of a quarantined message. Only QUARANTINED can be released. */
public enum QuarantineStatus {
    QUARANTINED, RELEASED, DELETED
}
