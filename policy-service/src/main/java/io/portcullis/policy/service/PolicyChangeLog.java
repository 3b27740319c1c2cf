package io.portcullis.policy.service;

import io.portcullis.contracts.events.EventJson;
import io.portcullis.contracts.events.PolicyChanged;
import io.portcullis.contracts.events.Topics;
import io.portcullis.contracts.policy.PolicySnapshot;
import io.portcullis.policy.config.PolicyConfig;
import io.portcullis.policy.engine.CompiledPolicy;
import io.portcullis.policy.engine.PolicyValidationException;
import io.portcullis.policy.entity.OutboxEntry;
import io.portcullis.policy.entity.PolicyAuditEntry;
import io.portcullis.policy.entity.PolicyVersion;
import io.portcullis.policy.entity.PolicyVersionSnapshot;
import io.portcullis.policy.entity.RuleJson;
import io.portcullis.policy.messaging.OutboxWritten;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Event;
import jakarta.persistence.LockModeType;
import jakarta.transaction.Transactional;
import java.time.Clock;
import java.time.Instant;
import java.util.List;

/**
 * The write side of versions, audit and the outbox. Callers run inside their change's transaction: {@link #lock()}
 * before touching anything, {@link #record(String, String, List)} after the change. Both are MANDATORY-transactional
 * so an event, an audit row or a version can never be written outside the change it reports.
 *
 * <p>{@code record} compiles the resulting snapshot with policy-engine first: a change that would leave a policy
 * the scanners can't compile is refused (400) and the transaction rolls back. Then it bumps the version, stores the
 * snapshot of that version (without sender lists), writes one audit row per part of the change and the PolicyChanged
 * outbox row.
 */
@ApplicationScoped
public class PolicyChangeLog {
    private final PolicyConfig config;
    private final SnapshotBuilder snapshots;
    private final Event<OutboxWritten> written;
    private final Clock clock;

    public PolicyChangeLog(PolicyConfig config, SnapshotBuilder snapshots, Event<OutboxWritten> written) {
        this.config = config;
        this.snapshots = snapshots;
        this.written = written;
        this.clock = Clock.systemUTC();
    }

    /** Takes the version row's write lock; concurrent changes wait here until this transaction ends. */
    @Transactional(Transactional.TxType.MANDATORY)
    public void lock() {
        current();
    }

    /** The current version (call after {@link #lock()}). */
    @Transactional(Transactional.TxType.MANDATORY)
    public long version() {
        return current().version;
    }

    /**
     * Validates the resulting policy, bumps the version, stores its snapshot, audits the change and adds the
     * PolicyChanged outbox row; returns the new version.
     *
     * @param what    the PolicyChanged {@code what}: rules, domains, settings, sender-lists
     * @param actor   who made the change ({@link Actors})
     * @param changes the audited parts (at least one)
     */
    @Transactional(Transactional.TxType.MANDATORY)
    public long record(String what, String actor, List<AuditChange> changes) {
        PolicyVersion version = current();
        version.version++;
        PolicySnapshot snapshot = snapshots.build(version.version, false);
        try {
            CompiledPolicy.compile(snapshot);
        } catch (PolicyValidationException e) {
            throw new InvalidPolicyException(e.field(), "the resulting policy does not compile: " + e.getMessage());
        }
        Instant now = clock.instant();
        PolicyVersionSnapshot history = new PolicyVersionSnapshot();
        history.version = version.version;
        history.at = now;
        history.actor = actor;
        history.what = what;
        history.snapshot = RuleJson.write(snapshot);
        history.persist();
        for (AuditChange change : changes) {
            PolicyAuditEntry entry = new PolicyAuditEntry();
            entry.version = version.version;
            entry.at = now;
            entry.actor = actor;
            entry.operation = change.operation();
            entry.target = change.target();
            entry.before = change.before() == null ? null : RuleJson.write(change.before());
            entry.after = change.after() == null ? null : RuleJson.write(change.after());
            entry.persist();
        }
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
