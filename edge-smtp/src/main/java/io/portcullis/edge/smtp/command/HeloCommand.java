package io.portcullis.edge.smtp.command;

import io.portcullis.edge.smtp.protocol.SmtpReplies;
import io.portcullis.edge.smtp.protocol.SmtpReply;
import io.portcullis.edge.smtp.session.SmtpSession;

/** HELO: like EHLO without extensions. */
public final class HeloCommand implements SmtpCommand {

    @Override
    public String verb() {
        return "HELO";
    }

    @Override
    public void execute(SmtpSession session, String argument) {
        if (!HeloNames.isAcceptable(argument)) {
            session.reply(SmtpReplies.HELO_SYNTAX);
            return;
        }
        session.hello(argument, false);
        session.reply(new SmtpReply(250, null, session.hostname()));
    }
}
