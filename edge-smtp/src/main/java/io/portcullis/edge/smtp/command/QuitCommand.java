package io.portcullis.edge.smtp.command;

import io.portcullis.edge.smtp.protocol.SmtpReplies;
import io.portcullis.edge.smtp.session.SmtpSession;

/** QUIT: 221 and close; an unfinished transaction is abandoned. */
public final class QuitCommand implements SmtpCommand {

    @Override
    public String verb() {
        return "QUIT";
    }

    @Override
    public void execute(SmtpSession session, String argument) {
        if (!argument.isEmpty()) {
            session.reply(SmtpReplies.NO_PARAMETERS_ALLOWED);
            return;
        }
        session.quit();
    }
}
