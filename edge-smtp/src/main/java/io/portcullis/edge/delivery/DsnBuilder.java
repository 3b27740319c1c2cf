package io.portcullis.edge.delivery;

import io.portcullis.contracts.events.HeaderField;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Builds RFC 3464 delivery status notifications: {@code multipart/report; report-type=delivery-status} with a
 * human-readable part, a {@code message/delivery-status} part (Reporting-MTA, then per recipient
 * Final-Recipient, Action: failed, Status 5.x.x, Diagnostic-Code) and the original header block as
 * {@code text/rfc822-headers}. Everything is kept to 7-bit ASCII with lines of at most 998 characters.
 */
public final class DsnBuilder {

    /** Status when attempts ran out on temporary failures: RFC 3463 "delivery time expired". */
    static final String STATUS_ATTEMPTS_EXHAUSTED = "5.4.7";
    private static final Pattern ENHANCED = Pattern.compile("\\b([245])\\.(\\d{1,3})\\.(\\d{1,3})\\b");
    private static final DateTimeFormatter RFC_5322 = DateTimeFormatter
            .ofPattern("EEE, d MMM yyyy HH:mm:ss Z", Locale.ROOT).withZone(ZoneOffset.UTC);
    private static final int MAX_LINE = 998;
    private static final SecureRandom RANDOM = new SecureRandom();

    /**
     * One recipient the message could not be delivered to.
     *
     * @param recipient the forward path
     * @param reply     the last reply (remote or local)
     * @param exhausted true when attempts ran out on temporary failures, false for a permanent refusal
     * @param remote    the next hop that gave the reply, or null when the failure was local
     */
    public record FailedRecipient(String recipient, String reply, boolean exhausted, String remote) {
    }

    private final String reportingMta;
    private final String dsnFrom;

    /**
     * @param reportingMta this node's name (Reporting-MTA)
     * @param dsnFrom      the From address of DSNs, e.g. {@code MAILER-DAEMON@example.com}
     */
    public DsnBuilder(String reportingMta, String dsnFrom) {
        this.reportingMta = ascii(reportingMta).strip();
        this.dsnFrom = ascii(dsnFrom).strip();
    }

