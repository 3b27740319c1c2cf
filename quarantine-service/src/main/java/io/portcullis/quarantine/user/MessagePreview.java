package io.portcullis.quarantine.user;

import java.util.List;

/**
 * What an end user may see of a quarantined message: decoded top-level headers, plain text, sanitised HTML, and the
 * attachments by number (download only). {@code limits} names every bound that cut the parsing short.
 */
public record MessagePreview(String subject, String from, String to, String date, String text, String html,
        List<Attachment> attachments, List<String> limits) {

    /** One attachment: numbered from 1 in order of appearance; size is the decoded size. */
    public record Attachment(int index, String filename, String contentType, long size) {
    }
}
