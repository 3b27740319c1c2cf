package io.portcullis.edge.smtp.command;

import io.portcullis.edge.smtp.session.SmtpSession;

/** One SMTP verb. Implementations check the session state, validate the argument and reply exactly once. */
public interface SmtpCommand {

    /** The verb in upper case, e.g. {@code MAIL}. */
    String verb();

    /**
     * Runs the command.
     *
     * @param session  the connection
     * @param argument everything after the verb and one space, stripped; empty when none
     */
    void execute(SmtpSession session, String argument);
}
