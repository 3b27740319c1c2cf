package io.portcullis.policy.messaging;

import io.quarkus.runtime.StartupEvent;
import io.quarkus.scheduler.Scheduled;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.enterprise.event.TransactionPhase;
import jakarta.annotation.PreDestroy;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.jboss.logging.Logger;

/**
 * Runs the {@link OutboxRelay}: right after every committed change (so a change is published without waiting for
 * the next poll) and on a schedule, which retries rows Kafka refused and catches anything a crash left behind.
 * The Quarkus simple scheduler checks its triggers once a second, so intervals below 1s behave like 1s; the
 * after-commit trigger is what keeps publication prompt.
 */
@ApplicationScoped
public class OutboxRelayJob {
    private static final Logger LOG = Logger.getLogger(OutboxRelayJob.class);

    private final OutboxRelay relay;
    /** One thread, no propagated context: the committed request's transaction must not leak into the relay. */
    private final ExecutorService afterCommit = Executors.newSingleThreadExecutor(r -> {
        Thread t = new Thread(r, "policy-outbox-after-commit");
        t.setDaemon(true);
        return t;
    });
    private volatile boolean started;

    public OutboxRelayJob(OutboxRelay relay) {
        this.relay = relay;
    }

    @PreDestroy
    void stop() {
        afterCommit.shutdownNow();
    }

    /** Creates the relay (which checks its configuration) once messaging is wired, then lets the job run. */
    void onStart(@Observes StartupEvent event) {
        relay.batchSize();
        started = true;
    }

    @Scheduled(identity = "policy-outbox-relay", every = "${portcullis.policy.outbox.interval}",
            concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    void poll() {
        if (started) {
            relay.relayPending();
        }
    }

    private void relayLogged() {
        try {
            relay.relayPending();
        } catch (RuntimeException e) {
            LOG.warn("outbox relay pass failed; the scheduled pass retries", e);
        }
    }

    /** Publishes off the request thread, after the change committed. */
    void onCommit(@Observes(during = TransactionPhase.AFTER_SUCCESS) OutboxWritten written) {
        if (started) {
            afterCommit.execute(this::relayLogged);
        }
    }
}
