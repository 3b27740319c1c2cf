package io.portcullis.edge.smtp;

import java.util.concurrent.CompletionStage;

/**
 * Where the SMTP server hands a complete message after the final {@code <CRLF>.<CRLF>}.
 *
 * <p>The server answers {@code 250 2.0.0 Ok: queued as <id>} only when the returned stage completes normally,
 * and {@code 451 4.3.0} when it completes exceptionally or does not complete within
 * {@link SmtpLimits#sinkTimeout()}. A sink must therefore complete the stage only once the message is durable
 * (for the edge: acknowledged by Kafka with acks=all), and must never block the calling thread: the server calls
 * it on a Vert.x event loop. The transaction's span is in {@link AcceptedMessage#traceContext()}.
 */
@FunctionalInterface
public interface MessageSink {

    /**
     * Takes responsibility for one message.
     *
     * @param message the envelope and the full bytes (Received header already prepended)
     * @return completes with the queue id to report to the client (normally {@link AcceptedMessage#queueId()}),
     *         or exceptionally when the message could not be made durable
     */
    CompletionStage<String> accept(AcceptedMessage message);
}
