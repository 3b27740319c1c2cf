package io.portcullis.edge.smtp.command;

import io.portcullis.edge.smtp.protocol.MailPath;
import io.portcullis.edge.smtp.protocol.SmtpReplies;
import io.portcullis.edge.smtp.session.SmtpSession;
import io.portcullis.edge.smtp.session.SmtpState;
import java.util.Optional;

/**
 * {@code RCPT TO:<address>}: adds a recipient. 503 before MAIL, 501 for bad syntax, 555 for any parameter,
 * 553 5.6.7 for a non-ASCII address outside an SMTPUTF8 transaction, 452 4.5.3 beyond the recipient limit and
 * 550 5.7.1 when the domain is not accepted (relay control).
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
        if (!session.acceptsDomain(path.domain())) {
            session.reply(SmtpReplies.RELAY_DENIED);
            return;
        }
        session.addRecipient(path.address());
        session.reply(SmtpReplies.RECIPIENT_OK);
    }
}
