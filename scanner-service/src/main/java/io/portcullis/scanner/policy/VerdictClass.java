package io.portcullis.scanner.policy;

/** The classes a message can fall into, which policy rules match by name. */
public enum VerdictClass {
    /** Any VIRUS finding. */
    VIRUS,
    /** The sum of SPAM scores reached the snapshot's threshold. */
    SPAM,
    /** Any BLOCKED_ATTACHMENT finding. */
    BLOCKED_ATTACHMENT,
    /** Any FAILURE finding: an engine failed or timed out, or a limit was hit. */
    SCAN_FAILURE
}
