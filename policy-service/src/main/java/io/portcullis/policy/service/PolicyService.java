package io.portcullis.policy.service;

import io.opentelemetry.instrumentation.annotations.SpanAttribute;
import io.opentelemetry.instrumentation.annotations.WithSpan;
import io.portcullis.contracts.policy.PolicyRule;
import io.portcullis.contracts.policy.PolicySnapshot;
import io.portcullis.policy.api.RuleRequest;
import io.portcullis.policy.api.RuleView;
import io.portcullis.policy.api.SettingsRequest;
import io.portcullis.policy.api.SettingsView;
import io.portcullis.policy.entity.AcceptedDomain;
import io.portcullis.policy.entity.PolicyVersion;
import io.portcullis.policy.entity.RuleEntity;
import io.portcullis.policy.entity.RuleJson;
import io.portcullis.policy.entity.Setting;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.LockModeType;
import jakarta.transaction.Transactional;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.jboss.logging.Logger;

/**
 * Reads and changes the policy. Every change runs in one transaction that first locks the version row (so
 * changes are serialised and versions follow commit order), applies the change, then lets {@link PolicyChangeLog}
 * validate the resulting policy, bump the version, audit the change with its actor and write a PolicyChanged into
 * the outbox. Nothing is published directly.
 */
@ApplicationScoped
public class PolicyService {
    private static final Logger LOG = Logger.getLogger(PolicyService.class);

    private final PolicyValidator validator;
    private final PolicyChangeLog changeLog;
    private final SnapshotBuilder snapshots;
    private final Clock clock;

    public PolicyService(PolicyValidator validator, PolicyChangeLog changeLog, SnapshotBuilder snapshots) {
        this.validator = validator;
        this.changeLog = changeLog;
        this.snapshots = snapshots;
        this.clock = Clock.systemUTC();
    }

    /**
     * The whole policy as scanners and edges need it. The version row is read with a share lock first, so the
     * snapshot never mixes data from before and after a concurrent change.
     */
    @WithSpan
    @Transactional
    public PolicySnapshot snapshot() {
        PolicyVersion version = PolicyVersion.findById(PolicyVersion.ID, LockModeType.PESSIMISTIC_READ);
        return snapshots.build(version.version, true);
    }

    @WithSpan
    @Transactional
    public List<String> domains() {
        return AcceptedDomain.<AcceptedDomain>listAll(io.quarkus.panache.common.Sort.by("domain")).stream()
                .map(d -> d.domain).toList();
    }

    @WithSpan
    @Transactional
    public String addDomain(String raw, String actorHeader) {
        String domain = validator.domain(raw);
        String actor = Actors.of(actorHeader);
        changeLog.lock();
        if (AcceptedDomain.findById(domain) != null) {
            throw new DuplicateEntryException("domain", "domain already accepted: " + domain);
        }
        AcceptedDomain entity = new AcceptedDomain();
        entity.domain = domain;
        entity.createdAt = clock.instant();
        entity.persist();
        long version = changeLog.record("domains", actor,
                List.of(new AuditChange("domain.add", domain, null, Map.of("domain", domain))));
        LOG.infof("accepted domain added by %s, policy version %d", actor, version);
        return domain;
    }

    @WithSpan
    @Transactional
    public void deleteDomain(String raw, String actorHeader) {
        String domain = raw == null ? "" : raw.toLowerCase(java.util.Locale.ROOT);
        String actor = Actors.of(actorHeader);
        changeLog.lock();
        if (!AcceptedDomain.deleteById(domain)) {
            throw new UnknownEntryException("domain", "no such domain");
        }
        long version = changeLog.record("domains", actor,
                List.of(new AuditChange("domain.delete", domain, Map.of("domain", domain), null)));
        LOG.infof("accepted domain removed by %s, policy version %d", actor, version);
    }

    @WithSpan
    @Transactional
    public List<RuleView> rules() {
        return RuleEntity.<RuleEntity>listAll(SnapshotBuilder.RULE_ORDER).stream().map(SnapshotBuilder::view)
                .toList();
    }

    @WithSpan
    @Transactional
    public RuleView rule(@SpanAttribute("rule.id") String id) {
        RuleEntity rule = RuleEntity.findById(id);
        if (rule == null) {
            throw new UnknownEntryException("id", "no such rule");
        }
        return SnapshotBuilder.view(rule);
    }

