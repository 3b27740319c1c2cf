package io.portcullis.scanner.rules;

import java.time.Instant;
import java.util.List;

/**
 * The rule set in use and the outcome of the last reload, for {@code GET /api/v1/spam/rules/status}.
 *
 * @param enabled     whether the rule engine runs
 * @param version     short version of the set in use ({@code rules-<12 hex>}, also each scan's engine version)
 * @param hash        {@code sha256:<hex>} over the file names and contents, in order
 * @param rules       rules defined (sub-rules included)
 * @param scoredRules rules that can produce a finding
 * @param files       the files of the set in use, in the order they were applied
 * @param loadedAt    when the set in use was compiled
 * @param lastCheck   when the directories were last read
 * @param reloads     sets swapped in after start-up
 * @param failedReloads reloads refused (the set in use stayed)
 * @param lastError   the last refused reload (every {@code file:line: problem}), cleared by a good one; or null
 */
public record SpamRulesStatus(boolean enabled, String version, String hash, int rules, int scoredRules,
        List<String> files, Instant loadedAt, Instant lastCheck, long reloads, long failedReloads, Failure lastError) {

    /**
     * A refused reload.
     *
     * @param at       when
     * @param message  what was wrong
     * @param problems each {@code file:line: problem} (at most 50)
     */
    public record Failure(Instant at, String message, List<String> problems) {
    }

    /** The answer when the engine is off. */
    public static SpamRulesStatus disabled() {
        return new SpamRulesStatus(false, null, null, 0, 0, List.of(), null, null, 0, 0, null);
    }
}
