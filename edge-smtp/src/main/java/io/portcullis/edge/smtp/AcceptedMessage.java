package io.portcullis.edge.smtp;

import io.opentelemetry.context.Context;
import io.portcullis.contracts.events.Envelope;
import java.time.Instant;
import java.util.Objects;

/**
 * One message received by the SMTP server, complete and syntactically clean (CRLF line endings only, dot-unstuffed,
 * within the size limit).
 *
 * @param queueId    the id the server assigned at MAIL FROM (see {@link QueueIdGenerator}); safe as a file name
 *                   and object key
 * @param envelope   reverse path, accepted recipients, HELO name, client IP and whether TLS was active
 * @param receivedAt when the final {@code <CRLF>.<CRLF>} arrived
 * @param bytes        the RFC 5322 message with this server's {@code Received:} header prepended; not copied, do
 *                     not modify
 * @param traceContext the OpenTelemetry context of the SMTP transaction's span, to propagate downstream (passed
 *                     explicitly: on a Vert.x event loop {@code Context.current()} is not reliable)
 */
public record AcceptedMessage(String queueId, Envelope envelope, Instant receivedAt, byte[] bytes,
        Context traceContext) {
    public AcceptedMessage {
        Objects.requireNonNull(queueId, "queueId");
        Objects.requireNonNull(envelope, "envelope");
        Objects.requireNonNull(receivedAt, "receivedAt");
        Objects.requireNonNull(bytes, "bytes");
        Objects.requireNonNull(traceContext, "traceContext");
    }

    /** A message without trace context. */
    public AcceptedMessage(String queueId, Envelope envelope, Instant receivedAt, byte[] bytes) {
        this(queueId, envelope, receivedAt, bytes, Context.root());
    }

    /** Size of {@link #bytes()}. */
    public int size() {
        return bytes.length;
    }
}
