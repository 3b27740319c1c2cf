package io.portcullis.edge.validation;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class LookupLimiterTest {

    @Test
    void runsAtMostMaxRunningQueuesTheNextAndRefusesBeyond() {
        LookupLimiter limiter = new LookupLimiter(2, 3);
        List<CompletableFuture<String>> lookups = new ArrayList<>();
        List<CompletableFuture<String>> results = new ArrayList<>();
        for (int i = 0; i < 6; i++) {
            results.add(limiter.submit(() -> {
                CompletableFuture<String> f = new CompletableFuture<>();
                lookups.add(f);
                return f;
            }));
        }
        assertEquals(2, lookups.size(), "only two started");
        assertEquals(2, limiter.running());
        assertEquals(3, limiter.waiting());
        assertTrue(results.get(5).isCompletedExceptionally(), "the sixth is refused at once");
        ExecutionException refused = org.junit.jupiter.api.Assertions.assertThrows(ExecutionException.class,
                () -> results.get(5).get());
        assertTrue(refused.getCause() instanceof RejectedExecutionException);
        lookups.get(0).complete("a");
        assertEquals("a", results.get(0).join());
        assertEquals(3, lookups.size(), "a freed slot starts the next waiting one");
        assertEquals(2, limiter.running());
        for (int i = 1; i < 5; i++) {
            lookups.get(i).complete("r" + i);
        }
        assertEquals("r4", results.get(4).join());
        assertEquals(0, limiter.running());
        assertEquals(0, limiter.waiting());
    }

    @Test
    void abandonedWaitingLookupIsNeverStarted() {
        LookupLimiter limiter = new LookupLimiter(1, 5);
        AtomicInteger started = new AtomicInteger();
        CompletableFuture<String> first = new CompletableFuture<>();
        limiter.submit(() -> {
            started.incrementAndGet();
            return first;
        });
        CompletableFuture<String> waiting = limiter.submit(() -> {
            started.incrementAndGet();
            return CompletableFuture.completedFuture("late");
        });
        waiting.completeExceptionally(new java.util.concurrent.TimeoutException()); // the caller's timeout
        first.complete("x");
        assertEquals(1, started.get());
        assertEquals(0, limiter.running());
    }

    @Test
    void failingTaskFreesItsSlot() {
        LookupLimiter limiter = new LookupLimiter(1, 0);
        CompletableFuture<String> failed = limiter.submit(() -> {
            throw new IllegalStateException("bug");
        });
        assertTrue(failed.isCompletedExceptionally());
        assertEquals(0, limiter.running());
        assertEquals("ok", limiter.submit(() -> CompletableFuture.completedFuture("ok")).join());
    }
}
