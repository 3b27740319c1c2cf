package io.portcullis.edge.smtp.command;

import io.portcullis.edge.smtp.protocol.SmtpReplies;
import io.portcullis.edge.smtp.protocol.SmtpReply;
import io.portcullis.edge.smtp.session.SmtpSession;
import java.util.ArrayList;
import java.util.List;

/**
 * EHLO: resets any transaction and lists the extensions: PIPELINING, SIZE, 8BITMIME, ENHANCEDSTATUSCODES, STARTTLS
 * (only when configured and not yet active) and SMTPUTF8.
 */
public final class EhloCommand implements SmtpCommand {

    @Override
    public String verb() {
        return "EHLO";
    }

    @Override
    public void execute(SmtpSession session, String argument) {
        if (!HeloNames.isAcceptable(argument)) {
            session.reply(SmtpReplies.EHLO_SYNTAX);
            return;
        }
        session.hello(argument, true);
        List<String> lines = new ArrayList<>();
        lines.add(session.hostname());
        lines.add("PIPELINING");
        lines.add("SIZE " + session.limits().maxMessageBytes());
        lines.add("8BITMIME");
        lines.add("ENHANCEDSTATUSCODES");
        if (session.tlsAvailable()) {
            lines.add("STARTTLS");
        }
        lines.add("SMTPUTF8");
        session.reply(new SmtpReply(250, null, lines));
    }
}
