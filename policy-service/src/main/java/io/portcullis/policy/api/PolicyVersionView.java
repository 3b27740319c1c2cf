package io.portcullis.policy.api;

import io.portcullis.contracts.policy.PolicySnapshot;
import java.time.Instant;

/**
 * The policy as it was at one version.
 *
 * @param version  the version
 * @param at       when the change that made it committed (null for the live version when no history row exists)
 * @param actor    who made it (null likewise)
 * @param what     rules, domains, settings or sender-lists (null likewise)
 * @param snapshot the snapshot scanners got at that version, without sender lists
 */
public record PolicyVersionView(long version, Instant at, String actor, String what, PolicySnapshot snapshot) {
}
