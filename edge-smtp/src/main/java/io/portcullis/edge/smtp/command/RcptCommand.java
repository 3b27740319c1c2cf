package io.portcullis.edge.smtp.command;

import io.portcullis.edge.smtp.RecipientVerdict;
import io.portcullis.edge.smtp.protocol.MailPath;
import io.portcullis.edge.smtp.protocol.SmtpReplies;
import io.portcullis.edge.smtp.protocol.SmtpReply;
import io.portcullis.edge.smtp.session.SmtpSession;
import io.portcullis.edge.smtp.session.SmtpState;
import java.util.Optional;

/**
 * {@code RCPT TO:<address>}: adds a recipient. 503 before MAIL, 501 for bad syntax, 555 for any parameter,
 * 553 5.6.7 for a non-ASCII address outside an SMTPUTF8 transaction, 452 4.5.3 beyond the recipient limit,
 * 550 5.7.1 when the domain is not accepted (relay control) and 550 5.1.1 when recipient validation does not know
 * the user; these two are reported to the refusal listener. When a {@link io.portcullis.edge.smtp.RecipientValidator}
 * is active it is asked about every recipient relay control accepted (asynchronously: the connection's input is held
 * meanwhile): unknown is {@code 550 5.1.1 <address>: recipient unknown} (reported), unavailable
 * {@code 451 4.4.3} (not reported: it says nothing about the recipient). A client the
 * {@link io.portcullis.edge.smtp.ClientGate} refuses at RCPT gets the gate's reply for every RCPT of a transaction
 * (not reported: it is not about the recipient).
 */
public final class RcptCommand implements SmtpCommand {

    @Override
    public String verb() {
        return "RCPT";
    }

    @Override
    public void execute(SmtpSession session, String argument) {
        switch (session.state()) {
            case CONNECTED -> {
                session.reply(SmtpReplies.SEND_HELLO_FIRST);
                return;
            }
            case MAIL, RCPT -> {
            }
            default -> {
                session.reply(SmtpReplies.NEED_MAIL);
                return;
            }
        }
        int rcptNumber = session.nextRcptNumber();
        Optional<SmtpReply> blocked = session.clientRefusalAtRecipient();
        if (blocked.isPresent()) {
            session.reply(blocked.get());
            return;
        }
        if (!argument.regionMatches(true, 0, "TO:", 0, 3)) {
            session.reply(SmtpReplies.RCPT_SYNTAX);
            return;
        }
        Optional<MailPath> parsed = MailPath.parse(argument.substring(3), false);
        if (parsed.isEmpty()) {
            session.reply(SmtpReplies.BAD_RECIPIENT_SYNTAX);
            return;
        }
        MailPath path = parsed.get();
        if (!path.rest().isEmpty()) {
            session.reply(SmtpReplies.UNSUPPORTED_PARAMETER);
            return;
        }
        if (path.nonAscii() && !session.transaction().parameters().smtpUtf8()) {
            session.reply(SmtpReplies.NON_ASCII_ADDRESS);
            return;
        }
        if (session.transaction().recipientCount() >= session.limits().maxRecipients()) {
            session.reply(SmtpReplies.TOO_MANY_RECIPIENTS);
            return;
        }
        RecipientVerdict verdict = session.checkRecipient(path.address(), path.domain());
        switch (verdict) {
            case RELAY_DENIED -> {
                session.refuseRecipient(rcptNumber, path.domain(), verdict, SmtpReplies.RELAY_DENIED);
                return;
            }
            case UNKNOWN_USER -> {
                session.refuseRecipient(rcptNumber, path.domain(), verdict, SmtpReplies.UNKNOWN_USER);
                return;
            }
            case UNAVAILABLE -> {
                session.reply(SmtpReplies.VALIDATION_UNAVAILABLE);
                return;
            }
            default -> {
            }
        }
        Optional<String> rejected = session.policyRejection(path.address());
        if (rejected.isPresent()) {
            session.reply(SmtpReplies.policyRejection(rejected.get()));
            return;
        }
        if (session.validatesRecipients()) {
            session.validateRecipient(path.address(), path.domain(), v -> answer(session, rcptNumber, path, v));
            return;
        }
        session.addRecipient(path.address());
        session.reply(SmtpReplies.RECIPIENT_OK);
    }

    /** The reply once recipient validation answered. */
    private static void answer(SmtpSession session, int rcptNumber, MailPath path, RecipientVerdict verdict) {
        switch (verdict) {
            case ACCEPT -> {
                session.addRecipient(path.address());
                session.reply(SmtpReplies.RECIPIENT_OK);
            }
            case UNKNOWN_USER -> session.refuseRecipient(rcptNumber, path.domain(), verdict,
                    SmtpReplies.unknownRecipient(path.address()));
            case RELAY_DENIED -> session.refuseRecipient(rcptNumber, path.domain(), verdict,
                    SmtpReplies.RELAY_DENIED);
            case UNAVAILABLE -> session.reply(SmtpReplies.VALIDATION_UNAVAILABLE);
        }
    }
}
