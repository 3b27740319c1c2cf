package io.portcullis.policy.simulation;

import io.opentelemetry.api.trace.Span;
import io.opentelemetry.instrumentation.annotations.WithSpan;
import io.portcullis.contracts.policy.PolicyRule;
import io.portcullis.contracts.policy.PolicySnapshot;
import io.portcullis.policy.config.PolicyConfig;
import io.portcullis.policy.engine.CompiledRule;
import io.portcullis.policy.engine.PolicyValidationException;
import io.portcullis.policy.service.InvalidPolicyException;
import io.portcullis.policy.service.PolicyService;
import io.quarkus.runtime.Startup;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import org.jboss.logging.Logger;

/**
 * Rule simulation: what a candidate rule would have done to the last recorded messages. Builds the candidate policy
 * from the current snapshot (the candidate added, or replacing {@code replaceRuleId}; {@code disabled} rules left
 * out), validates it with policy-engine, reads the recorded verdicts from report-service and runs {@link Simulator}.
 * Nothing is stored.
 */
@Startup
@ApplicationScoped
public class SimulationService {
    /** Messages simulated on without {@code limit}. */
    static final int DEFAULT_LIMIT = 1000;
    /** Most messages one simulation reads (report-service's bound). */
    static final int MAX_LIMIT = 10_000;
    private static final Logger LOG = Logger.getLogger(SimulationService.class);

    private final PolicyService policy;
    private final RecordedVerdictClient recorded;
    private final PolicyConfig config;

    public SimulationService(PolicyService policy, RecordedVerdictClient recorded, PolicyConfig config) {
        if (config.simulation().maxListed() < 0) {
            throw new IllegalArgumentException("portcullis.policy.simulation.max-listed must not be negative");
        }
        this.policy = policy;
        this.recorded = recorded;
        this.config = config;
    }

    /**
     * @throws InvalidPolicyException naming the field at fault ({@code rule.conditions[0].operator}, {@code limit},
     *     {@code replaceRuleId}, {@code disabled[1]})
     * @throws io.portcullis.policy.service.UnavailableException when report-service can't answer
     */
    @WithSpan
    public SimulationResult simulate(SimulationRequest request) {
        if (request == null || request.rule() == null) {
            throw new InvalidPolicyException("rule", "a rule to simulate is required");
        }
        int limit = request.limit() == null ? DEFAULT_LIMIT : request.limit();
        if (limit < 1 || limit > MAX_LIMIT) {
            throw new InvalidPolicyException("limit", "limit must be from 1 to " + MAX_LIMIT);
        }
        PolicyRule rule = request.rule().toPolicyRule();
        try {
            CompiledRule.compile(rule);
        } catch (PolicyValidationException e) {
            throw new InvalidPolicyException("rule." + e.field(), "rule." + e.getMessage());
        }
        PolicySnapshot current = policy.snapshot();
        List<PolicyRule> changed = new ArrayList<>();
        List<PolicyRule> rules = new ArrayList<>(current.rules());
        if (request.replaceRuleId() != null) {
            PolicyRule replaced = find(current, request.replaceRuleId());
            if (replaced == null) {
                throw new InvalidPolicyException("replaceRuleId", "no enabled rule with this id in the current "
                        + "policy");
            }
            rules.remove(replaced);
            changed.add(replaced);
        }
        if (rules.stream().anyMatch(r -> Objects.equals(r.id(), rule.id()))) {
            throw new InvalidPolicyException("rule.id", "the current policy has a rule with this id; set "
                    + "replaceRuleId to simulate changing it");
        }
        if (request.disabled().size() > 1000) {
            throw new InvalidPolicyException("disabled", "more than 1,000 rule ids");
        }
        Set<String> seen = new HashSet<>();
        for (int i = 0; i < request.disabled().size(); i++) {
            String id = request.disabled().get(i);
            PolicyRule off = id == null ? null : find(current, id);
            if (off == null || !rules.contains(off) || !seen.add(id)) {
                throw new InvalidPolicyException("disabled[" + i + "]", "not an enabled rule of the current "
                        + "policy (or replaced, or named twice)");
            }
            rules.remove(off);
            changed.add(off);
        }
        rules.add(rule);
        changed.add(rule);
        PolicySnapshot candidate = new PolicySnapshot(current.tenant(), current.version(), current.acceptedDomains(),
                current.spamThreshold(), current.blockedExtensions(), rules, current.senderLists());
        Simulator simulator;
        try {
            simulator = new Simulator(current, candidate, changed);
        } catch (PolicyValidationException e) {
            // the candidate compiled alone, so an existing rule does not: not the caller's fault
            throw new IllegalStateException("the current policy does not compile: " + e.getMessage(), e);
        }
        List<RecordedMessage> messages = recorded.last(current.tenant(), limit);
        SimulationResult result = simulator.run(messages, config.simulation().maxListed());
        Span.current().setAttribute("portcullis.simulation.messages", result.messages());
        Span.current().setAttribute("portcullis.simulation.changed", result.changed());
        LOG.infof("simulated rule %s on %d recorded messages (policy version %d): %d changed, %d uncertain",
                rule.id(), result.messages(), current.version(), result.changed(), result.uncertain());
        return result;
    }

    private static PolicyRule find(PolicySnapshot s, String id) {
        return s.rules().stream().filter(r -> Objects.equals(r.id(), id)).findFirst().orElse(null);
    }
}
