package io.portcullis.edge.smtp;

/**
 * Told about every recipient the server refused because of relay control or recipient validation. Called on the
 * event loop after the reply was written: implementations must hand the work off and return at once; an exception
 * is logged and otherwise ignored (it never changes the dialogue).
 */
@FunctionalInterface
public interface RecipientRefusalListener {

    void refused(RefusedRecipient refusal);

    /** Ignores every refusal. */
    static RecipientRefusalListener none() {
        return refusal -> {
        };
    }
}
