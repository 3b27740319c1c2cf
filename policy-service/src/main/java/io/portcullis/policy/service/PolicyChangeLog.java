package io.portcullis.policy.service;

import io.portcullis.contracts.events.EventJson;
import io.portcullis.contracts.events.PolicyChanged;
import io.portcullis.contracts.events.Topics;
import io.portcullis.policy.config.PolicyConfig;
import io.portcullis.policy.entity.OutboxEntry;
import io.portcullis.policy.entity.PolicyVersion;
import io.portcullis.policy.messaging.OutboxWritten;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Event;
import jakarta.persistence.LockModeType;
import jakarta.transaction.Transactional;
import java.time.Clock;
import java.time.Instant;

/**
 * The write side of the outbox. Callers run inside their change's transaction: {@link #lock()} before touching
 * anything, {@link #record(String)} after the change. Both are MANDATORY-transactional so an event can never be
 * written outside the change it reports.
 */
@ApplicationScoped
public class PolicyChangeLog {
    private final PolicyConfig config;
    private final Event<OutboxWritten> written;
    private final Clock clock;

    public PolicyChangeLog(PolicyConfig config, Event<OutboxWritten> written) {
        this.config = config;
        this.written = written;
        this.clock = Clock.systemUTC();
    }

    /** Takes the version row's write lock; concurrent changes wait here until this transaction ends. */
    @Transactional(Transactional.TxType.MANDATORY)
    public void lock() {
        current();
    }

    /** Bumps the version and adds the PolicyChanged outbox row; returns the new version. */
    @Transactional(Transactional.TxType.MANDATORY)
    public long record(String what) {
        PolicyVersion version = current();
        version.version++;
        Instant now = clock.instant();
        OutboxEntry entry = new OutboxEntry();
        entry.topic = Topics.POLICY_CHANGED;
        entry.messageKey = config.tenant();
        entry.payload = EventJson.write(new PolicyChanged(config.tenant(), now, version.version, what));
        entry.createdAt = now;
        entry.persist();
        written.fire(new OutboxWritten(version.version)); // observed after commit only
        return version.version;
    }

    private static PolicyVersion current() {
        PolicyVersion version = PolicyVersion.findById(PolicyVersion.ID, LockModeType.PESSIMISTIC_WRITE);
        if (version == null) {
            throw new IllegalStateException("policy_version row is missing; the V2 seed migration did not run");
        }
        return version;
    }
}
