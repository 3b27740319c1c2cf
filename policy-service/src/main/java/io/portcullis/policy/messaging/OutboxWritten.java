package io.portcullis.policy.messaging;

/** CDI event: a change wrote an outbox row. Observed after the transaction commits, to publish at once. */
public record OutboxWritten(long version) {
}
