package io.portcullis.edge.smtp.command;

import io.portcullis.edge.smtp.protocol.SmtpReplies;
import io.portcullis.edge.smtp.session.SmtpSession;

/** DATA: 354 once at least one recipient was accepted; 503 before that (554 5.5.1 when every RCPT failed). */
public final class DataCommand implements SmtpCommand {

    @Override
    public String verb() {
        return "DATA";
    }

    @Override
    public void execute(SmtpSession session, String argument) {
        if (!argument.isEmpty()) {
            session.reply(SmtpReplies.NO_PARAMETERS_ALLOWED);
            return;
        }
        switch (session.state()) {
            case CONNECTED -> session.reply(SmtpReplies.SEND_HELLO_FIRST);
            case GREETED -> session.reply(SmtpReplies.NEED_MAIL);
            case MAIL -> session.reply(SmtpReplies.NO_VALID_RECIPIENTS);
            case RCPT -> session.beginData();
            default -> session.reply(SmtpReplies.NEED_RCPT);
        }
    }
}
