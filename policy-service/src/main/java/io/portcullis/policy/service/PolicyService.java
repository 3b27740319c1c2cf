package io.portcullis.policy.service;

import io.opentelemetry.instrumentation.annotations.SpanAttribute;
import io.opentelemetry.instrumentation.annotations.WithSpan;
import io.portcullis.contracts.events.Action;
import io.portcullis.contracts.policy.PolicyRule;
import io.portcullis.contracts.policy.PolicySnapshot;
import io.portcullis.policy.api.RuleRequest;
import io.portcullis.policy.api.RuleView;
import io.portcullis.policy.api.SettingsRequest;
import io.portcullis.policy.api.SettingsView;
import io.portcullis.policy.config.PolicyConfig;
import io.portcullis.policy.entity.AcceptedDomain;
import io.portcullis.policy.entity.PolicyVersion;
import io.portcullis.policy.entity.RuleEntity;
import io.portcullis.policy.entity.SenderListEntity;
import io.portcullis.policy.entity.Setting;
import io.quarkus.panache.common.Sort;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.LockModeType;
import jakarta.transaction.Transactional;
import java.time.Clock;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import org.jboss.logging.Logger;

/**
 * Reads and changes the policy. Every change runs in one transaction that first locks the version row (so
 * changes are serialised and versions follow commit order), applies the change, bumps the version and writes a
 * PolicyChanged into the outbox. Nothing is published directly.
 */
@ApplicationScoped
public class PolicyService {
    private static final Logger LOG = Logger.getLogger(PolicyService.class);
    private static final Sort RULE_ORDER = Sort.by("priority").and("id");

    private final PolicyValidator validator;
    private final PolicyChangeLog changeLog;
    private final PolicyConfig config;
    private final Clock clock;

    public PolicyService(PolicyValidator validator, PolicyChangeLog changeLog, PolicyConfig config) {
        this.validator = validator;
        this.changeLog = changeLog;
        this.config = config;
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
        List<String> domains = domains();
        List<PolicyRule> rules = RuleEntity.<RuleEntity>list("enabled", RULE_ORDER, true).stream()
                .map(r -> new PolicyRule(r.id, r.name, r.priority, r.match, Action.valueOf(r.action),
                        r.subjectPrefix, r.addHeaders))
                .toList();
        SettingsView settings = settings();
        return new PolicySnapshot(config.tenant(), version.version, domains, settings.spamThreshold(),
                settings.blockedExtensions(), rules, SenderListEntity.entriesOf(config.tenant()));
    }

    @WithSpan
    @Transactional
    public List<String> domains() {
        return AcceptedDomain.<AcceptedDomain>listAll(Sort.by("domain")).stream().map(d -> d.domain).toList();
    }

    @WithSpan
    @Transactional
    public String addDomain(String raw) {
        String domain = validator.domain(raw);
        changeLog.lock();
        if (AcceptedDomain.findById(domain) != null) {
            throw new DuplicateEntryException("domain", "domain already accepted: " + domain);
        }
        AcceptedDomain entity = new AcceptedDomain();
        entity.domain = domain;
        entity.createdAt = clock.instant();
        entity.persist();
        long version = changeLog.record("domains");
        LOG.infof("accepted domain added, policy version %d", version);
        return domain;
    }

    @WithSpan
    @Transactional
    public void deleteDomain(String raw) {
        String domain = raw == null ? "" : raw.toLowerCase(java.util.Locale.ROOT);
        changeLog.lock();
        if (!AcceptedDomain.deleteById(domain)) {
            throw new UnknownEntryException("domain", "no such domain");
        }
        long version = changeLog.record("domains");
        LOG.infof("accepted domain removed, policy version %d", version);
    }

    @WithSpan
    @Transactional
    public List<RuleView> rules() {
        return RuleEntity.<RuleEntity>listAll(RULE_ORDER).stream().map(PolicyService::view).toList();
    }

    @WithSpan
    @Transactional
    public RuleView rule(@SpanAttribute("rule.id") String id) {
        RuleEntity rule = RuleEntity.findById(id);
        if (rule == null) {
            throw new UnknownEntryException("id", "no such rule");
        }
        return view(rule);
    }

    @WithSpan
    @Transactional
    public RuleView createRule(RuleRequest request) {
        ValidRule valid = validator.rule(request, null);
        changeLog.lock();
        if (RuleEntity.findById(valid.id()) != null) {
            throw new DuplicateEntryException("id", "rule already exists: " + valid.id());
        }
        RuleEntity rule = new RuleEntity();
        rule.id = valid.id();
        rule.created = clock.instant();
        apply(rule, valid, rule.created);
        rule.persist();
        long version = changeLog.record("rules");
        LOG.infof("rule %s created, policy version %d", rule.id, version);
        return view(rule);
    }

    @WithSpan
    @Transactional
    public RuleView updateRule(@SpanAttribute("rule.id") String id, RuleRequest request) {
        ValidRule valid = validator.rule(request, id);
        changeLog.lock();
        RuleEntity rule = RuleEntity.findById(id);
        if (rule == null) {
            throw new UnknownEntryException("id", "no such rule");
        }
        apply(rule, valid, clock.instant());
        long version = changeLog.record("rules");
        LOG.infof("rule %s updated, policy version %d", rule.id, version);
        return view(rule);
    }

    @WithSpan
    @Transactional
    public void deleteRule(@SpanAttribute("rule.id") String id) {
        changeLog.lock();
        if (!RuleEntity.deleteById(id)) {
            throw new UnknownEntryException("id", "no such rule");
        }
        long version = changeLog.record("rules");
        LOG.infof("rule %s deleted, policy version %d", id, version);
    }

    @WithSpan
    @Transactional
    public SettingsView settings() {
        Setting threshold = Setting.findById(Setting.SPAM_THRESHOLD);
        Setting extensions = Setting.findById(Setting.BLOCKED_EXTENSIONS);
        if (threshold == null || extensions == null) {
            throw new IllegalStateException("settings rows are missing; the V2 seed migration did not run");
        }
        List<String> list = extensions.value.isEmpty() ? List.of() : Arrays.asList(extensions.value.split(","));
        return new SettingsView(Double.parseDouble(threshold.value), List.copyOf(list));
    }

    @WithSpan
    @Transactional
    public SettingsView updateSettings(SettingsRequest request) {
        ValidSettings valid = validator.settings(request);
        changeLog.lock();
        put(Setting.SPAM_THRESHOLD, Double.toString(valid.spamThreshold()));
        put(Setting.BLOCKED_EXTENSIONS, String.join(",", valid.blockedExtensions()));
        long version = changeLog.record("settings");
        LOG.infof("settings updated, policy version %d", version);
        return new SettingsView(valid.spamThreshold(), valid.blockedExtensions());
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

    private static void apply(RuleEntity rule, ValidRule valid, Instant now) {
        rule.name = valid.name();
        rule.priority = valid.priority();
        rule.match = valid.match();
        rule.action = valid.action().name();
        rule.subjectPrefix = valid.subjectPrefix();
        rule.addHeaders = valid.addHeaders();
        rule.enabled = valid.enabled();
        rule.updated = now;
    }

    private static RuleView view(RuleEntity r) {
        return new RuleView(r.id, r.name, r.priority, r.match, Action.valueOf(r.action), r.subjectPrefix,
                r.addHeaders, r.enabled, r.created, r.updated);
    }
}
