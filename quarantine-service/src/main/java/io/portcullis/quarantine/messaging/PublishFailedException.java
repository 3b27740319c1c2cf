package io.portcullis.quarantine.messaging;

/** Kafka did not acknowledge an event in time (or refused it). Transient. */
public class PublishFailedException extends RuntimeException {
    public PublishFailedException(String message, Throwable cause) {
        super(message, cause);
    }
}
