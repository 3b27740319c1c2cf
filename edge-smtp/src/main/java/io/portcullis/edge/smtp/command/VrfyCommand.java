package io.portcullis.edge.smtp.command;

import io.portcullis.edge.smtp.protocol.SmtpReplies;
import io.portcullis.edge.smtp.session.SmtpSession;

/** VRFY: never confirms or denies an address (252, RFC 5321 section 3.5.3); 501 without an argument. */
public final class VrfyCommand implements SmtpCommand {

    @Override
    public String verb() {
        return "VRFY";
    }

    @Override
    public void execute(SmtpSession session, String argument) {
        session.reply(argument.isEmpty() ? SmtpReplies.SYNTAX_ERROR : SmtpReplies.CANNOT_VRFY);
    }
}
