package io.portcullis.policy.bundle;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.opentelemetry.instrumentation.annotations.WithSpan;
import io.portcullis.contracts.policy.PolicyRule;
import io.portcullis.policy.api.BundleImport;
import io.portcullis.policy.api.BundleImportResult;
import io.portcullis.policy.api.BundleRule;
import io.portcullis.policy.api.PolicyBundle;
import io.portcullis.policy.api.RuleRequest;
import io.portcullis.policy.api.RuleView;
import io.portcullis.policy.config.PolicyConfig;
import io.portcullis.policy.entity.PolicyVersion;
import io.portcullis.policy.entity.RuleEntity;
import io.portcullis.policy.entity.RuleJson;
import io.portcullis.policy.service.Actors;
import io.portcullis.policy.service.AuditChange;
import io.portcullis.policy.service.DuplicateEntryException;
import io.portcullis.policy.service.InvalidPolicyException;
import io.portcullis.policy.service.PolicyChangeLog;
import io.portcullis.policy.service.PolicyService;
import io.portcullis.policy.service.PolicyValidator;
import io.portcullis.policy.service.SnapshotBuilder;
import io.portcullis.policy.service.TooLargeException;
import io.portcullis.policy.service.UnavailableException;
import io.portcullis.policy.service.UnknownEntryException;
import io.portcullis.policy.service.ValidRule;
import io.quarkus.panache.common.Sort;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.LockModeType;
import jakarta.transaction.Transactional;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;
import org.jboss.logging.Logger;

/**
 * Export and import of signed policy bundles (docs/policy.md, "Storage, versions, audit, bundles").
 *
 * <p>Import is two steps, both called by the resource: {@link #verify(byte[])} parses the JSON, checks the
 * signature and validates every rule (nothing is touched on any error), then {@link #apply(VerifiedBundle, String)}
 * replaces the rules in one transaction and one policy version. A regular bundle replaces the rules of earlier
 * regular bundles of the same source (rules the bundle no longer has are removed) and takes over rules of the same
 * id whatever their origin; rules made here or from other sources are kept. An outbreak bundle only adds or replaces
 * its rules, each expiring at the bundle's {@code expiresAt} at the latest; it may not replace a rule that is not an
 * outbreak rule (409), since the expiry would remove that rule too.
 */
