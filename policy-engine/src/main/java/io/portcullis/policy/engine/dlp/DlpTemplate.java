package io.portcullis.policy.engine.dlp;

/**
 * A DLP template: finds one kind of sensitive data in text. Implementations are immutable and thread-safe, stay
 * linear in the input, cut input above their maximum length and never throw for hostile input: limits and timeouts
 * come back as flags on the {@link DlpResult}.
 */
public interface DlpTemplate {

    /** The template id, e.g. {@code credit-card}. */
    String id();

    /**
     * Scans {@code text} until {@code deadlineNanos} ({@link System#nanoTime()} based).
     *
     * @param text subject, body or attachment text
     * @param deadlineNanos the {@code System.nanoTime()} value after which the scan stops with {@code timedOut}
     */
    DlpResult scan(CharSequence text, long deadlineNanos);
}
