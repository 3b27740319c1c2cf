package io.portcullis.report.service;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class DurableWriteTest {
    private final List<Duration> waits = new ArrayList<>();
    private final DurableWrite durable = new DurableWrite(Duration.ofMillis(100), Duration.ofMillis(350), waits::add);

    private static RuntimeException databaseDown() {
        return new TrackingWriteException("q1", new SQLException("connection refused", "08001"));
    }

    @Test
    void retriesTransientFailuresWithCappedBackoffUntilTheWriteSucceeds() {
        int[] calls = {0};
        durable.run("q1", () -> {
            if (++calls[0] < 5) {
                throw databaseDown();
            }
        });
        assertEquals(5, calls[0]);
        assertEquals(List.of(Duration.ofMillis(100), Duration.ofMillis(200), Duration.ofMillis(350),
                Duration.ofMillis(350)), waits);
    }

    @Test
    void throwsPermanentFailuresAtOnceSoTheRecordIsDeadLettered() {
        RuntimeException poison = new TrackingWriteException("q1", new SQLException("bad data", "22P02"));
        int[] calls = {0};
        RuntimeException thrown = assertThrows(RuntimeException.class, () -> durable.run("q1", () -> {
            calls[0]++;
            throw poison;
        }));
        assertSame(poison, thrown);
        assertEquals(1, calls[0]);
        assertTrue(waits.isEmpty());
    }

    @Test
    void givesUpWithTheFailureWhenInterruptedNeverReportingSuccess() {
        DurableWrite interrupted = new DurableWrite(Duration.ofMillis(100), Duration.ofSeconds(1), d -> {
            throw new InterruptedException();
        });
        assertThrows(TrackingWriteException.class, () -> interrupted.run("q1", () -> {
            throw databaseDown();
        }));
        assertTrue(Thread.interrupted(), "the interrupt flag is kept");
    }
}
