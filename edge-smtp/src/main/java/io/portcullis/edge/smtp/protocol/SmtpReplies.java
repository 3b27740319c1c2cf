package io.portcullis.edge.smtp.protocol;

/** Every fixed reply the server sends, with its RFC 3463 enhanced status code. */
public final class SmtpReplies {

    public static final SmtpReply OK = new SmtpReply(250, "2.0.0", "Ok");
    public static final SmtpReply SENDER_OK = new SmtpReply(250, "2.1.0", "Sender ok");
    public static final SmtpReply RECIPIENT_OK = new SmtpReply(250, "2.1.5", "Recipient ok");
    public static final SmtpReply START_MAIL_INPUT = new SmtpReply(354, null, "End data with <CR><LF>.<CR><LF>");
    public static final SmtpReply BYE = new SmtpReply(221, "2.0.0", "Bye");
    public static final SmtpReply HELP = new SmtpReply(214, "2.0.0",
            "Commands: EHLO HELO MAIL RCPT DATA RSET NOOP QUIT HELP VRFY STARTTLS");
    public static final SmtpReply CANNOT_VRFY = new SmtpReply(252, "2.5.0",
            "Cannot VRFY user, but will accept message and attempt delivery");
    public static final SmtpReply READY_TO_START_TLS = new SmtpReply(220, "2.0.0", "Ready to start TLS");

    public static final SmtpReply TOO_MANY_CONNECTIONS = new SmtpReply(421, "4.7.0",
            "Too many connections, try again later");
    public static final SmtpReply TIMEOUT = new SmtpReply(421, "4.4.2", "Timeout exceeded, closing connection");
    public static final SmtpReply TOO_MANY_ERRORS = new SmtpReply(421, "4.7.0", "Too many errors, closing connection");
    public static final SmtpReply SHUTTING_DOWN = new SmtpReply(421, "4.3.2", "Service shutting down");
    public static final SmtpReply NOT_QUEUED = new SmtpReply(451, "4.3.0",
            "Temporary failure, message not accepted, try again later");
    public static final SmtpReply VALIDATION_UNAVAILABLE = new SmtpReply(451, "4.4.3",
            "Recipient validation unavailable, try again later");
    public static final SmtpReply TOO_MANY_RECIPIENTS = new SmtpReply(452, "4.5.3", "Too many recipients");
    public static final SmtpReply TLS_NOT_AVAILABLE = new SmtpReply(454, "4.7.0", "TLS not available");

    public static final SmtpReply UNKNOWN_COMMAND = new SmtpReply(500, "5.5.2", "Command unrecognized");
    public static final SmtpReply LINE_TOO_LONG = new SmtpReply(500, "5.5.2", "Line too long");
    public static final SmtpReply BARE_LINE_ENDING = new SmtpReply(500, "5.5.2",
            "Bare CR or LF in command; lines must end with CRLF");
    public static final SmtpReply INVALID_CHARACTERS = new SmtpReply(500, "5.5.2", "Invalid characters in command");
    public static final SmtpReply SYNTAX_ERROR = new SmtpReply(501, "5.5.4", "Syntax error in parameters");
    public static final SmtpReply EHLO_SYNTAX = new SmtpReply(501, "5.5.4", "Syntax: EHLO hostname");
    public static final SmtpReply HELO_SYNTAX = new SmtpReply(501, "5.5.4", "Syntax: HELO hostname");
    public static final SmtpReply MAIL_SYNTAX = new SmtpReply(501, "5.5.4", "Syntax: MAIL FROM:<address>");
    public static final SmtpReply RCPT_SYNTAX = new SmtpReply(501, "5.5.4", "Syntax: RCPT TO:<address>");
    public static final SmtpReply BAD_SENDER_SYNTAX = new SmtpReply(501, "5.1.7", "Bad sender address syntax");
    public static final SmtpReply BAD_RECIPIENT_SYNTAX = new SmtpReply(501, "5.1.3", "Bad recipient address syntax");
    public static final SmtpReply NO_PARAMETERS_ALLOWED = new SmtpReply(501, "5.5.4", "No parameters allowed");
    public static final SmtpReply SEND_HELLO_FIRST = new SmtpReply(503, "5.5.1", "Send EHLO/HELO first");
    public static final SmtpReply NEED_MAIL = new SmtpReply(503, "5.5.1", "Need MAIL command first");
    public static final SmtpReply NEED_RCPT = new SmtpReply(503, "5.5.1", "Need RCPT command first");
    public static final SmtpReply NESTED_MAIL = new SmtpReply(503, "5.5.1", "Nested MAIL command");
    public static final SmtpReply TRANSACTION_IN_PROGRESS = new SmtpReply(503, "5.5.1",
            "MAIL transaction in progress");
    public static final SmtpReply TLS_ALREADY_ACTIVE = new SmtpReply(503, "5.5.1", "TLS already active");
    public static final SmtpReply UNSUPPORTED_BODY = new SmtpReply(504, "5.5.4", "Unsupported BODY type");
    public static final SmtpReply UNSUPPORTED_PARAMETER = new SmtpReply(555, "5.5.4", "Unsupported parameter");
    public static final SmtpReply RELAY_DENIED = new SmtpReply(550, "5.7.1", "Relaying denied");

