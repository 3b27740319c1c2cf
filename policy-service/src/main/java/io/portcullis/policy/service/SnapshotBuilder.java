package io.portcullis.policy.service;

import io.portcullis.contracts.events.Action;
import io.portcullis.contracts.events.HeaderField;
import io.portcullis.contracts.policy.Direction;
import io.portcullis.contracts.policy.PolicyRule;
import io.portcullis.contracts.policy.PolicySnapshot;
import io.portcullis.contracts.policy.RuleAction;
import io.portcullis.contracts.policy.RuleCondition;
import io.portcullis.contracts.policy.RuleScope;
import io.portcullis.policy.api.RuleView;
import io.portcullis.policy.api.SettingsView;
import io.portcullis.policy.config.PolicyConfig;
import io.portcullis.policy.entity.AcceptedDomain;
import io.portcullis.policy.entity.RuleEntity;
import io.portcullis.policy.entity.RuleJson;
import io.portcullis.policy.entity.SenderListEntity;
import io.portcullis.policy.entity.Setting;
import io.quarkus.panache.common.Sort;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.transaction.Transactional;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * Reads the stored policy into a {@link PolicySnapshot} and rules into their API and contract forms. Runs inside
 * the caller's transaction, so a change's own snapshot (for validation and the version history) sees the change.
 */
@ApplicationScoped
public class SnapshotBuilder {
    static final Sort RULE_ORDER = Sort.by("priority").and("id");
    private static final Set<String> SHORT_MAIN = Set.of("deliver", "delete", "quarantine", "reject");

    private final PolicyConfig config;

    public SnapshotBuilder(PolicyConfig config) {
        this.config = config;
    }

    /** The snapshot at {@code version}: enabled rules by priority, domains, settings, optionally sender lists. */
    @Transactional(Transactional.TxType.MANDATORY)
    public PolicySnapshot build(long version, boolean withSenderLists) {
        List<String> domains = AcceptedDomain.<AcceptedDomain>listAll(Sort.by("domain")).stream()
                .map(d -> d.domain).toList();
        List<PolicyRule> rules = RuleEntity.<RuleEntity>list("enabled", RULE_ORDER, true).stream()
                .map(SnapshotBuilder::contract).toList();
        SettingsView settings = settings();
        return new PolicySnapshot(config.tenant(), version, domains, settings.spamThreshold(),
                settings.blockedExtensions(), rules,
                withSenderLists ? SenderListEntity.entriesOf(config.tenant()) : List.of(),
                io.portcullis.policy.entity.NotificationTemplateEntity.<io.portcullis.policy.entity.NotificationTemplateEntity>
                        listAll(Sort.by("id")).stream().map(TemplateService::contract).toList());
    }

    @Transactional(Transactional.TxType.MANDATORY)
    public SettingsView settings() {
        Setting threshold = Setting.findById(Setting.SPAM_THRESHOLD);
        Setting extensions = Setting.findById(Setting.BLOCKED_EXTENSIONS);
        if (threshold == null || extensions == null) {
            throw new IllegalStateException("settings rows are missing; the V2 seed migration did not run");
        }
        List<String> list = extensions.value.isEmpty() ? List.of() : Arrays.asList(extensions.value.split(","));
        return new SettingsView(Double.parseDouble(threshold.value), List.copyOf(list));
    }

    /**
     * A stored rule as scanners get it: the full form, plus the equivalent short form when there is one, so that
     * scanners of the first releases (which read only {@code match}/{@code action}) keep applying the rules they
     * understand and skip the others.
     */
    public static PolicyRule contract(RuleEntity r) {
        PolicyRule full = full(r);
        ShortForm s = shortForm(full);
        if (s == null) {
            return full;
        }
        return new PolicyRule(full.id(), full.name(), full.priority(), s.match(), s.action(), s.subjectPrefix(),
                s.headers(), full.direction(), full.scope(), full.conditions(), full.actions(), full.expiresAt());
    }

    /** The stored rule in the full form only. */
    public static PolicyRule full(RuleEntity r) {
        return new PolicyRule(r.id, r.name, r.priority, null, null, null, null, Direction.valueOf(r.direction),
                RuleJson.scope(r.scope), RuleJson.conditions(r.conditions), RuleJson.actions(r.actions),
                r.expiresAt);
    }

    public static RuleView view(RuleEntity r) {
        PolicyRule full = full(r);
        ShortForm s = shortForm(full);
        return new RuleView(r.id, r.name, r.priority, r.enabled, full.direction(), full.scope(), full.conditions(),
                full.actions(), r.expiresAt, r.source, r.outbreak, r.created, r.updated,
                s == null ? null : s.match(), s == null ? null : s.action(), s == null ? null : s.subjectPrefix(),
                s == null ? null : s.headers());
    }

    record ShortForm(String match, Action action, String subjectPrefix, List<HeaderField> headers) {
    }

    /**
     * The short form that means exactly the same as a full rule (anyone, both directions, no expiry, one
     * class/symbol condition, and a main action of the first releases or deliver + tag/header = TAG), else null.
     */
    static ShortForm shortForm(PolicyRule rule) {
        if (rule.direction() != Direction.BOTH || !rule.scope().equals(RuleScope.ANYONE) || rule.expiresAt() != null
                || rule.conditions().size() != 1) {
            return null;
        }
        RuleCondition c = rule.conditions().get(0);
        if (c.negate() || c.field() != null || c.operator() != null || c.threshold() != null
                || c.values().size() != 1) {
            return null;
        }
        String match;
        if (c.type().equals("class")) {
            match = c.values().get(0).strip().toUpperCase(Locale.ROOT);
        } else if (c.type().equals("symbol") && !c.values().get(0).contains("*")) {
            match = "SYMBOL:" + c.values().get(0).strip();
        } else {
            return null;
        }
        List<RuleAction> actions = rule.actions();
        RuleAction first = actions.get(0);
        if (actions.size() == 1 && SHORT_MAIN.contains(first.type()) && first.value() == null
                && first.addresses().isEmpty()) {
            return new ShortForm(match, Action.valueOf(first.type().toUpperCase(Locale.ROOT)), null, List.of());
        }
        if (!first.type().equals("deliver") || first.value() != null || actions.size() > 3 || actions.size() < 2) {
            return null;
        }
        String prefix = null;
        List<HeaderField> headers = List.of();
        for (RuleAction a : actions.subList(1, actions.size())) {
            if (a.type().equals("tag-subject") && prefix == null) {
                prefix = a.value();
            } else if (a.type().equals("add-header") && headers.isEmpty()) {
                headers = a.headers();
            } else {
                return null;
            }
        }
        return new ShortForm(match, Action.TAG, prefix, headers);
    }
}
