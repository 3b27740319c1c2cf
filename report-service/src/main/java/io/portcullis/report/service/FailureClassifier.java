package io.portcullis.report.service;

import java.sql.SQLException;

/**
 * Decides whether a failed write is worth retrying. Only the record itself can make a write fail for good: a
 * {@link PoisonRecordException}, or a database data/integrity error (SQLSTATE class 22 or 23) caused by its
 * values. Everything else (connection lost, pool exhausted, deadlock, serialisation failure, server shutting
 * down, even a bug) is retried, so a database outage never sends good records to the dead-letter topic.
 */
public final class FailureClassifier {

    private FailureClassifier() {
    }

    /** True when retrying cannot help and the record must go to the dead-letter topic. */
    public static boolean isPermanent(Throwable failure) {
        for (Throwable t = failure; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (t instanceof PoisonRecordException) {
                return true;
            }
            if (t instanceof SQLException sql) {
                String state = sql.getSQLState();
                if (state != null && (state.startsWith("22") || state.startsWith("23"))) {
                    return true;
                }
            }
        }
        return false;
    }
}