    @WithSpan
    @Transactional
    public RuleView createRule(RuleRequest request, String actorHeader) {
        Instant now = clock.instant();
        ValidRule valid = validator.rule(request, null, now);
        String actor = Actors.of(actorHeader);
        changeLog.lock();
        if (RuleEntity.findById(valid.id()) != null) {
            throw new DuplicateEntryException("id", "rule already exists: " + valid.id());
        }
        RuleEntity rule = new RuleEntity();
        rule.id = valid.id();
        rule.created = now;
        apply(rule, valid, null, false, now);
        rule.persist();
        RuleView after = SnapshotBuilder.view(rule);
        long version = changeLog.record("rules", actor,
                List.of(new AuditChange("rule.create", rule.id, null, after)));
        LOG.infof("rule %s created by %s, policy version %d", rule.id, actor, version);
        return after;
    }

    @WithSpan
    @Transactional
    public RuleView updateRule(@SpanAttribute("rule.id") String id, RuleRequest request, String actorHeader) {
        Instant now = clock.instant();
        ValidRule valid = validator.rule(request, id, now);
        String actor = Actors.of(actorHeader);
        changeLog.lock();
        RuleEntity rule = RuleEntity.findById(id);
        if (rule == null) {
            throw new UnknownEntryException("id", "no such rule");
        }
        RuleView before = SnapshotBuilder.view(rule);
        apply(rule, valid, null, false, now); // edited here: it is a local rule from now on
        RuleView after = SnapshotBuilder.view(rule);
        long version = changeLog.record("rules", actor,
                List.of(new AuditChange("rule.replace", rule.id, before, after)));
        LOG.infof("rule %s updated by %s, policy version %d", rule.id, actor, version);
        return after;
    }

    @WithSpan
    @Transactional
    public void deleteRule(@SpanAttribute("rule.id") String id, String actorHeader) {
        String actor = Actors.of(actorHeader);
        changeLog.lock();
        RuleEntity rule = RuleEntity.findById(id);
        if (rule == null) {
            throw new UnknownEntryException("id", "no such rule");
        }
        RuleView before = SnapshotBuilder.view(rule);
        rule.delete();
        long version = changeLog.record("rules", actor,
                List.of(new AuditChange("rule.delete", id, before, null)));
        LOG.infof("rule %s deleted by %s, policy version %d", id, actor, version);
    }

    @WithSpan
    @Transactional
    public SettingsView settings() {
        return snapshots.settings();
    }

    @WithSpan
    @Transactional
    public SettingsView updateSettings(SettingsRequest request, String actorHeader) {
        ValidSettings valid = validator.settings(request);
        String actor = Actors.of(actorHeader);
        changeLog.lock();
        SettingsView before = snapshots.settings();
        put(Setting.SPAM_THRESHOLD, Double.toString(valid.spamThreshold()));
        put(Setting.BLOCKED_EXTENSIONS, String.join(",", valid.blockedExtensions()));
        SettingsView after = new SettingsView(valid.spamThreshold(), valid.blockedExtensions());
        long version = changeLog.record("settings", actor,
                List.of(new AuditChange("settings.replace", null, before, after)));
        LOG.infof("settings updated by %s, policy version %d", actor, version);
        return after;
    }

    private static void put(String key, String value) {
        Setting setting = Setting.findById(key);
        if (setting == null) {
            setting = new Setting();
            setting.key = key;
            setting.value = value;
            setting.persist();
        } else {
            setting.value = value;
        }
    }

    /** Writes a validated rule into an entity; {@code source} is the bundle's source cluster or null. */
    public static void apply(RuleEntity rule, ValidRule valid, String source, boolean outbreak, Instant now) {
        PolicyRule r = valid.rule();
        rule.name = r.name();
        rule.priority = r.priority();
        rule.direction = r.direction().name();
        rule.scope = RuleJson.write(r.scope());
        rule.conditions = RuleJson.write(r.conditions());
        rule.actions = RuleJson.write(r.actions());
        rule.expiresAt = r.expiresAt();
        rule.enabled = valid.enabled();
        rule.source = source;
        rule.outbreak = outbreak;
        rule.updated = now;
    }
}
