package io.portcullis.edge.smtp;

import java.util.Objects;

/**
 * Optional behaviour of an {@link SmtpServer} beyond relay control and the sink.
 *
 * @param gate     refuses clients by address at connect or RCPT ({@link ClientGate#open()} for none)
 * @param refusals told about recipients refused by relay control or validation
 */
public record SmtpHooks(ClientGate gate, RecipientRefusalListener refusals) {

    public SmtpHooks {
        Objects.requireNonNull(gate, "gate");
        Objects.requireNonNull(refusals, "refusals");
    }

    /** No gate, no listener. */
    public static SmtpHooks none() {
        return new SmtpHooks(ClientGate.open(), RecipientRefusalListener.none());
    }
}
