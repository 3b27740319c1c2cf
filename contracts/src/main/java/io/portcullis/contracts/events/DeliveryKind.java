package io.portcullis.contracts.events;

/** Which delivery of a message a {@link DeliveryEvent} or {@link DeliveryRetryScheduled} is about. */
public enum DeliveryKind {
    /** The delivery to the message's recipients (or a policy redirect's addresses). */
    MESSAGE,
    /** A copy a policy's BCC action sent. */
    BCC_COPY,
    /** The delivery of a message released from quarantine. */
    RELEASE
}
