package io.portcullis.scanner.content;

import java.util.List;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * The text of one message for content rules (keywords, regular expressions, dictionaries, DLP).
 *
 * <p>Failure is a value: every body part and attachment says whether its text is all there ({@link Status#OK}), cut
 * ({@link Status#TRUNCATED}) or missing and why; policy treats the parts that are not {@link Status#scanned()} as
 * unscannable. Nothing is cached across messages.
 *
 * @param subject     the decoded Subject (RFC 2047), or null
 * @param body        the inline text/plain and text/html parts (HTML rendered to text; both versions of a
 *                    multipart/alternative, so text present in only one of them is not missed)
 * @param attachments every other part and archive entry, in message order
 * @param limits      message-level limits hit (attachment count, message characters, time budget); empty when none
 */
public record MessageText(String subject, List<PartText> body, List<PartText> attachments, List<String> limits) {

    public MessageText {
        body = List.copyOf(body);
        attachments = List.copyOf(attachments);
        limits = List.copyOf(limits);
    }

    /** What became of one part's text. */
    public enum Status {
        /** All text extracted (possibly none, e.g. an empty file). */
        OK,
        /** Text extracted up to a limit (characters, bytes, embedded documents); the rest was not read. */
        TRUNCATED,
        /** An archive or attached message: no text of its own, its entries are listed as attachments. */
        CONTAINER,
        /** Encrypted (password-protected document or archive): no text. */
        ENCRYPTED,
        /** A type without text extraction (image, executable, unknown binary): no text. */
        UNSUPPORTED,
        /** Not extracted because of a limit (depth, count, size, message character budget). */
        LIMIT,
        /** The parser failed (corrupt or malformed content, or no parser thread free). */
        FAILED,
        /** The parse took longer than the per-part limit or the message budget was spent. */
        TIMEOUT;

        /** Whether the part's text (all of it, or a cut) was looked at: OK, TRUNCATED, CONTAINER. */
        public boolean scanned() {
            return this == OK || this == TRUNCATED || this == CONTAINER;
        }

        /** Whether everything of the part was looked at: OK, CONTAINER. */
        public boolean complete() {
            return this == OK || this == CONTAINER;
        }
    }

    /**
     * The text of one body part or attachment.
     *
     * @param path     the decomposition item path ({@code part/2}, {@code part/2/zip:a.docx})
     * @param filename the part's or entry's file name, or null
     * @param trueType the type Tika detects from the bytes (and the name as a hint), e.g. {@code application/pdf}
     * @param size     decoded size in bytes
     * @param text     the extracted text ({@code ""} when none)
     * @param status   what became of the text
     * @param reason   why the status is not OK (a fixed explanation, never content), or null
     */
    public record PartText(String path, String filename, String trueType, long size, String text, Status status,
            String reason) {
        public PartText {
            text = text == null ? "" : text;
        }
    }

    /** The body parts' text, joined by blank lines. */
    public String bodyText() {
        return body.stream().map(PartText::text).filter(t -> !t.isBlank()).collect(Collectors.joining("\n\n"));
    }

    /** Every part, body first. */
    public List<PartText> parts() {
        return Stream.concat(body.stream(), attachments.stream()).toList();
    }

    /** The parts whose text was not looked at (policy: unscannable). */
    public List<PartText> unscannable() {
        return parts().stream().filter(p -> !p.status().scanned()).toList();
    }

    /** Whether all text of the message was extracted: every part OK or CONTAINER and no message limit hit. */
    public boolean complete() {
        return limits.isEmpty() && parts().stream().allMatch(p -> p.status().complete());
    }
}
