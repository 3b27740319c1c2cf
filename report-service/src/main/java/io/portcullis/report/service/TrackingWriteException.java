package io.portcullis.report.service;

import java.sql.SQLException;

/** A database failure while writing one message's event; carries the message id (never content). */
public final class TrackingWriteException extends RuntimeException {
    public TrackingWriteException(String messageId, SQLException cause) {
        super("writing tracking data of message " + messageId + " failed (SQLSTATE " + cause.getSQLState() + ")",
                cause);
    }
}
