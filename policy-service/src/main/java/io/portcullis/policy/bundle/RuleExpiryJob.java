package io.portcullis.policy.bundle;

import io.portcullis.policy.entity.RuleEntity;
import io.portcullis.policy.service.Actors;
import io.portcullis.policy.service.AuditChange;
import io.portcullis.policy.service.PolicyChangeLog;
import io.portcullis.policy.service.SnapshotBuilder;
import io.quarkus.scheduler.Scheduled;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.transaction.Transactional;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.jboss.logging.Logger;

/**
 * Removes rules whose {@code expiresAt} has passed (outbreak rules), in one new policy version audited as
 * {@value Actors#SYSTEM}. Scanners already ignore an expired rule (policy-engine), so removal only tidies the policy
 * and tells everyone. Instances may run it at once: the version row lock serialises them and the later one finds
 * nothing left.
 */
@ApplicationScoped
public class RuleExpiryJob {
    private static final Logger LOG = Logger.getLogger(RuleExpiryJob.class);

    private final PolicyChangeLog changeLog;
    private final Clock clock;

    public RuleExpiryJob(PolicyChangeLog changeLog) {
        this.changeLog = changeLog;
        this.clock = Clock.systemUTC();
    }

    @Scheduled(identity = "policy-rule-expiry", every = "${portcullis.policy.bundles.expiry-interval}",
            concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    void run() {
        removeExpired(clock.instant());
    }

    /** Removes the rules expired at {@code now}; returns how many (0: no new version). */
    @Transactional
    public int removeExpired(Instant now) {
        if (RuleEntity.count("expiresAt <= ?1", now) == 0) {
            return 0;
        }
        changeLog.lock();
        List<RuleEntity> expired = RuleEntity.list("expiresAt <= ?1", now);
        if (expired.isEmpty()) {
            return 0;
        }
        List<AuditChange> changes = new ArrayList<>();
        for (RuleEntity rule : expired) {
            changes.add(new AuditChange("rule.expire", rule.id, SnapshotBuilder.view(rule), null));
            rule.delete();
        }
        long version = changeLog.record("rules", Actors.SYSTEM, changes);
        LOG.infof("%d expired rules removed, policy version %d", expired.size(), version);
        return expired.size();
    }
}
