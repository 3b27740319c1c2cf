package io.portcullis.quarantine.messaging;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.portcullis.quarantine.service.PermanentFailure;
import io.portcullis.quarantine.storage.ObjectStoreException;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.hibernate.exception.DataException;
import org.junit.jupiter.api.Test;

class RetrierTest {
    private final List<Duration> pauses = new ArrayList<>();
    private final Retrier retrier = new Retrier(Duration.ofMillis(100), Duration.ofMillis(350), pauses::add);

    @Test
    void retriesTransientFailuresWithCappedExponentialBackoffUntilDone() {
        AtomicInteger calls = new AtomicInteger();
        String result = retrier.untilDone("store", "m", () -> {
            if (calls.incrementAndGet() < 5) {
                throw new ObjectStoreException("down");
            }
            return "done";
        });
        assertEquals("done", result);
        assertEquals(List.of(Duration.ofMillis(100), Duration.ofMillis(200), Duration.ofMillis(350),
                Duration.ofMillis(350)), pauses);
    }

    @Test
    void permanentFailureIsNotRetried() {
        AtomicInteger calls = new AtomicInteger();
        assertThrows(PermanentFailure.class, () -> retrier.untilDone("store", "m", () -> {
            calls.incrementAndGet();
            throw new PermanentFailure("bad");
        }));
        assertEquals(1, calls.get());
    }

    @Test
    void databaseDataErrorBecomesPermanent() {
        assertThrows(PermanentFailure.class, () -> retrier.untilDone("index", "m", () -> {
            throw new IllegalStateException(new DataException("value too long", new SQLException("22001")));
        }));
        assertEquals(List.of(), pauses);
    }

    @Test
    void stoppingAbortsInsteadOfRetryingForever() {
        retrier.stop();
        assertThrows(Retrier.Aborted.class, () -> retrier.untilDone("store", "m", () -> {
            throw new ObjectStoreException("down");
        }));
    }

    @Test
    void interruptedPauseAborts() {
        Retrier interrupted = new Retrier(Duration.ofMillis(1), Duration.ofMillis(1), d -> {
            throw new InterruptedException();
        });
        assertThrows(Retrier.Aborted.class, () -> interrupted.untilDone("store", "m", () -> {
            throw new ObjectStoreException("down");
        }));
        assertEquals(true, Thread.interrupted());
    }
}
