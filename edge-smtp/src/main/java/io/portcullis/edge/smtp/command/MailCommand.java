package io.portcullis.edge.smtp.command;

import io.portcullis.edge.smtp.protocol.MailParameters;
import io.portcullis.edge.smtp.protocol.MailPath;
import io.portcullis.edge.smtp.protocol.SmtpReplies;
import io.portcullis.edge.smtp.session.SmtpSession;
import io.portcullis.edge.smtp.session.SmtpState;
import java.util.Optional;

/**
 * {@code MAIL FROM:<address> [SIZE=n] [BODY=7BIT|8BITMIME] [SMTPUTF8]}: starts a transaction. The null sender
 * {@code <>} is allowed. 503 before EHLO/HELO or inside a transaction, 501 for bad syntax, 552 when SIZE exceeds the
 * limit, 553 5.6.7 for a non-ASCII address without SMTPUTF8.
 */
public final class MailCommand implements SmtpCommand {

    @Override
    public String verb() {
        return "MAIL";
    }

    @Override
    public void execute(SmtpSession session, String argument) {
        if (session.state() == SmtpState.CONNECTED) {
            session.reply(SmtpReplies.SEND_HELLO_FIRST);
            return;
        }
        if (session.state() != SmtpState.GREETED) {
            session.reply(SmtpReplies.NESTED_MAIL);
            return;
        }
        if (!argument.regionMatches(true, 0, "FROM:", 0, 5)) {
            session.reply(SmtpReplies.MAIL_SYNTAX);
            return;
        }
        Optional<MailPath> path = MailPath.parse(argument.substring(5), true);
        if (path.isEmpty()) {
            session.reply(SmtpReplies.BAD_SENDER_SYNTAX);
            return;
        }
        MailParameters parameters;
        try {
            parameters = MailParameters.parse(path.get().rest());
        } catch (MailParameters.InvalidParameterException e) {
            session.reply(e.reply());
            return;
        }
        if (parameters.declaredSize().isPresent()
                && parameters.declaredSize().getAsLong() > session.limits().maxMessageBytes()) {
            session.reply(SmtpReplies.MESSAGE_TOO_BIG);
            return;
        }
        if (path.get().nonAscii() && !parameters.smtpUtf8()) {
            session.reply(SmtpReplies.NON_ASCII_ADDRESS);
            return;
        }
        session.beginTransaction(path.get().address(), parameters);
        session.reply(SmtpReplies.SENDER_OK);
    }
}
