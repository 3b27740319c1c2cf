package io.portcullis.report.service;

import com.fasterxml.jackson.core.type.TypeReference;
import io.portcullis.contracts.events.AttachmentMeta;
import io.portcullis.contracts.events.EventJson;
import io.portcullis.contracts.events.VerdictIssued;
import io.portcullis.contracts.scan.Finding;
import io.portcullis.report.api.RecordedFinding;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * The verdict details kept for rule simulation, bounded and cleaned so that no verdict can bloat a row or make
 * PostgreSQL refuse the JSON (control characters, NUL, non-finite numbers). Lists beyond their bound are cut.
 */
public final class RecordedDetails {
    static final int MAX_FINDINGS = 500;
    static final int MAX_ATTACHMENTS = 1000;
    static final int MAX_RULES = 200;
    static final int MAX_SYMBOL = 128;
    static final int MAX_PATH = 512;
    static final int MAX_NAME = 255;
    static final int MAX_TYPE = 128;
    static final int MAX_RULE_ID = 128;

    private static final TypeReference<List<RecordedFinding>> FINDINGS = new TypeReference<>() {
    };
    private static final TypeReference<List<AttachmentMeta>> ATTACHMENTS = new TypeReference<>() {
    };

    private RecordedDetails() {
    }

    /** The findings as stored: symbol, category, score (null when not finite); no detail. */
    public static List<RecordedFinding> findings(VerdictIssued v) {
        return v.findings().stream().filter(f -> f != null && f.symbol() != null && f.category() != null)
                .limit(MAX_FINDINGS).map(RecordedDetails::finding).toList();
    }

    private static RecordedFinding finding(Finding f) {
        return new RecordedFinding(text(f.symbol(), MAX_SYMBOL), f.category(),
                Double.isFinite(f.score()) ? f.score() : null);
    }

    /** The attachments as stored; negative sizes become 0. */
    public static List<AttachmentMeta> attachments(VerdictIssued v) {
        return v.attachments().stream().filter(a -> a != null).limit(MAX_ATTACHMENTS)
                .map(a -> new AttachmentMeta(text(a.path(), MAX_PATH),
                        text(a.filename(), MAX_NAME), text(a.trueType(), MAX_TYPE),
                        Math.max(0, a.size())))
                .toList();
    }

    /** The matched rule ids as stored. */
    public static List<String> matchedRules(VerdictIssued v) {
        return v.matchedRules().stream().filter(r -> r != null && !r.isEmpty()).limit(MAX_RULES)
                .map(r -> text(r, MAX_RULE_ID)).toList();
    }

    /**
     * Control characters become spaces (PostgreSQL refuses NUL in JSON), the text is cut, and unpaired surrogates
     * become U+FFFD (the JSON writer refuses them, which would hold the record forever).
     */
    static String text(String value, int max) {
        String s = PathEvents.clean(value, max);
        if (s == null) {
            return null;
        }
        StringBuilder out = new StringBuilder(s.length());
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (Character.isHighSurrogate(c) && i + 1 < s.length() && Character.isLowSurrogate(s.charAt(i + 1))) {
                out.append(c).append(s.charAt(++i));
            } else {
                out.append(Character.isSurrogate(c) ? '\uFFFD' : c);
            }
        }
        return out.toString();
    }

    static String json(Object value) {
        return new String(EventJson.write(value), StandardCharsets.UTF_8);
    }

    static List<RecordedFinding> readFindings(String json) {
        return read(json, FINDINGS);
    }

    static List<AttachmentMeta> readAttachments(String json) {
        return read(json, ATTACHMENTS);
    }

    private static <T> List<T> read(String json, TypeReference<List<T>> type) {
        if (json == null) {
            return List.of();
        }
        try {
            List<T> list = EventJson.mapper().readValue(json, type);
            return list == null ? List.of() : list;
        } catch (IOException e) {
            throw new IllegalStateException("stored verdict details are not readable", e);
        }
    }
}
