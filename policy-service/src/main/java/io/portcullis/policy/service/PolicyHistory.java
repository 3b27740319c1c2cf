package io.portcullis.policy.service;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import io.opentelemetry.instrumentation.annotations.SpanAttribute;
import io.opentelemetry.instrumentation.annotations.WithSpan;
import io.portcullis.contracts.policy.PolicySnapshot;
import io.portcullis.policy.api.AuditEntryView;
import io.portcullis.policy.api.PolicyVersionView;
import io.portcullis.policy.entity.PolicyAuditEntry;
import io.portcullis.policy.entity.PolicyVersion;
import io.portcullis.policy.entity.PolicyVersionSnapshot;
import io.portcullis.policy.entity.RuleJson;
import io.quarkus.panache.common.Page;
import io.quarkus.panache.common.Sort;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.LockModeType;
import jakarta.transaction.Transactional;
import java.util.List;

/** Reads the audit log and the policy as it was at a version. */
@ApplicationScoped
public class PolicyHistory {
    /** Most audit entries per page. */
    public static final int MAX_LIMIT = 500;
    /** Audit entries per page when no limit is given. */
    public static final int DEFAULT_LIMIT = 50;

    private final SnapshotBuilder snapshots;

    public PolicyHistory(SnapshotBuilder snapshots) {
        this.snapshots = snapshots;
    }

    /** Audit entries newest first, with ids below {@code before} when given. */
    @WithSpan
    @Transactional
    public List<AuditEntryView> audit(Integer limit, Long before) {
        int size = limit == null ? DEFAULT_LIMIT : limit;
        if (size < 1 || size > MAX_LIMIT) {
            throw new InvalidPolicyException("limit", "limit is 1 to " + MAX_LIMIT);
        }
        List<PolicyAuditEntry> entries = before == null
                ? PolicyAuditEntry.findAll(Sort.descending("id")).page(Page.ofSize(size)).list()
                : PolicyAuditEntry.find("id < ?1", Sort.descending("id"), before).page(Page.ofSize(size)).list();
        return entries.stream().map(e -> new AuditEntryView(e.id, e.version, e.at, e.actor, e.operation, e.target,
                json(e.before), json(e.after))).toList();
    }

    /** The policy at {@code version}: from the history, or live when it is the current version. */
    @WithSpan
    @Transactional
    public PolicyVersionView version(@SpanAttribute("policy.version") long version) {
        PolicyVersionSnapshot stored = PolicyVersionSnapshot.findById(version);
        if (stored != null) {
            PolicySnapshot snapshot = read(stored.snapshot);
            return new PolicyVersionView(version, stored.at, stored.actor, stored.what, snapshot);
        }
        PolicyVersion current = PolicyVersion.findById(PolicyVersion.ID, LockModeType.PESSIMISTIC_READ);
        if (current.version == version) {
            return new PolicyVersionView(version, null, null, null, snapshots.build(version, false));
        }
        throw new UnknownEntryException("version", "no record of policy version " + version
                + " (versions are kept from the release that added the history on)");
    }

    private static PolicySnapshot read(String json) {
        try {
            return RuleJson.mapper().readValue(json, PolicySnapshot.class);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("stored snapshot is not valid JSON", e);
        }
    }

    private static JsonNode json(String text) {
        if (text == null) {
            return null;
        }
        try {
            return RuleJson.mapper().readTree(text);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("stored audit JSON is not valid", e);
        }
    }
}
