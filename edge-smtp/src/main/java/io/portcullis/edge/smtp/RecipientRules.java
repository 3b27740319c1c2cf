package io.portcullis.edge.smtp;

import java.util.Optional;

/**
 * Policy rules the edge can apply at RCPT: a {@code reject} rule that decides for this sender and recipient whatever
 * the message will hold. Must answer from memory (it runs on the event loop).
 */
@FunctionalInterface
public interface RecipientRules {

    /**
     * @param mailFrom  the envelope sender ("" for the null sender)
     * @param recipient the recipient {@code local@domain}
     * @return the reply text of the rule refusing the recipient, or empty to go on
     */
    Optional<String> rejection(String mailFrom, String recipient);

    /** No rules at RCPT. */
    static RecipientRules none() {
        return (mailFrom, recipient) -> Optional.empty();
    }
}
