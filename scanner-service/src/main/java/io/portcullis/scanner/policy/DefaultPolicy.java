package io.portcullis.scanner.policy;

import io.portcullis.contracts.events.Action;
import io.portcullis.contracts.events.HeaderField;
import io.portcullis.contracts.policy.PolicyRule;
import io.portcullis.contracts.policy.PolicySnapshot;
import java.util.List;

/**
 * The built-in snapshot used until policy-service answers: the same as the policy a fresh installation is seeded with
 * (policy-service V2, V3, V5 and V6 migrations), but version 0 so that any fetched snapshot replaces it.
 */
public final class DefaultPolicy {
    public static final PolicySnapshot SNAPSHOT = new PolicySnapshot("default", 0,
            List.of("example.com", "example.org"), 5.0,
            List.of("exe", "scr", "pif", "com", "bat", "cmd", "vbs", "vbe", "js", "jse", "wsf", "hta", "jar", "lnk",
                    "ps1", "msi", "cpl"),
            List.of(
                    new PolicyRule("mass-mailer-delete", "Delete mass-mailing worms without notifying the sender", 5,
                            "MASS_MAILER", Action.DELETE, null, List.of()),
                    new PolicyRule("virus-quarantine", "Quarantine viruses", 10, "VIRUS", Action.QUARANTINE, null,
                            List.of()),
                    new PolicyRule("grayware-quarantine", "Quarantine spyware, adware and other grayware", 15,
                            "GRAYWARE", Action.QUARANTINE, null, List.of()),
                    new PolicyRule("blocked-attachment-quarantine", "Quarantine blocked attachments", 20,
                            "BLOCKED_ATTACHMENT", Action.QUARANTINE, null, List.of()),
                    new PolicyRule("active-content-quarantine",
                            "Quarantine macros, PDF JavaScript, ActiveX, applets and HTML smuggling", 25,
                            "ACTIVE_CONTENT", Action.QUARANTINE, null, List.of()),
                    new PolicyRule("scan-failure-quarantine", "Quarantine when a scan failed", 30, "SCAN_FAILURE",
                            Action.QUARANTINE, null, List.of()),
                    new PolicyRule("blocked-sender-quarantine", "Quarantine mail from blocked senders", 34,
                            "SYMBOL:BLOCKED_SENDER", Action.QUARANTINE, null, List.of()),
                    new PolicyRule("dmarc-reject-quarantine",
                            "Quarantine mail failing DMARC of a domain that asks for reject", 35,
                            "SYMBOL:DMARC_REJECT", Action.QUARANTINE, null, List.of()),
                    new PolicyRule("safe-sender-deliver", "Deliver mail from safe senders without spam filtering", 38,
                            "SYMBOL:SAFE_SENDER", Action.DELIVER, null, List.of()),
                    new PolicyRule("spam-tag", "Tag spam", 40, "SPAM", Action.TAG, "[SPAM] ",
                            List.of(new HeaderField("X-Portcullis-Spam", "yes")))));

    private DefaultPolicy() {
    }
}
