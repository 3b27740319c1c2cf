package io.portcullis.scanner.policy;

/** The classes a message can fall into, which policy rules match by name. */
public enum VerdictClass {
    /** Any VIRUS finding. */
    VIRUS,
    /** A worm that mails itself ({@code AV_WORM_MASS_MAILER}); also VIRUS. The sender is forged: never notify it. */
    MASS_MAILER,
    /** Any GRAYWARE finding: spyware, adware, dialers, potentially unwanted applications. Not VIRUS. */
    GRAYWARE,
    /** The sum of SPAM scores reached the snapshot's threshold. */
    SPAM,
    /** Any BLOCKED_ATTACHMENT finding. */
    BLOCKED_ATTACHMENT,
    /** Any ACTIVE_CONTENT finding: macros, PDF JavaScript or launch actions, ActiveX, applets, HTML smuggling. */
    ACTIVE_CONTENT,
    /** Any FAILURE finding: an engine failed or timed out, or a limit was hit. */
    SCAN_FAILURE
}
