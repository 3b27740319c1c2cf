package io.portcullis.edge.smtp.command;

import io.portcullis.edge.smtp.protocol.SmtpReplies;
import io.portcullis.edge.smtp.session.SmtpSession;

/** NOOP: 250, any argument ignored (RFC 5321 section 4.1.1.9). */
public final class NoopCommand implements SmtpCommand {

    @Override
    public String verb() {
        return "NOOP";
    }

    @Override
    public void execute(SmtpSession session, String argument) {
        session.reply(SmtpReplies.OK);
    }
}
