package io.portcullis.edge.smtp.command;

import io.portcullis.edge.smtp.protocol.SmtpReplies;
import io.portcullis.edge.smtp.session.SmtpSession;

/** HELP: 214 with the list of verbs. */
public final class HelpCommand implements SmtpCommand {

    @Override
    public String verb() {
        return "HELP";
    }

    @Override
    public void execute(SmtpSession session, String argument) {
        session.reply(SmtpReplies.HELP);
    }
}
