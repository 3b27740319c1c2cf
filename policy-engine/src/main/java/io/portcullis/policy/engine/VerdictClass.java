package io.portcullis.policy.engine;

import io.portcullis.contracts.scan.Finding;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;

/** The classes a message can fall into, which {@code class} conditions name. */
public enum VerdictClass {
    /** Any VIRUS finding. */
    VIRUS,
    /** A worm that mails itself ({@code AV_WORM_MASS_MAILER}); also VIRUS. The sender is forged: never notify it. */
    MASS_MAILER,
    /** Any GRAYWARE finding: spyware, adware, dialers, potentially unwanted applications. Not VIRUS. */
    GRAYWARE,
    /** The sum of SPAM scores reached the policy's threshold. */
    SPAM,
    /** Any BLOCKED_ATTACHMENT finding. */
    BLOCKED_ATTACHMENT,
    /** Any ACTIVE_CONTENT finding: macros, PDF JavaScript or launch actions, ActiveX, applets, HTML smuggling. */
    ACTIVE_CONTENT,
    /** Any FAILURE finding: an engine failed or timed out, or a limit was hit. */
    SCAN_FAILURE;

    /** The antivirus symbol of mass-mailing worms. */
    public static final String MASS_MAILER_SYMBOL = "AV_WORM_MASS_MAILER";

    /** The classes of a message with these findings under this spam threshold. */
    public static Set<VerdictClass> of(List<Finding> findings, double spamThreshold) {
        Set<VerdictClass> classes = EnumSet.noneOf(VerdictClass.class);
        boolean spamFinding = false;
        for (Finding f : findings) {
            switch (f.category()) {
                case VIRUS -> {
                    classes.add(VIRUS);
                    if (MASS_MAILER_SYMBOL.equals(f.symbol())) {
                        classes.add(MASS_MAILER);
                    }
                }
                case GRAYWARE -> classes.add(GRAYWARE);
                case ACTIVE_CONTENT -> classes.add(ACTIVE_CONTENT);
                case BLOCKED_ATTACHMENT -> classes.add(BLOCKED_ATTACHMENT);
                case FAILURE -> classes.add(SCAN_FAILURE);
                case SPAM -> spamFinding = true;
                default -> {
                }
            }
        }
        if (spamFinding && spamScore(findings) >= spamThreshold) {
            classes.add(SPAM);
        }
        return classes;
    }

    /** Sum of the SPAM findings' scores. */
    public static double spamScore(List<Finding> findings) {
        double s = 0;
        for (Finding f : findings) {
            if (f.category() == io.portcullis.contracts.scan.Category.SPAM) {
                s += f.score();
            }
        }
        return s;
    }
}
