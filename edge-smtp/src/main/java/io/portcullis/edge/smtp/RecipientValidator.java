package io.portcullis.edge.smtp;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/**
 * Recipient validation after relay control accepted the domain: does the mailbox exist (e.g. in the directory)?
 * Called on the event loop: implementations must not block; the stage may complete on any thread (the session
 * continues on its own event loop). While it is pending the connection's further input is held, so a connection has
 * at most one validation running. A stage already complete (a cached answer) is used at once.
 *
 * <p>Answers {@link RecipientVerdict#ACCEPT}, {@link RecipientVerdict#UNKNOWN_USER} (550 5.1.1) or
 * {@link RecipientVerdict#UNAVAILABLE} (451 4.4.3); a failed stage counts as UNAVAILABLE, never as unknown.
 */
public interface RecipientValidator {

    /**
     * @param address the recipient {@code local@domain} as the client wrote it
     * @param domain  its domain in lower case
     */
    CompletionStage<RecipientVerdict> validate(String address, String domain);

    /** Whether this validator does anything; when false the server does not call it. */
    default boolean active() {
        return true;
    }

    /** No validation: every recipient relay control accepts is accepted. */
    static RecipientValidator none() {
        return None.INSTANCE;
    }

    /** The validator of {@link #none()}. */
    enum None implements RecipientValidator {
        INSTANCE;

        @Override
        public CompletionStage<RecipientVerdict> validate(String address, String domain) {
            return CompletableFuture.completedFuture(RecipientVerdict.ACCEPT);
        }

        @Override
        public boolean active() {
            return false;
        }
    }
}
