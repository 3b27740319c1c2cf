package io.portcullis.scanner.content;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Duration;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.SynchronousQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A small bounded pool for Tika parses: a fixed number of daemon threads and a bounded queue. A parse that does not
 * finish in time is cancelled (interrupted) and its thread counted as abandoned while it still runs (gauge
 * {@code portcullis.scanner.text.abandoned.running}, counter {@code portcullis.scanner.text.abandoned}); when all
 * threads are stuck, new parses wait in the queue and time out, and beyond the queue they are refused at once: a
 * parser that never returns costs threads, never a hang.
 */
final class ParsePool implements AutoCloseable {

    /** How a parse ended when it did not return a value. */
    enum Outcome { TIMEOUT, REJECTED, FAILED, INTERRUPTED }

    /** A parse that did not return a value. */
    static final class NotDone extends Exception {
        final Outcome outcome;

        NotDone(Outcome outcome, Throwable cause) {
            super(outcome.name(), cause, false, false);
            this.outcome = outcome;
        }
    }

    private final ThreadPoolExecutor executor;
    private final AtomicInteger stuck = new AtomicInteger();
    private final Counter abandoned;

    ParsePool(int threads, int queue, MeterRegistry registry) {
        AtomicInteger n = new AtomicInteger();
        BlockingQueue<Runnable> work = queue == 0 ? new SynchronousQueue<>() : new ArrayBlockingQueue<>(queue);
        this.executor = new ThreadPoolExecutor(threads, threads, 0, TimeUnit.MILLISECONDS, work, r -> {
            Thread t = new Thread(r, "text-extract-" + n.incrementAndGet());
            t.setDaemon(true);
            return t;
        }, new ThreadPoolExecutor.AbortPolicy());
        this.abandoned = Counter.builder("portcullis.scanner.text.abandoned")
                .description("Text extraction parses given up after their time limit while still running")
                .register(registry);
        Gauge.builder("portcullis.scanner.text.abandoned.running", stuck, AtomicInteger::get)
                .description("Abandoned text extraction parses still holding a thread")
                .strongReference(true)
                .register(registry);
    }

    /** Abandoned parses still running. */
    int stuck() {
        return stuck.get();
    }

    /**
     * Runs the parse within the time limit.
     *
     * @throws NotDone TIMEOUT (limit passed, parse cancelled), REJECTED (pool and queue full), FAILED (the parse threw;
     *                 the cause is attached) or INTERRUPTED
     */
    <T> T run(Callable<T> parse, Duration limit) throws NotDone {
        Task<T> task = new Task<>(parse);
        Future<?> future;
        try {
            future = executor.submit(task);
        } catch (RejectedExecutionException e) {
            throw new NotDone(Outcome.REJECTED, null);
        }
        try {
            future.get(Math.max(0, limit.toNanos()), TimeUnit.NANOSECONDS);
            if (task.error != null) {
                throw new NotDone(Outcome.FAILED, task.error);
            }
            return task.result;
        } catch (TimeoutException e) {
            future.cancel(true);
            task.abandon();
            executor.purge(); // a cancelled parse still queued gives its place back
            throw new NotDone(Outcome.TIMEOUT, null);
        } catch (InterruptedException e) {
            future.cancel(true);
            task.abandon();
            Thread.currentThread().interrupt();
            throw new NotDone(Outcome.INTERRUPTED, null);
        } catch (ExecutionException e) {
            throw new NotDone(Outcome.FAILED, e.getCause());
        } catch (java.util.concurrent.CancellationException e) {
            throw new NotDone(Outcome.TIMEOUT, null);
        }
    }

    @Override
    public void close() {
        executor.shutdownNow();
    }

    /** A parse that records its result or error, and whether it was abandoned while running. */
    private final class Task<T> implements Runnable {
        private final Callable<T> parse;
        private final Object lock = new Object();
        private boolean started;
        private boolean finished;
        private boolean gaveUp;
        volatile T result;
        volatile Throwable error;

        Task(Callable<T> parse) {
            this.parse = parse;
        }

        @Override
        public void run() {
            synchronized (lock) {
                if (gaveUp) {
                    return;
                }
                started = true;
            }
            try {
                result = parse.call();
            } catch (Throwable t) {
                // StackOverflowError and OutOfMemoryError in a parser included: the part fails, the worker lives on
                error = t;
            } finally {
                synchronized (lock) {
                    finished = true;
                    if (gaveUp) {
                        stuck.decrementAndGet();
                    }
                }
            }
        }

        void abandon() {
            synchronized (lock) {
                if (gaveUp) {
                    return;
                }
                gaveUp = true;
                if (started && !finished) {
                    stuck.incrementAndGet();
                    abandoned.increment();
                }
            }
        }
    }
}
