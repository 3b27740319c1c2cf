package io.portcullis.edge.validation;

import java.util.ArrayDeque;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.RejectedExecutionException;
import java.util.function.Supplier;

/**
 * Caps look-ups in flight: at most {@code maxRunning} at once, up to {@code maxWaiting} more queued (started in
 * order as slots free up), beyond that refused at once. A queued look-up whose caller gave up (its future completed,
 * e.g. by a timeout) is skipped, never started. Thread-safe.
 */
final class LookupLimiter {
    private final int maxRunning;
    private final int maxWaiting;
    private final ArrayDeque<Queued<?>> waiting = new ArrayDeque<>();
    private int running;

    LookupLimiter(int maxRunning, int maxWaiting) {
        if (maxRunning < 1 || maxWaiting < 0) {
            throw new IllegalArgumentException("maxRunning must be positive and maxWaiting not negative");
        }
        this.maxRunning = maxRunning;
        this.maxWaiting = maxWaiting;
    }

    private record Queued<T>(CompletableFuture<T> result, Supplier<CompletableFuture<T>> task) {
    }

    /**
     * Runs the task now or when a slot is free. The result completes with the task's result, or exceptionally with
     * {@link RejectedExecutionException} when too many are waiting. Completing the result early (a timeout) drops a
     * queued task; a running one keeps its slot until it finishes.
     */
    <T> CompletableFuture<T> submit(Supplier<CompletableFuture<T>> task) {
        CompletableFuture<T> result = new CompletableFuture<>();
        synchronized (this) {
            if (running >= maxRunning) {
                if (waiting.size() >= maxWaiting) {
                    return CompletableFuture.failedFuture(new RejectedExecutionException(
                            "more than " + maxWaiting + " recipient look-ups waiting"));
                }
                waiting.add(new Queued<>(result, task));
                return result;
            }
            running++;
        }
        start(new Queued<>(result, task));
        return result;
    }

    private <T> void start(Queued<T> queued) {
        CompletableFuture<T> lookup;
        try {
            lookup = queued.task().get();
        } catch (RuntimeException e) {
            lookup = CompletableFuture.failedFuture(e);
        }
        lookup.whenComplete((value, error) -> {
            release();
            if (error != null) {
                queued.result().completeExceptionally(error);
            } else {
                queued.result().complete(value);
            }
        });
    }

    /** Hands the slot to the next waiting look-up that is still wanted, or frees it. */
    private void release() {
        Queued<?> next;
        synchronized (this) {
            do {
                next = waiting.poll();
            } while (next != null && next.result().isDone());
            if (next == null) {
                running--;
                return;
            }
        }
        start(next);
    }

    synchronized int running() {
        return running;
    }

    synchronized int waiting() {
        return waiting.size();
    }
}
