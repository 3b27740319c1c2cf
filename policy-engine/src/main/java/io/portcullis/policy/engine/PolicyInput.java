package io.portcullis.policy.engine;

import io.portcullis.contracts.scan.Finding;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Everything a rule can look at for one message.
 *
 * @param sender      envelope sender ("" for the null sender)
 * @param recipients  envelope recipients
 * @param messageSize size of the message in bytes
 * @param findings    every finding of every engine
 * @param headers     top-level headers: lower-case name to decoded values, in order
 * @param attachments the attachments (MIME parts with a file name or a non-text type, and archive members)
 * @param evaluatedAt the time conditions like {@code time-of-day} use
 * @param text        subject, body and attachment text for content conditions ({@link MessageText#EMPTY} when the
 *                    policy has none, see {@link CompiledPolicy#needsText()})
 */
public record PolicyInput(String sender, List<String> recipients, long messageSize, List<Finding> findings,
        Map<String, List<String>> headers, List<AttachmentInfo> attachments, Instant evaluatedAt, MessageText text) {

    /** An input without text. */
    public PolicyInput(String sender, List<String> recipients, long messageSize, List<Finding> findings,
            Map<String, List<String>> headers, List<AttachmentInfo> attachments, Instant evaluatedAt) {
        this(sender, recipients, messageSize, findings, headers, attachments, evaluatedAt, MessageText.EMPTY);
    }

    public PolicyInput {
        sender = sender == null ? "" : sender;
        recipients = List.copyOf(recipients);
        findings = List.copyOf(findings);
        headers = headers == null ? Map.of() : Map.copyOf(headers);
        attachments = attachments == null ? List.of() : List.copyOf(attachments);
        text = text == null ? MessageText.EMPTY : text;
    }

    /** The same input with other findings (e.g. a failure added). */
    public PolicyInput withFindings(List<Finding> other) {
        return new PolicyInput(sender, recipients, messageSize, other, headers, attachments, evaluatedAt, text);
    }

    /** Values of a header (any case), or none. */
    public List<String> header(String name) {
        return headers.getOrDefault(name.toLowerCase(Locale.ROOT), List.of());
    }
}
