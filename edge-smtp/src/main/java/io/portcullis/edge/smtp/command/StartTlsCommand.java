package io.portcullis.edge.smtp.command;

import io.portcullis.edge.smtp.protocol.SmtpReplies;
import io.portcullis.edge.smtp.session.SmtpSession;

/**
 * STARTTLS (RFC 3207): only after EHLO/HELO and outside a transaction, once. The session discards any input
 * pipelined after the command and requires a new EHLO after the handshake.
 */
public final class StartTlsCommand implements SmtpCommand {

    @Override
    public String verb() {
        return "STARTTLS";
    }

    @Override
    public void execute(SmtpSession session, String argument) {
        if (!argument.isEmpty()) {
            session.reply(SmtpReplies.NO_PARAMETERS_ALLOWED);
        } else if (session.isTls()) {
            session.reply(SmtpReplies.TLS_ALREADY_ACTIVE);
        } else if (!session.tlsAvailable()) {
            session.reply(SmtpReplies.TLS_NOT_AVAILABLE);
        } else {
            switch (session.state()) {
                case CONNECTED -> session.reply(SmtpReplies.SEND_HELLO_FIRST);
                case GREETED -> session.startTls();
                default -> session.reply(SmtpReplies.TRANSACTION_IN_PROGRESS);
            }
        }
    }
}
