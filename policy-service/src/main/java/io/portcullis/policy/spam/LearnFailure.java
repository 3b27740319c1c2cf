package io.portcullis.policy.spam;

/**
 * A judgement that can never be learned (invalid event, body too large, missing, refused or corrupt): the consumer
 * sends the record to the dead-letter topic with this message. Never retried, never silently dropped.
 */
public class LearnFailure extends RuntimeException {
    public LearnFailure(String message) {
        super(message);
    }

    public LearnFailure(String message, Throwable cause) {
        super(message, cause);
    }
}
