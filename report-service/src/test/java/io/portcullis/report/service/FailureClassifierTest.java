package io.portcullis.report.service;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.sql.SQLException;
import org.junit.jupiter.api.Test;

class FailureClassifierTest {

    @Test
    void poisonRecordsAndDataOrIntegrityErrorsArePermanent() {
        assertTrue(FailureClassifier.isPermanent(new PoisonRecordException("bad")));
        assertTrue(FailureClassifier.isPermanent(new TrackingWriteException("q1",
                new SQLException("invalid byte sequence", "22021"))));
        assertTrue(FailureClassifier.isPermanent(new TrackingWriteException("q1",
                new SQLException("check violation", "23514"))));
    }

    @Test
    void databaseOutagesAndConflictsAreTransient() {
        assertFalse(FailureClassifier.isPermanent(new TrackingWriteException("q1",
                new SQLException("connection refused", "08001"))));
        assertFalse(FailureClassifier.isPermanent(new TrackingWriteException("q1",
                new SQLException("deadlock", "40P01"))));
        assertFalse(FailureClassifier.isPermanent(new TrackingWriteException("q1",
                new SQLException("admin shutdown", "57P01"))));
        assertFalse(FailureClassifier.isPermanent(new RuntimeException(new SQLException("Sorry, acquisition timeout!"))));
        assertFalse(FailureClassifier.isPermanent(new IllegalStateException("transaction manager unavailable")));
    }
}
