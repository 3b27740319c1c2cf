package io.portcullis.edge.smtp;

/** What relay control and recipient validation say about one RCPT (see {@link RecipientPolicy#check}). */
public enum RecipientVerdict {
    /** Mail for this recipient is accepted. */
    ACCEPT,
    /** The domain is not one the server accepts mail for: {@code 550 5.7.1 Relaying denied}. */
    RELAY_DENIED,
    /** The domain is accepted but the user does not exist: {@code 550 5.1.1 User unknown}. */
    UNKNOWN_USER,
    /**
     * Recipient validation could not answer (directory or policy-service down, timeout, too many look-ups waiting):
     * {@code 451 4.4.3}, never a permanent refusal. Not a refusal the IP Profiler counts.
     */
    UNAVAILABLE
}
