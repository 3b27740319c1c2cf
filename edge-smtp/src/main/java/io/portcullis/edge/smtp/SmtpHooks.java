package io.portcullis.edge.smtp;

import java.util.Objects;

/**
 * Optional behaviour of an {@link SmtpServer} beyond relay control and the sink.
 *
 * @param gate     refuses clients by address at connect or RCPT ({@link ClientGate#open()} for none)
 * @param refusals  told about recipients refused by relay control or validation
 * @param validator recipient validation after relay control ({@link RecipientValidator#none()} for none)
 * @param rules     policy rules that refuse a recipient at RCPT ({@link RecipientRules#none()} for none)
 */
public record SmtpHooks(ClientGate gate, RecipientRefusalListener refusals, RecipientValidator validator,
        RecipientRules rules) {

    public SmtpHooks {
        Objects.requireNonNull(gate, "gate");
        Objects.requireNonNull(refusals, "refusals");
        Objects.requireNonNull(validator, "validator");
        Objects.requireNonNull(rules, "rules");
    }

    /** Gate, listener and validation, no policy rules at RCPT. */
    public SmtpHooks(ClientGate gate, RecipientRefusalListener refusals, RecipientValidator validator) {
        this(gate, refusals, validator, RecipientRules.none());
    }

    /** Gate and listener, no recipient validation. */
    public SmtpHooks(ClientGate gate, RecipientRefusalListener refusals) {
        this(gate, refusals, RecipientValidator.none());
    }

    /** No gate, no listener. */
    public static SmtpHooks none() {
        return new SmtpHooks(ClientGate.open(), RecipientRefusalListener.none());
    }
}
