package io.portcullis.policy.engine;

import java.util.List;

/**
 * The text content rules read: the decoded subject, the body (text parts and HTML rendered to text) and the text
 * extracted from each attachment. Extraction failures are the extractor's findings, not this record's.
 *
 * @param subject     decoded Subject ("" when none)
 * @param body        body text
 * @param attachments attachment texts, by part path
 * @param complete    false when some attachment's text could not be read (encrypted, unsupported, failed, cut by a
 *                    limit): content conditions on {@code attachments} or {@code all} then hold (fail closed)
 */
public record MessageText(String subject, String body, List<PartText> attachments, boolean complete) {
    /** No text (nothing was extracted, or no rule needs text). */
    public static final MessageText EMPTY = new MessageText("", "", List.of(), true);

    /** All text read. */
    public MessageText(String subject, String body, List<PartText> attachments) {
        this(subject, body, attachments, true);
    }

    public MessageText {
        subject = subject == null ? "" : subject;
        body = body == null ? "" : body;
        attachments = attachments == null ? List.of() : List.copyOf(attachments);
    }

    /**
     * One attachment's text.
     *
     * @param path     the part path
     * @param filename its file name, or null
     * @param text     the extracted text
     */
    public record PartText(String path, String filename, String text) {
        public PartText {
            text = text == null ? "" : text;
        }
    }

    /** The text of a condition's field: {@code subject}, {@code body}, {@code attachments} or {@code all}. */
    public String field(String field) {
        return switch (field) {
            case "subject" -> subject;
            case "body" -> body;
            case "attachments" -> join(false);
            default -> join(true);
        };
    }

    private String join(boolean all) {
        StringBuilder sb = new StringBuilder();
        if (all) {
            sb.append(subject).append("\n\n").append(body);
        }
        for (PartText p : attachments) {
            if (!sb.isEmpty()) {
                sb.append("\n\n");
            }
            sb.append(p.text());
        }
        return sb.toString();
    }
}
