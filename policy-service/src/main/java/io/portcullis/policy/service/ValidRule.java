package io.portcullis.policy.service;

import io.portcullis.contracts.policy.PolicyRule;

/**
 * A rule that passed {@link PolicyValidator} and policy-engine's compiler: normalised, in the full form (the short
 * fields of {@code rule} are null), safe to store.
 */
public record ValidRule(PolicyRule rule, boolean enabled) {

    public String id() {
        return rule.id();
    }
}
