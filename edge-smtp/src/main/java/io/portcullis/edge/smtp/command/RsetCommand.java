package io.portcullis.edge.smtp.command;

import io.portcullis.edge.smtp.protocol.SmtpReplies;
import io.portcullis.edge.smtp.session.SmtpSession;

/** RSET: abandons the transaction; the EHLO/HELO stays. */
public final class RsetCommand implements SmtpCommand {

    @Override
    public String verb() {
        return "RSET";
    }

    @Override
    public void execute(SmtpSession session, String argument) {
        if (!argument.isEmpty()) {
            session.reply(SmtpReplies.NO_PARAMETERS_ALLOWED);
            return;
        }
        session.resetTransaction();
        session.reply(SmtpReplies.OK);
    }
}
