package io.portcullis.policy.engine;

import java.util.Set;

/**
 * What the conditions of a policy read for one message: the input and what the evaluator derived from it once.
 *
 * @param input     the message
 * @param classes   its verdict classes under the policy's spam threshold
 * @param spamScore sum of its SPAM findings' scores
 * @param contentDeadlineNanos {@link System#nanoTime()} by which content conditions must be done
 */
public record EvaluationContext(PolicyInput input, Set<VerdictClass> classes, double spamScore,
        long contentDeadlineNanos) {
}