    /**
     * @param originalSender the envelope sender of the failed message (never empty: never bounce a bounce)
     * @param queueId        the failed message's id
     * @param arrival        when the edge accepted it, or null
     * @param failed         the failed recipients
     * @param originalHeader the failed message's header block, possibly empty
     * @param now            the date of the DSN
     */
    public DeliveryStatusNotification build(String originalSender, String queueId, Instant arrival,
            List<FailedRecipient> failed, byte[] originalHeader, Instant now) {
        if (originalSender == null || originalSender.isEmpty()) {
            throw new IllegalArgumentException("no DSN for the null sender");
        }
        if (failed.isEmpty()) {
            throw new IllegalArgumentException("no failed recipients");
        }
        String boundary = "=_portcullis_" + HexFormat.of().formatHex(randomBytes(12));
        String id = ascii(queueId);

        List<HeaderField> headers = new ArrayList<>();
        headers.add(new HeaderField("From", "Mail Delivery System <" + dsnFrom + ">"));
        headers.add(new HeaderField("To", "<" + ascii(originalSender) + ">"));
        headers.add(new HeaderField("Subject", "Undelivered Mail Returned to Sender"));
        headers.add(new HeaderField("Date", RFC_5322.format(now)));
        headers.add(new HeaderField("Message-ID", "<dsn." + id + "." + HexFormat.of().formatHex(randomBytes(6))
                + "@" + reportingMta + ">"));
        headers.add(new HeaderField("Auto-Submitted", "auto-replied"));
        headers.add(new HeaderField("X-Portcullis-Dsn-For", id));
        headers.add(new HeaderField("MIME-Version", "1.0"));
        headers.add(new HeaderField("Content-Type",
                "multipart/report; report-type=delivery-status; boundary=\"" + boundary + "\""));

        StringBuilder body = new StringBuilder();
        body.append("This is a MIME-encapsulated message.\n\n");
        body.append("--").append(boundary).append('\n');
        body.append("Content-Type: text/plain; charset=us-ascii\n");
        body.append("Content-Description: Notification\n\n");
        body.append("This is the mail system at host ").append(reportingMta).append(".\n\n");
        body.append("Your message could not be delivered to one or more recipients.\n");
        body.append("It was given the queue id ").append(id);
        if (arrival != null) {
            body.append(" on ").append(RFC_5322.format(arrival));
        }
        body.append(".\n\n");
        for (FailedRecipient f : failed) {
            body.append(line("<" + ascii(f.recipient()) + ">: "
                    + (f.exhausted() ? "delivery attempts exhausted; last reply: " : "") + ascii(f.reply())))
                    .append("\n");
        }
        body.append('\n');

        body.append("--").append(boundary).append('\n');
        body.append("Content-Type: message/delivery-status\n");
        body.append("Content-Description: Delivery report\n\n");
        body.append("Reporting-MTA: dns; ").append(reportingMta).append('\n');
        body.append("X-Portcullis-Queue-Id: ").append(id).append('\n');
        if (arrival != null) {
            body.append("Arrival-Date: ").append(RFC_5322.format(arrival)).append('\n');
        }
        for (FailedRecipient f : failed) {
            body.append('\n');
            body.append("Final-Recipient: rfc822; ").append(ascii(f.recipient())).append('\n');
            body.append("Action: failed\n");
            body.append("Status: ").append(status(f)).append('\n');
            if (f.remote() != null) {
                body.append("Remote-MTA: dns; ").append(ascii(f.remote())).append('\n');
            }
            body.append(line("Diagnostic-Code: smtp; " + ascii(f.reply()))).append('\n');
            body.append("Last-Attempt-Date: ").append(RFC_5322.format(now)).append('\n');
        }
        body.append('\n');

        body.append("--").append(boundary).append('\n');
        body.append("Content-Type: text/rfc822-headers\n");
        body.append("Content-Description: Undelivered message headers\n\n");
        body.append(headerBlock(originalHeader));
        body.append("\n--").append(boundary).append("--\n");
        return new DeliveryStatusNotification(originalSender, headers, body.toString());
    }

    /**
     * The RFC 3463 status for a failed recipient: 5.4.7 when attempts ran out, else the reply's enhanced code
     * in class 5, else 5.0.0.
     */
    static String status(FailedRecipient f) {
        String reply = f.reply() == null ? "" : f.reply();
        if (f.exhausted()) {
            return STATUS_ATTEMPTS_EXHAUSTED;
        }
        Matcher enhanced = ENHANCED.matcher(reply);
        if (enhanced.find()) {
            return "5." + enhanced.group(2) + "." + enhanced.group(3);
        }
        return "5.0.0";
    }

    /** The original header block as 7-bit text with LF line endings, always ending in a line end. */
    private static String headerBlock(byte[] header) {
        if (header == null || header.length == 0) {
            return "";
        }
        String text = ascii(new String(header, StandardCharsets.ISO_8859_1).replace("\r\n", "\n").replace('\r', '\n'),
                true);
        StringBuilder sb = new StringBuilder();
        for (String l : text.split("\n", -1)) {
            if (!l.isEmpty()) {
                sb.append(line(l)).append('\n');
            }
        }
        return sb.toString();
    }

    private static String line(String s) {
        return s.length() > MAX_LINE ? s.substring(0, MAX_LINE) : s;
    }

    static String ascii(String s) {
        return ascii(s == null ? "" : s, false);
    }

    /** Non-ASCII and control characters become '?'; line ends become spaces unless kept. */
    private static String ascii(String s, boolean keepNewlines) {
        StringBuilder sb = new StringBuilder(s.length());
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c == '\n' && keepNewlines) {
                sb.append(c);
            } else if (c == '\r' || c == '\n') {
                sb.append(' ');
            } else if (c == '\t' || (c >= ' ' && c < 0x7f)) {
                sb.append(c);
            } else {
                sb.append('?');
            }
        }
        return sb.toString();
    }

    private static byte[] randomBytes(int n) {
        byte[] b = new byte[n];
        RANDOM.nextBytes(b);
        return b;
    }
}
