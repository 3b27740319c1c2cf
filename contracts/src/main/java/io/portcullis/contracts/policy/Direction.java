package io.portcullis.contracts.policy;

/**
 * Which mail a rule applies to, decided per recipient: {@code INBOUND} when the recipient is in one of the tenant's
 * accepted domains, {@code OUTBOUND} otherwise (mail from the tenant's users to the outside).
 */
public enum Direction {
    INBOUND,
    OUTBOUND,
    /** Both directions (the default). */
    BOTH
}