    /**
     * {@code 550 5.7.1} with a policy rule's reply text; anything but printable ASCII becomes a space and the text is
     * cut at 200 characters, so a rule can never break the reply line.
     */
    public static SmtpReply policyRejection(String text) {
        StringBuilder clean = new StringBuilder();
        for (int i = 0; i < text.length() && clean.length() < 200; i++) {
            char c = text.charAt(i);
            clean.append(c >= 32 && c < 127 ? c : ' ');
        }
        String t = clean.toString().strip();
        return new SmtpReply(550, "5.7.1", t.isEmpty() ? "Message refused by policy" : t);
    }
    public static final SmtpReply UNKNOWN_USER = new SmtpReply(550, "5.1.1", "User unknown");
    public static final SmtpReply BARE_LINE_ENDING_IN_DATA = new SmtpReply(550, "5.6.11",
            "Message refused: bare CR or LF; lines must end with CRLF");
    public static final SmtpReply MESSAGE_TOO_BIG = new SmtpReply(552, "5.3.4",
            "Message size exceeds fixed maximum message size");
    public static final SmtpReply NON_ASCII_ADDRESS = new SmtpReply(553, "5.6.7",
            "Non-ASCII address requires SMTPUTF8");
    public static final SmtpReply NO_VALID_RECIPIENTS = new SmtpReply(554, "5.5.1", "No valid recipients");

    private SmtpReplies() {
    }

    /** {@code 220 <hostname> ESMTP Portcullis}. */
    public static SmtpReply greeting(String hostname) {
        return new SmtpReply(220, null, hostname + " ESMTP Portcullis");
    }

    /** Longest free text (e.g. a block reason) put into a reply line by {@link #safeText(String, String)}. */
    public static final int MAX_FREE_TEXT = 200;

    /**
     * Text from outside (a block reason) made safe for one reply line: every character outside printable ASCII
     * (CR, LF, other controls, non-ASCII) becomes a space, runs of spaces collapse, the result is trimmed and cut at
     * {@value #MAX_FREE_TEXT} characters; {@code fallback} when nothing is left.
     */
    public static String safeText(String text, String fallback) {
        if (text == null) {
            return fallback;
        }
        StringBuilder sb = new StringBuilder(Math.min(text.length(), MAX_FREE_TEXT));
        boolean space = true; // drops leading spaces
        for (int i = 0; i < text.length() && sb.length() < MAX_FREE_TEXT; i++) {
            char c = text.charAt(i);
            if (c > ' ' && c <= '~') {
                sb.append(c);
                space = false;
            } else if (!space) {
                sb.append(' ');
                space = true;
            }
        }
        String safe = sb.toString().strip();
        return safe.isEmpty() ? fallback : safe;
    }

    /** {@code 250 2.0.0 Ok: queued as <id>}. */
    /** 550 5.1.1 for a recipient that recipient validation does not know. */
    public static SmtpReply unknownRecipient(String address) {
        return new SmtpReply(550, "5.1.1", "<" + address + ">: recipient unknown");
    }

    public static SmtpReply queued(String queueId) {
        return new SmtpReply(250, "2.0.0", "Ok: queued as " + queueId);
    }
}
