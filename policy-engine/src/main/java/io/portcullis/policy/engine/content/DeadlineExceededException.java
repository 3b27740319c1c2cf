package io.portcullis.policy.engine.content;

/**
 * Thrown by {@link BoundedText} when its deadline has passed. Matchers catch it and turn it into a result with
 * {@code timedOut = true}; it never leaves this library's public {@code match}/{@code scan} methods.
 */
public final class DeadlineExceededException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    DeadlineExceededException() {
        super("content matching deadline exceeded", null, false, false);
    }
}
