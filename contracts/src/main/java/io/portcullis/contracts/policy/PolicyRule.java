package io.portcullis.contracts.policy;

import io.portcullis.contracts.events.Action;
import io.portcullis.contracts.events.HeaderField;
import java.util.List;

/**
 * One rule of a policy snapshot. Rules are evaluated in ascending priority; the first that matches decides.
 *
 * @param id            stable id
 * @param name          human-readable name
 * @param priority      lower runs first
 * @param match         what the rule matches: a verdict class ({@code VIRUS}, {@code SPAM},
 *                      {@code BLOCKED_ATTACHMENT}, {@code SCAN_FAILURE}) or {@code SYMBOL:<name>} for one finding symbol
 * @param action        the action when it matches
 * @param subjectPrefix subject tag for TAG, or null
 * @param addHeaders    headers to add for TAG
 */
public record PolicyRule(String id, String name, int priority, String match, Action action,
        String subjectPrefix, List<HeaderField> addHeaders) {
    public PolicyRule {
        addHeaders = addHeaders == null ? List.of() : List.copyOf(addHeaders);
    }
}
