package io.portcullis.edge.delivery;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Queue;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Executor;
import java.util.function.Supplier;

/**
 * What this node holds per destination: recipients pending (being attempted, waiting for a quick retry, or held
 * from the durable retry queue until due), the last error, the next attempt, whether the destination is down;
 * and the per-destination concurrency limit.
 *
 * <p>A destination none of whose hosts could be reached is marked down for {@code dead-destination-ttl} (like
 * Postfix's dead-destination cache): attempts for it are not made meanwhile, its recipients go straight to the
 * durable retry queue. A delivery to it clears the mark. Attempts beyond {@code destination-concurrency} wait in
 * a per-destination line without holding a worker thread, so a slow destination never uses more workers than its
 * limit and never delays the others.
 */
public final class DestinationQueues {

    /** One destination as {@code GET /api/v1/delivery/queue} shows it. */
    public record DestinationStatus(String destination, int pending, int active, String lastError,
            Instant lastErrorAt, Instant nextAttempt, Instant downUntil) {
    }

    /** Recipients of one job counted as pending at a destination until closed. */
    public final class Ticket implements AutoCloseable {
        private final State state;
        private final int recipients;
        private volatile Instant nextAttempt;

        private Ticket(State state, int recipients, Instant nextAttempt) {
            this.state = state;
            this.recipients = recipients;
            this.nextAttempt = nextAttempt;
        }

        /** When these recipients are tried next (null: being tried now). */
        public void nextAttempt(Instant at) {
            this.nextAttempt = at;
        }

        @Override
        public void close() {
            state.tickets.remove(this);
        }
    }

    private final class State {
        final String key;
        final Set<Ticket> tickets = ConcurrentHashMap.newKeySet();
        final Queue<Runnable> waiting = new ConcurrentLinkedQueue<>();
        int active;
        volatile String lastError;
        volatile Instant lastErrorAt;
        volatile Instant downUntil;

        State(String key) {
            this.key = key;
        }

        boolean idle() {
            synchronized (this) {
                return tickets.isEmpty() && active == 0 && waiting.isEmpty()
                        && (downUntil == null || !downUntil.isAfter(clock.instant()));
            }
        }
    }

    private final Map<String, State> states = new ConcurrentHashMap<>();
    private final int concurrency;
    private final Duration deadTtl;
    private final Clock clock;

    /**
     * @param concurrency attempts per destination at once
     * @param deadTtl     how long an unreachable destination is considered down (zero: never)
     */
    public DestinationQueues(int concurrency, Duration deadTtl, Clock clock) {
        if (concurrency < 1) {
            throw new IllegalArgumentException("portcullis.delivery.destination-concurrency must be at least 1");
        }
        if (deadTtl.isNegative()) {
            throw new IllegalArgumentException("portcullis.delivery.dead-destination-ttl must not be negative");
        }
        this.concurrency = concurrency;
        this.deadTtl = deadTtl;
        this.clock = clock;
    }

    private State state(String key) {
        return states.computeIfAbsent(Objects.requireNonNull(key, "destination"), State::new);
    }

    /** Counts {@code recipients} as pending at {@code destination} until the ticket is closed. */
    public Ticket pending(String destination, int recipients, Instant nextAttempt) {
        State s = state(destination);
        Ticket t = new Ticket(s, recipients, nextAttempt);
        s.tickets.add(t);
        return t;
    }

    /**
     * Runs {@code attempt} on {@code executor} once fewer than {@code concurrency} attempts to the destination are
     * running; meanwhile it waits in the destination's line, holding no thread.
     */
    public <T> CompletableFuture<T> submit(String destination, Supplier<T> attempt, Executor executor) {
        State s = state(destination);
        CompletableFuture<T> result = new CompletableFuture<>();
        Runnable task = () -> {
            try {
                CompletableFuture.supplyAsync(attempt, executor).whenComplete((value, error) -> {
                    release(s);
                    if (error != null) {
                        result.completeExceptionally(error);
                    } else {
                        result.complete(value);
                    }
                });
            } catch (RuntimeException e) {
                release(s);
                result.completeExceptionally(e);
            }
        };
        boolean runNow;
        synchronized (s) {
            runNow = s.active < concurrency;
            if (runNow) {
                s.active++;
            } else {
                s.waiting.add(task);
            }
        }
        if (runNow) {
            task.run();
        }
        return result;
    }

    private void release(State s) {
        Runnable next;
        synchronized (s) {
            next = s.waiting.poll();
            if (next == null) {
                s.active--;
            }
        }
        if (next != null) {
            next.run();
        }
    }

    /** Records a failed attempt's reply; marks the destination down when none of its hosts could be reached. */
    public void failed(String destination, String reply, boolean unreachable) {
        State s = state(destination);
        s.lastError = redact(reply);
        s.lastErrorAt = clock.instant();
        if (unreachable && !deadTtl.isZero()) {
            s.downUntil = clock.instant().plus(deadTtl);
        }
    }

    /** Replies often quote the recipient: the queue view shows its domain only (no full addresses, like logs). */
    static String redact(String reply) {
        return reply == null ? null : reply.replaceAll("[^\\s<>\"@]+@([^\\s<>\"@]+)", "*@$1");
    }

    /** A host of the destination took the message: it is up. */
    public void reached(String destination) {
        state(destination).downUntil = null;
        if (states.size() > 10_000) {
            forgetIdle();
        }
    }

    /** Why the destination is down now, or null when it is not. */
    public String down(String destination) {
        State s = states.get(destination);
        if (s == null) {
            return null;
        }
        Instant until = s.downUntil;
        if (until == null || !until.isAfter(clock.instant())) {
            return null;
        }
        return "destination " + destination + " is down until " + until + " after: " + s.lastError;
    }

    /** Every destination with something pending, an error or a down mark, busiest first; forgets idle ones. */
    public List<DestinationStatus> snapshot() {
        List<DestinationStatus> out = new ArrayList<>();
        for (State s : states.values()) {
            int pending = 0;
            Instant next = null;
            for (Ticket t : s.tickets) {
                pending += t.recipients;
                Instant at = t.nextAttempt;
                if (at != null && (next == null || at.isBefore(next))) {
                    next = at;
                }
            }
            int active;
            synchronized (s) {
                active = s.active;
            }
            Instant down = s.downUntil != null && s.downUntil.isAfter(clock.instant()) ? s.downUntil : null;
            if (pending == 0 && active == 0 && down == null && s.lastError == null) {
                continue;
            }
            out.add(new DestinationStatus(s.key, pending, active, s.lastError, s.lastErrorAt, next, down));
        }
        out.sort(Comparator.comparingInt(DestinationStatus::pending).reversed()
                .thenComparing(DestinationStatus::destination));
        forgetIdle();
        return out;
    }

    /** Drops destinations with nothing pending whose last error is older than a day (bounded memory under MX). */
    private void forgetIdle() {
        Instant dayAgo = clock.instant().minus(Duration.ofDays(1));
        states.values().removeIf(s -> (s.lastErrorAt == null || s.lastErrorAt.isBefore(dayAgo)) && s.idle());
    }
}
