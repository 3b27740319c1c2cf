package io.portcullis.quarantine.digest;

import io.portcullis.quarantine.entity.UserRight;
import java.net.URI;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.function.Function;

/**
 * Writes a digest: per item sender, subject, area and date, with one-click links: release (area right RELEASE) or
 * request release (REQUEST; none for NONE), approve sender, delete. Every link is its own signed token pointing at
 * admin-api's {@code /digest-links/{token}} confirmation page. Text from messages is escaped for the HTML part and
 * stripped of control characters in both.
 */
public final class DigestComposer {
    private static final DateTimeFormatter DATE = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm 'UTC'")
            .withZone(ZoneOffset.UTC);
    private static final int MAX_FIELD = 200;

    private DigestComposer() {
    }

    /** The actions a digest offers for an item of an area with this right. */
    public static List<DigestAction> actions(UserRight right) {
        List<DigestAction> actions = new ArrayList<>();
        if (right == UserRight.RELEASE) {
            actions.add(DigestAction.RELEASE);
        } else if (right == UserRight.REQUEST) {
            actions.add(DigestAction.REQUEST_RELEASE);
        }
        actions.add(DigestAction.APPROVE_SENDER);
        actions.add(DigestAction.DELETE);
        return actions;
    }

    /**
     * @param link makes the signed token of one action on one item
     */
    public static DigestMail compose(UUID batch, String address, List<DigestEntry> entries, URI publicUrl,
            Function<LinkRequest, String> link) {
        String base = publicUrl.toString().replaceAll("/+$", "");
        StringBuilder text = new StringBuilder();
        StringBuilder html = new StringBuilder();
        String subject = "Quarantine digest: " + entries.size() + " new message" + (entries.size() == 1 ? "" : "s");
        text.append("Messages to ").append(clean(address)).append(" held in quarantine since your last digest.\n")
                .append("Each link opens a confirmation page; nothing happens until you confirm there.\n\n");
        html.append("<!DOCTYPE html><html><body><p>Messages to ").append(escape(clean(address)))
                .append(" held in quarantine since your last digest. Each link opens a confirmation page; nothing"
                        + " happens until you confirm there.</p><table cellpadding=\"4\">"
                        + "<tr><th align=\"left\">From</th><th align=\"left\">Subject</th><th align=\"left\">Area</th>"
                        + "<th align=\"left\">Date</th><th></th></tr>");
        for (DigestEntry e : entries) {
            String sender = e.sender() == null || e.sender().isEmpty() ? "<>" : clean(e.sender());
            String subj = e.subject() == null ? "(no subject)" : clean(e.subject());
            text.append("From:    ").append(sender).append('\n')
                    .append("Subject: ").append(subj).append('\n')
                    .append("Area:    ").append(clean(e.area())).append('\n')
                    .append("Date:    ").append(DATE.format(e.quarantinedAt())).append('\n');
            html.append("<tr><td>").append(escape(sender)).append("</td><td>").append(escape(subj))
                    .append("</td><td>").append(escape(clean(e.area()))).append("</td><td>")
                    .append(DATE.format(e.quarantinedAt())).append("</td><td>");
            for (DigestAction action : actions(e.right())) {
                String url = base + "/digest-links/" + link.apply(new LinkRequest(e.itemId(), address, action));
                text.append(label(action)).append(": ").append(url).append('\n');
                html.append("<a href=\"").append(escape(url)).append("\">").append(label(action)).append("</a> ");
            }
            text.append('\n');
            html.append("</td></tr>");
        }
        html.append("</table></body></html>");
        return new DigestMail(batch, address, subject, text.toString(), html.toString());
    }

    /** One link to sign. */
    public record LinkRequest(String itemId, String recipient, DigestAction action) {
    }

    static String label(DigestAction action) {
        return switch (action) {
            case RELEASE -> "Release";
            case REQUEST_RELEASE -> "Request release";
            case APPROVE_SENDER -> "Approve sender";
            case DELETE -> "Delete";
        };
    }

    static String clean(String s) {
        if (s == null) {
            return "";
        }
        StringBuilder out = new StringBuilder();
        s.codePoints().filter(c -> c >= 0x20 && c != 0x7f && Character.getType(c) != Character.FORMAT)
                .limit(MAX_FIELD).forEach(out::appendCodePoint);
        return out.toString();
    }

    static String escape(String s) {
        return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\"", "&quot;")
                .replace("'", "&#39;");
    }
}
