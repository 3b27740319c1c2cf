package io.portcullis.scanner.release;

import io.portcullis.contracts.scan.ScanEngine;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;

/**
 * Which engines a release rescan runs. A user released the message from spam or a manager from another area, so the
 * rescan looks only for threats, with the current data: every antivirus engine, true types, packers and active
 * content (decomposition, i.e. unpacking, always runs). Spam engines, sender lists, reputation and the policy's
 * blocked attachments are left out: they are what the release overrode. Every engine must be classified here, so a
 * new engine cannot silently join or miss the rescan ({@link #check}).
 */
public final class ThreatEngines {
    /** Engines run on a released message. */
    static final Set<String> THREAT = Set.of("antivirus", "clamd", "filetype", "packer", "macro",
            "html-active-content", "pdf-active-content");
    /** Engines a release overrides: spam, senders, reputation, authentication, blocked file types. */
    static final Set<String> OVERRIDDEN = Set.of("gtube", "bayes", "rules", "dnsbl", "auth", "sender-lists",
            "blocked-attachment");

    private ThreatEngines() {
    }

    /** Whether the engine runs on a released message. */
    public static boolean runsOnRelease(ScanEngine engine) {
        return THREAT.contains(engine.name());
    }

    /** @throws IllegalStateException naming the engines that are in neither set (fails start-up) */
    public static void check(List<ScanEngine> engines) {
        Set<String> unknown = new TreeSet<>();
        for (ScanEngine e : engines) {
            if (!THREAT.contains(e.name()) && !OVERRIDDEN.contains(e.name())) {
                unknown.add(e.name());
            }
        }
        if (!unknown.isEmpty()) {
            throw new IllegalStateException("engines " + unknown + " are not classified for the release rescan "
                    + "(io.portcullis.scanner.release.ThreatEngines)");
        }
        if (engines.stream().noneMatch(ThreatEngines::runsOnRelease)) {
            throw new IllegalStateException("no threat engine to rescan released messages with");
        }
    }
}
