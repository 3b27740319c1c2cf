package io.portcullis.policy.engine;

import java.util.List;

/**
 * What policy decided for one recipient; recipients with equal decisions are delivered as one message.
 *
 * @param main       the main action ({@code deliver} when no rule decided), with the rule that decided (null rule
 *                   id for the default, {@link CompiledPolicy#FAIL_SAFE_RULE} for the fail-safe)
 * @param others     the other actions of every matching rule up to the deciding one, in rule order
 * @param matched    ids of every rule that matched, in order
 */
public record Decision(AppliedAction main, List<AppliedAction> others, List<String> matched) {
    public Decision {
        others = List.copyOf(others);
        matched = List.copyOf(matched);
    }

    /** The main action's type: deliver, delete, quarantine, redirect, defer or reject. */
    public String action() {
        return main.action().type();
    }
}
