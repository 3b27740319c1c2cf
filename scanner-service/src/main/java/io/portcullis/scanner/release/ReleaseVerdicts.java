package io.portcullis.scanner.release;

import io.portcullis.contracts.events.Action;
import io.portcullis.contracts.events.Modifications;
import io.portcullis.contracts.events.QuarantineEvent;
import io.portcullis.contracts.events.RecipientDecision;
import io.portcullis.contracts.events.VerdictIssued;
import io.portcullis.contracts.scan.Category;
import io.portcullis.contracts.scan.Finding;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * The {@link VerdictIssued} of a release rescan, which delivery, quarantine-service and report-service act on like
 * any verdict. It is marked as a release rescan by its rule id {@value #RULE_ID}, its id
 * ({@link ReleaseIds#verdictId}) and an INFO finding {@value #MARKER_SYMBOL}. One group, the released recipients
 * (the RELEASED event's envelope): DELIVER when clean, else QUARANTINE in area {@value #VIRUS_AREA} or
 * {@value #UNSCANNABLE_AREA}. The body reference is the released item's quarantined copy; no policy applies
 * (policy version 0), so nothing is tagged, redirected or copied.
 */
public final class ReleaseVerdicts {
    /** Rule id of every release rescan verdict. */
    public static final String RULE_ID = VerdictIssued.RELEASE_RESCAN_RULE;
    /** INFO finding that marks a release rescan (report-service shows it among the symbols). */
    public static final String MARKER_SYMBOL = "RELEASE_RESCAN";
    /** Failure finding when the released message's body could not be read. */
    public static final String BODY_UNREADABLE = "RELEASE_BODY_UNREADABLE";
    /** Quarantine area of a release in which a threat was found. */
    public static final String VIRUS_AREA = "virus";
    /** Quarantine area of a release that could not be scanned. */
    public static final String UNSCANNABLE_AREA = "unscannable";

    private ReleaseVerdicts() {
    }

    /** The verdict for a rescanned release. */
    public static VerdictIssued of(String verdictId, QuarantineEvent released, RescanOutcome rescan, Instant now) {
        List<Finding> findings = new ArrayList<>();
        findings.add(marker(released));
        findings.addAll(rescan.findings());
        boolean virus = rescan.findings().stream().anyMatch(f -> f.category() == Category.VIRUS);
        return verdict(verdictId, released, findings, action(rescan.result()), area(rescan.result()), virus,
                rescan.subject(), rescan.headerMessageId(), rescan.engineVersions(), rescan.messageSize(),
                rescan.attachments(), now);
    }

    /** The verdict for a release whose body could not be read: back to quarantine as unscannable. */
    public static VerdictIssued unreadable(String verdictId, QuarantineEvent released, String problem, Instant now) {
        List<Finding> findings = List.of(marker(released), new Finding(BODY_UNREADABLE, Category.FAILURE, 0, problem));
        return verdict(verdictId, released, findings, Action.QUARANTINE, UNSCANNABLE_AREA, false, null, null,
                java.util.Map.of(), released.body().size(), List.of(), now);
    }

    private static Finding marker(QuarantineEvent released) {
        return new Finding(MARKER_SYMBOL, Category.INFO, 0, "rescan of message " + released.messageId()
                + " released by " + actorKind(released.actor()));
    }

    /** Whether the actor was a user or the system; never the address itself (findings reach reports). */
    private static String actorKind(String actor) {
        if (actor == null || actor.isBlank()) {
            return "unknown";
        }
        return actor.contains("@") ? "a user" : actor.replaceAll("[^A-Za-z0-9._-]", "_");
    }

    private static Action action(RescanOutcome.Result result) {
        return result == RescanOutcome.Result.CLEAN ? Action.DELIVER : Action.QUARANTINE;
    }

    private static String area(RescanOutcome.Result result) {
        return switch (result) {
            case CLEAN -> null;
            case THREAT -> VIRUS_AREA;
            case UNSCANNABLE -> UNSCANNABLE_AREA;
        };
    }

    private static VerdictIssued verdict(String verdictId, QuarantineEvent released, List<Finding> findings,
            Action action, String area, boolean virus, String subject, String headerMessageId,
            java.util.Map<String, String> engineVersions, long size,
            List<io.portcullis.contracts.events.AttachmentMeta> attachments, Instant now) {
        RecipientDecision group = new RecipientDecision(released.envelope().recipients(), action, RULE_ID,
                Modifications.NONE, area, List.of(), null, List.of(), List.of(), List.of());
        Instant receivedAt = released.at() == null ? now : released.at();
        return new VerdictIssued(verdictId, released.tenant(), receivedAt, now, released.envelope(), released.body(),
                headerMessageId, subject, action, RULE_ID, virus, false, 0, findings, Modifications.NONE, 0,
                engineVersions, size, attachments, List.of(), List.of(group));
    }
}
