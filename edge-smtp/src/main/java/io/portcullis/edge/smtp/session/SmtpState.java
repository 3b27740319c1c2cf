package io.portcullis.edge.smtp.session;

/**
 * Where a connection is in the SMTP dialogue. Commands check the state and move it; nothing else is a flag.
 *
 * <pre>
 * CONNECTED --EHLO/HELO--> GREETED --MAIL--> MAIL --RCPT--> RCPT --DATA--> DATA --.--> QUEUEING --reply--> GREETED
 *                            ^  RSET / EHLO / HELO from any of GREETED, MAIL, RCPT  |
 * GREETED --STARTTLS--> TLS_HANDSHAKE --> CONNECTED (the client must EHLO again)
 * any --QUIT / 421 / peer close--> CLOSED
 * </pre>
 */
public enum SmtpState {
    /** Greeting sent; no EHLO/HELO yet (also right after STARTTLS). */
    CONNECTED,
    /** EHLO/HELO done; no transaction. */
    GREETED,
    /** MAIL FROM accepted; no recipient yet. */
    MAIL,
    /** At least one recipient accepted. */
    RCPT,
    /** 354 sent; message bytes are being read. */
    DATA,
    /** The message is complete and waits for the sink; input is held, not read as commands. */
    QUEUEING,
    /** 220 sent to STARTTLS; everything received until the handshake completes is discarded. */
    TLS_HANDSHAKE,
    /** The connection is closing or closed. */
    CLOSED
}
