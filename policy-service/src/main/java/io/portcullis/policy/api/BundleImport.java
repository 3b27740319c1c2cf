package io.portcullis.policy.api;

import java.time.Instant;
import java.util.List;

/**
 * A policy bundle as imported (its {@code signature} is checked before and taken off). See docs/policy.md.
 *
 * @param format        {@value #FORMAT}
 * @param source        the cluster that exported it
 * @param created       when it was exported
 * @param policyVersion the source's policy version at export
 * @param outbreak      an outbreak bundle adds its rules with {@code expiresAt} and removes nothing
 * @param expiresAt     outbreak bundles: when their rules stop applying and are removed; else absent
 * @param rules         rules in the full form (the short form is accepted too)
 */
public record BundleImport(Integer format, String source, Instant created, Long policyVersion, Boolean outbreak,
        Instant expiresAt, List<RuleRequest> rules) {
    /** The bundle format this version writes and reads. */
    public static final int FORMAT = 1;
}
