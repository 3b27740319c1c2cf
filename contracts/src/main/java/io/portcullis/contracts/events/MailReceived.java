package io.portcullis.contracts.events;

import java.time.Instant;

/**
 * A message that the edge has made durable. The edge answers 250 only after this record is acknowledged
 * by Kafka (acks=all).
 *
 * @param messageId the queue id the edge assigned (also the Kafka key)
 * @param tenant    tenant id ("default" for now)
 * @param receivedAt when DATA completed
 * @param edgeNode  the edge node that accepted it
 * @param envelope  the SMTP envelope
 * @param body      where the bytes are (the Received header is already prepended)
 */
public record MailReceived(String messageId, String tenant, Instant receivedAt, String edgeNode, Envelope envelope,
        BodyRef body) {
}
