package io.portcullis.scanner.policy;

import io.portcullis.contracts.events.AttachmentMeta;
import io.portcullis.contracts.events.Envelope;
import io.portcullis.contracts.scan.Finding;
import io.portcullis.contracts.scan.ScanItem;
import io.portcullis.policy.engine.AttachmentInfo;
import io.portcullis.policy.engine.MessageText;
import io.portcullis.policy.engine.PolicyInput;
import io.portcullis.scanner.mime.Decomposition;
import io.portcullis.scanner.mime.TrueTypes;
import java.io.IOException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/** Builds what policy rules look at from a scanned message. */
public final class PolicyInputs {
    private PolicyInputs() {
    }

    /** The rule input for a message (the envelope may be null for API scans). */
    public static PolicyInput of(Envelope envelope, long size, List<Finding> findings, Decomposition parts,
            Instant now) {
        return of(envelope, size, findings, parts, now, MessageText.EMPTY);
    }

    /** The rule input with the message's text (for content conditions); attachment types detected here. */
    public static PolicyInput of(Envelope envelope, long size, List<Finding> findings, Decomposition parts,
            Instant now, MessageText text) {
        return of(envelope, size, findings, parts, now, text, new TrueTypes());
    }

    /**
     * The rule input with the message's text, taking attachment true types from {@code types} (those the file-type
     * engine already detected for this message are not detected again).
     */
    public static PolicyInput of(Envelope envelope, long size, List<Finding> findings, Decomposition parts,
            Instant now, MessageText text, TrueTypes types) {
        List<AttachmentInfo> attachments = attachments(parts.items(), types);
        return new PolicyInput(envelope == null ? "" : envelope.mailFrom(),
                envelope == null ? List.of() : envelope.recipients(), size, findings, parts.headers(), attachments,
                now, text);
    }

    /** The attachments as verdicts record them (names, types, sizes). */
    public static List<AttachmentMeta> meta(List<AttachmentInfo> attachments) {
        return attachments.stream().map(a -> new AttachmentMeta(a.path(), a.filename(), a.trueType(), a.size()))
                .toList();
    }

    /**
     * Attachments: MIME parts that carry a file name or are not text, and archive members; one per path (a part may
     * come as several items: alternative names travel as name-only items), with its first file name, its true type
     * from the content and its decoded size.
     */
    static List<AttachmentInfo> attachments(List<ScanItem> items, TrueTypes types) {
        Map<String, List<ScanItem>> byPath = new LinkedHashMap<>();
        for (ScanItem item : items) {
            if (item.depth() >= 1) {
                byPath.computeIfAbsent(item.path(), p -> new ArrayList<>()).add(item);
            }
        }
        List<AttachmentInfo> out = new ArrayList<>();
        for (Map.Entry<String, List<ScanItem>> e : byPath.entrySet()) {
            String name = null;
            String declared = null;
            byte[] content = null;
            int depth = 0;
            for (ScanItem i : e.getValue()) {
                name = name == null ? i.filename() : name;
                declared = declared == null ? i.contentType() : declared;
                content = content == null && i.content() != null && i.content().length > 0 ? i.content() : content;
                depth = Math.max(depth, i.depth());
            }
            boolean text = declared == null || declared.toLowerCase(Locale.ROOT).startsWith("text/")
                    || declared.toLowerCase(Locale.ROOT).startsWith("multipart/");
            if (name == null && text && depth == 1) {
                continue; // a body part, not an attachment
            }
            out.add(new AttachmentInfo(e.getKey(), name, trueType(content, types),
                    content == null ? 0 : content.length));
        }
        return out;
    }

    private static String trueType(byte[] content, TrueTypes types) {
        if (content == null || content.length == 0) {
            return null;
        }
        try {
            return types.of(content).getBaseType().toString();
        } catch (IOException e) {
            return null;
        }
    }
}
