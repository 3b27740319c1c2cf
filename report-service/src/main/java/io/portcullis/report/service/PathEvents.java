package io.portcullis.report.service;

import io.portcullis.contracts.events.DeliveryEvent;
import io.portcullis.contracts.events.QuarantineEvent;
import io.portcullis.contracts.events.VerdictIssued;
import io.portcullis.contracts.scan.Finding;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/** Maps pipeline events to path steps. Pure. */
public final class PathEvents {
    /** Longest detail stored; longer remote replies are cut. */
    public static final int MAX_DETAIL_LENGTH = 1000;

    private PathEvents() {
    }

    /**
     * A verdict is two steps: RECEIVED at receivedAt and SCANNED at scannedAt; SCANNED's detail names the action, rule,
     * symbols and each engine's data version ({@code antivirus=<signature bundle version>}).
     */
    public static List<PathEvent> of(VerdictIssued v) {
        String received = v.envelope() == null ? null
                : "recipients=" + v.envelope().recipients().size() + " tls=" + v.envelope().tls();
        StringBuilder scanned = new StringBuilder("action=").append(v.action());
        if (v.ruleId() != null) {
            scanned.append(" rule=").append(v.ruleId());
        }
        scanned.append(" virus=").append(v.virus()).append(" spam=").append(v.spam())
                .append(" score=").append(v.spamScore());
        String symbols = symbols(v);
        if (!symbols.isEmpty()) {
            scanned.append(" symbols=").append(symbols);
        }
        // which signature bundle (pattern file) and other engine data versions scanned it, sorted for stable output
        new java.util.TreeMap<>(v.engineVersions()).forEach((engine, version) ->
                scanned.append(' ').append(engine).append("=").append(version));
        return List.of(new PathEvent("RECEIVED", v.receivedAt(), received, null),
                new PathEvent("SCANNED", v.scannedAt(), cut(scanned.toString()), MessageState.SCANNED));
    }

    /** A delivery step; its kind (MESSAGE, BCC_COPY, RELEASE; MESSAGE for events of the first releases) is kept. */
    public static PathEvent of(DeliveryEvent d) {
        StringBuilder detail = new StringBuilder("attempt=").append(d.attempt());
        if (d.nextHop() != null) {
            detail.append(" nextHop=").append(d.nextHop());
        }
        if (!d.recipients().isEmpty()) {
            detail.append(" recipients=").append(String.join(",", d.recipients()));
        }
        if (d.reply() != null) {
            detail.append(" reply=").append(d.reply());
        }
        MessageState state = switch (d.status()) {
            case DELIVERED -> MessageState.DELIVERED;
            case DEFERRED -> MessageState.DEFERRED;
            case FAILED -> MessageState.FAILED;
            case DROPPED -> MessageState.DROPPED;
            case DSN_SENT -> null;
        };
        return new PathEvent(d.status().name(), d.at(), cut(detail.toString()), state, d.kind().name(), null, null);
    }

    /** A quarantine step with its item (the message id for events of the first releases) and area (may be null). */
    public static PathEvent of(QuarantineEvent q) {
        List<String> parts = new ArrayList<>();
        if (q.reason() != null) {
            parts.add("reason=" + q.reason());
        }
        if (q.actor() != null) {
            parts.add("actor=" + q.actor());
        }
        MessageState state = switch (q.type()) {
            case QUARANTINED -> MessageState.QUARANTINED;
            case RELEASED -> MessageState.RELEASED;
            case DELETED -> MessageState.DELETED;
        };
        return new PathEvent(q.type().name(), q.at(), parts.isEmpty() ? null : cut(String.join(" ", parts)), state,
                null, clean(q.itemId(), TrackingWriter.MAX_ID), clean(q.area(), TrackingWriter.MAX_ID));
    }

    /** Distinct finding symbols in the order the engines reported them, comma-separated. */
    public static String symbols(VerdictIssued v) {
        Set<String> symbols = new LinkedHashSet<>();
        for (Finding f : v.findings()) {
            if (f != null && f.symbol() != null && !f.symbol().isEmpty()) {
                symbols.add(f.symbol());
            }
        }
        return String.join(",", symbols);
    }

    /** Text safe for a PostgreSQL text column and for display: no NUL or other control characters, bounded. */
    public static String clean(String text, int max) {
        if (text == null) {
            return null;
        }
        StringBuilder out = new StringBuilder(Math.min(text.length(), max));
        for (int i = 0; i < text.length() && out.length() < max; i++) {
            char c = text.charAt(i);
            out.append(Character.isISOControl(c) ? ' ' : c);
        }
        return out.toString();
    }

    private static String cut(String detail) {
        return clean(detail, MAX_DETAIL_LENGTH);
    }
}