@ApplicationScoped
public class BundleService {
    /** Largest bundle body accepted. */
    public static final int MAX_BYTES = 16 * 1024 * 1024;
    private static final Logger LOG = Logger.getLogger(BundleService.class);
    private static final Pattern SOURCE = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,63}");

    private final BundleSigner signer;
    private final PolicyValidator validator;
    private final PolicyChangeLog changeLog;
    private final ObjectMapper mapper;
    private final String source;
    private final int maxRules;
    private final Clock clock;

    public BundleService(BundleSigner signer, PolicyValidator validator, PolicyChangeLog changeLog,
            ObjectMapper mapper, PolicyConfig config) {
        this.signer = signer;
        this.validator = validator;
        this.changeLog = changeLog;
        this.mapper = mapper;
        this.source = config.bundles().source();
        this.maxRules = config.bundles().maxRules();
        this.clock = Clock.systemUTC();
        if (!SOURCE.matcher(source).matches()) {
            throw new IllegalStateException("portcullis.policy.bundles.source (PORTCULLIS_CLUSTER_NAME) must be 1-64"
                    + " letters, digits, '.', '_' or '-'");
        }
    }

    /** A bundle whose signature and rules passed; ready for {@link #apply}. */
    public record VerifiedBundle(String source, boolean outbreak, List<ValidRule> rules) {
    }

    /**
     * The signed bundle of the current rules (enabled or not), or of the rules {@code ids} when given. An outbreak
     * bundle needs {@code expiresAt} in the future.
     */
    @WithSpan
    @Transactional
    public ObjectNode export(boolean outbreak, Instant expiresAt, List<String> ids) {
        requireKey();
        Instant now = clock.instant();
        if (outbreak && (expiresAt == null || !expiresAt.isAfter(now))) {
            throw new InvalidPolicyException("expiresAt", "an outbreak bundle needs expiresAt in the future");
        }
        if (!outbreak && expiresAt != null) {
            throw new InvalidPolicyException("expiresAt", "only outbreak bundles expire");
        }
        PolicyVersion version = PolicyVersion.findById(PolicyVersion.ID, LockModeType.PESSIMISTIC_READ);
        List<RuleEntity> entities = RuleEntity.listAll(Sort.by("priority").and("id"));
        if (ids != null && !ids.isEmpty()) {
            Set<String> known = new HashSet<>();
            entities.forEach(e -> known.add(e.id));
            for (String id : ids) {
                if (!known.contains(id)) {
                    throw new UnknownEntryException("rule", "no such rule: " + id);
                }
            }
            entities = entities.stream().filter(e -> ids.contains(e.id)).toList();
        }
        List<BundleRule> rules = entities.stream().map(BundleService::bundleRule).toList();
        PolicyBundle bundle = new PolicyBundle(BundleImport.FORMAT, source, now, version.version, outbreak,
                expiresAt, rules);
        ObjectNode json = RuleJson.mapper().valueToTree(bundle);
        ObjectNode signature = json.putObject("signature");
        signature.put("algorithm", BundleSigner.ALGORITHM);
        signature.put("value", signer.sign(json));
        LOG.infof("policy bundle exported: %d rules, policy version %d, outbreak %s", rules.size(), version.version,
                outbreak);
        return json;
    }

    private static BundleRule bundleRule(RuleEntity e) {
        PolicyRule r = SnapshotBuilder.full(e);
        return new BundleRule(r.id(), r.name(), r.priority(), e.enabled, r.direction(), r.scope(), r.conditions(),
                r.actions(), r.expiresAt());
    }

    /**
     * Parses a bundle, checks its signature (400 naming {@code signature} when missing or wrong) and validates every
     * rule (400 naming {@code rules[i]....}). Changes nothing.
     */
    @WithSpan
    public VerifiedBundle verify(byte[] body) throws java.io.IOException {
        requireKey();
        if (body == null || body.length == 0) {
            throw new InvalidPolicyException("body", "a signed policy bundle is required");
        }
        if (body.length > MAX_BYTES) {
            throw new TooLargeException("body", "a policy bundle is at most " + MAX_BYTES + " bytes");
        }
        JsonNode tree = mapper.readTree(body);
        if (tree == null || !tree.isObject()) {
            throw new InvalidPolicyException("body", "a policy bundle is a JSON object");
        }
        ObjectNode object = (ObjectNode) tree;
        JsonNode signature = object.remove("signature");
        if (signature == null || signature.isNull()) {
            throw new InvalidPolicyException("signature", "the bundle is not signed");
        }
        if (!signature.isObject() || !BundleSigner.ALGORITHM.equals(signature.path("algorithm").asText(null))
                || !signature.path("value").isTextual() || signature.size() != 2) {
            throw new InvalidPolicyException("signature",
                    "signature must be {\"algorithm\":\"" + BundleSigner.ALGORITHM + "\",\"value\":base64}");
        }
        if (!signer.verify(object, signature.get("value").asText())) {
            LOG.warn("policy bundle refused: the signature does not match");
            throw new InvalidPolicyException("signature", "the signature does not match: the bundle was changed"
                    + " or signed with another key (PORTCULLIS_POLICY_BUNDLE_KEY)");
        }
        BundleImport bundle = mapper.treeToValue(object, BundleImport.class);
        return validate(bundle);
    }

    private VerifiedBundle validate(BundleImport bundle) {
        if (bundle.format() == null || bundle.format() != BundleImport.FORMAT) {
            throw new InvalidPolicyException("format", "unsupported bundle format (this version reads "
                    + BundleImport.FORMAT + ")");
        }
        if (bundle.source() == null || !SOURCE.matcher(bundle.source()).matches()) {
            throw new InvalidPolicyException("source", "source is 1-64 letters, digits, '.', '_' or '-'");
        }
        Instant now = clock.instant();
        boolean outbreak = Boolean.TRUE.equals(bundle.outbreak());
        if (outbreak && (bundle.expiresAt() == null || !bundle.expiresAt().isAfter(now))) {
            throw new InvalidPolicyException("expiresAt", "an outbreak bundle needs expiresAt in the future");
        }
        if (!outbreak && bundle.expiresAt() != null) {
            throw new InvalidPolicyException("expiresAt", "only outbreak bundles expire");
        }
        if (bundle.rules() == null) {
            throw new InvalidPolicyException("rules", "rules is required (may be empty)");
        }
        if (bundle.rules().size() > maxRules) {
            throw new TooLargeException("rules", "more than " + maxRules + " rules");
        }
        Map<String, Integer> seen = new LinkedHashMap<>();
        List<ValidRule> rules = new ArrayList<>();
        for (int i = 0; i < bundle.rules().size(); i++) {
            String prefix = "rules[" + i + "].";
            RuleRequest request = bundle.rules().get(i);
            if (request == null || request.id() == null) {
                throw new InvalidPolicyException(prefix + "id", "every rule of a bundle has an id");
            }
            ValidRule valid;
            try {
                valid = validator.rule(request, null, now);
            } catch (InvalidPolicyException e) {
                throw new InvalidPolicyException(prefix + e.field(), prefix + e.getMessage());
            }
            Integer first = seen.putIfAbsent(valid.id(), i);
            if (first != null) {
                throw new InvalidPolicyException(prefix + "id", "rules[" + first + "] has the same id");
            }
            if (outbreak) {
                PolicyRule r = valid.rule();
                Instant expires = r.expiresAt() == null || r.expiresAt().isAfter(bundle.expiresAt())
                        ? bundle.expiresAt() : r.expiresAt();
                valid = new ValidRule(new PolicyRule(r.id(), r.name(), r.priority(), null, null, null, null,
                        r.direction(), r.scope(), r.conditions(), r.actions(), expires), valid.enabled());
            }
            rules.add(valid);
        }
        return new VerifiedBundle(bundle.source(), outbreak, rules);
    }

    /** Applies a verified bundle in one transaction and one policy version, audited rule by rule. */
    @WithSpan
    @Transactional
    public BundleImportResult apply(VerifiedBundle bundle, String actorHeader) {
        String actor = Actors.of(actorHeader);
        Instant now = clock.instant();
        changeLog.lock();
        List<AuditChange> changes = new ArrayList<>();
        Set<String> ids = new HashSet<>();
        int created = 0;
        int replaced = 0;
        int removed = 0;
        for (int i = 0; i < bundle.rules().size(); i++) {
            ValidRule valid = bundle.rules().get(i);
            ids.add(valid.id());
            RuleEntity rule = RuleEntity.findById(valid.id());
            if (bundle.outbreak() && rule != null && !rule.outbreak) {
                // its expiry would remove the permanent rule along with the outbreak
                throw new DuplicateEntryException("rules[" + i + "].id", "an outbreak bundle can't replace rule "
                        + rule.id + ", which is not an outbreak rule; give the outbreak rule an id of its own");
            }
            RuleView before = null;
            if (rule == null) {
                rule = new RuleEntity();
                rule.id = valid.id();
                rule.created = now;
                created++;
            } else {
                before = SnapshotBuilder.view(rule);
                replaced++;
            }
            PolicyService.apply(rule, valid, bundle.source(), bundle.outbreak(), now);
            if (before == null) {
                rule.persist();
            }
            changes.add(new AuditChange("bundle.import", rule.id, before, SnapshotBuilder.view(rule)));
        }
        if (!bundle.outbreak()) {
            List<RuleEntity> stale = RuleEntity.list("source = ?1 and outbreak = false", bundle.source());
            for (RuleEntity rule : stale) {
                if (!ids.contains(rule.id)) {
                    changes.add(new AuditChange("bundle.import", rule.id, SnapshotBuilder.view(rule), null));
                    rule.delete();
                    removed++;
                }
            }
        }
        if (changes.isEmpty()) {
            changes.add(new AuditChange("bundle.import", null, null, List.of()));
        }
        long version = changeLog.record("rules", actor, changes);
        LOG.infof("policy bundle imported by %s: %d created, %d replaced, %d removed, outbreak %s, policy version %d",
                actor, created, replaced, removed, bundle.outbreak(), version);
        return new BundleImportResult(bundle.source(), bundle.outbreak(), created, replaced, removed, version);
    }

    private void requireKey() {
        if (!signer.configured()) {
            throw new UnavailableException("policy bundles need a key: set PORTCULLIS_POLICY_BUNDLE_KEY"
                    + " (portcullis.policy.bundles.key), the same on every cluster that exchanges bundles");
        }
    }
}
