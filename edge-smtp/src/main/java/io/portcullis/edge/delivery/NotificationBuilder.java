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
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.james.mime4j.codec.EncoderUtil;

/**
 * Builds a policy notice from a {@link NotificationTemplate}: a 7-bit {@code text/plain; charset=utf-8} message
 * (quoted-printable body, RFC 2047 Subject) from the edge's postmaster, carrying the loop-guard marker
 * {@value #MARKER_HEADER} and {@code Auto-Submitted: auto-generated} (RFC 3834). Filled-in values can never add a
 * header field: every control character (CR and LF included) is turned into a space before a value is used, and
 * the Subject is one line.
 */
public final class NotificationBuilder {

    /** Marks a Portcullis notice (value: the template id); with the null sender, no notice is sent about it. */
    public static final String MARKER_HEADER = "X-Portcullis-Notification";
    /** Names the queue id of the message a notice is about (like {@code X-Portcullis-Dsn-For} of a DSN). */
    public static final String ABOUT_HEADER = "X-Portcullis-Notice-For";
    /** Longest value put in for one placeholder. */
    static final int MAX_VALUE_CHARS = 1000;
    private static final int MAX_SUBJECT_CHARS = 200;
    private static final Pattern PLACEHOLDER = Pattern.compile("\\{(messageId|sender|recipients|subject|rule|action)}");
    private static final Pattern ADDRESS = Pattern.compile("[^\\s<>()\\[\\],;:\"@\\\\\\p{Cntrl}]{1,64}"
            + "@[A-Za-z0-9](?:[A-Za-z0-9.-]{0,251}[A-Za-z0-9])?");
    private static final DateTimeFormatter RFC_5322 = DateTimeFormatter
            .ofPattern("EEE, d MMM yyyy HH:mm:ss Z", Locale.ROOT).withZone(ZoneOffset.UTC);
    private static final SecureRandom RANDOM = new SecureRandom();

    private final String from;
    private final String hostName;

    /**
     * @param from     the From address (the edge's postmaster)
     * @param hostName this node's name, for the Message-ID
     */
    public NotificationBuilder(String from, String hostName) {
        if (!validAddress(from)) {
            throw new IllegalArgumentException("notice sender is not an address: " + from);
        }
        this.from = from;
        this.hostName = hostName.replaceAll("[^A-Za-z0-9.-]", "");
    }

    /** Whether the value is a plain {@code local@domain} address that is safe in a header and an SMTP command. */
    public static boolean validAddress(String address) {
        return address != null && address.length() <= 320 && ADDRESS.matcher(address).matches();
    }

    /**
     * @param to       the notice's one recipient (checked with {@link #validAddress})
     * @param template the text
     * @param values   placeholder name (without braces) → value; missing ones become empty
     * @param queueId  the message the notice is about (for the Message-ID)
     */
    public DeliveryStatusNotification build(String to, NotificationTemplate template, Map<String, String> values,
            String queueId, Instant now) {
        if (!validAddress(to)) {
            throw new IllegalArgumentException("notice recipient is not an address");
        }
        String subject = oneLine(fill(template.subject(), values));
        if (subject.length() > MAX_SUBJECT_CHARS) {
            subject = subject.substring(0, MAX_SUBJECT_CHARS);
        }
        String body = fill(template.body(), values).replace("\r\n", "\n").replace('\r', '\n');
        List<HeaderField> headers = new ArrayList<>();
        headers.add(new HeaderField("From", "Mail Gateway <" + from + ">"));
        headers.add(new HeaderField("To", "<" + to + ">"));
        headers.add(new HeaderField("Subject", EncoderUtil.encodeIfNecessary(subject, EncoderUtil.Usage.TEXT_TOKEN,
                9)));
        headers.add(new HeaderField("Date", RFC_5322.format(now)));
        headers.add(new HeaderField("Message-ID", "<notice." + queueId.replaceAll("[^A-Za-z0-9_-]", "") + "."
                + HexFormat.of().formatHex(random(6)) + "@" + hostName + ">"));
        headers.add(new HeaderField("Auto-Submitted", "auto-generated"));
        headers.add(new HeaderField(MARKER_HEADER, template.id().replaceAll("[^A-Za-z0-9_.-]", "")));
        headers.add(new HeaderField(ABOUT_HEADER, queueId.replaceAll("[^A-Za-z0-9_.-]", "")));
        headers.add(new HeaderField("MIME-Version", "1.0"));
        headers.add(new HeaderField("Content-Type", "text/plain; charset=utf-8"));
        headers.add(new HeaderField("Content-Transfer-Encoding", "quoted-printable"));
        return new DeliveryStatusNotification(to, headers, quotedPrintable(body));
    }

    /** The text with every known placeholder replaced by its value (control characters made spaces). */
    static String fill(String text, Map<String, String> values) {
        Matcher m = PLACEHOLDER.matcher(text);
        StringBuilder sb = new StringBuilder();
        while (m.find()) {
            String v = values.get(m.group(1));
            m.appendReplacement(sb, Matcher.quoteReplacement(value(v)));
        }
        m.appendTail(sb);
        return sb.toString();
    }

    private static String value(String v) {
        if (v == null) {
            return "";
        }
        String s = oneLine(v);
        return s.length() > MAX_VALUE_CHARS ? s.substring(0, MAX_VALUE_CHARS) + "..." : s;
    }

    /** Every control character (CR, LF, TAB, NUL, DEL, C1) and line or paragraph separator becomes a space. */
    static String oneLine(String s) {
        StringBuilder sb = new StringBuilder(s.length());
        s.codePoints().forEach(c -> sb.appendCodePoint(Character.isISOControl(c) || c == 0x2028 || c == 0x2029
                ? ' ' : c));
        return sb.toString().strip();
    }

    /** Quoted-printable (RFC 2045) of the UTF-8 text, LF line ends, lines at most 76 characters. */
    static String quotedPrintable(String text) {
        StringBuilder out = new StringBuilder(text.length() + 16);
        String[] lines = text.split("\n", -1);
        for (int li = 0; li < lines.length; li++) {
            byte[] bytes = lines[li].getBytes(StandardCharsets.UTF_8);
            int col = 0;
            for (int i = 0; i < bytes.length; i++) {
                int b = bytes[i] & 0xff;
                boolean last = i == bytes.length - 1;
                String piece;
                if ((b >= 33 && b <= 126 && b != '=') || ((b == ' ' || b == '\t') && !last)) {
                    piece = String.valueOf((char) b);
                } else {
                    piece = String.format(Locale.ROOT, "=%02X", b);
                }
                if (col + piece.length() > 75) {
                    out.append("=\n");
                    col = 0;
                }
                out.append(piece);
                col += piece.length();
            }
            if (li < lines.length - 1) {
                out.append('\n');
            }
        }
        return out.toString();
    }

    private static byte[] random(int n) {
        byte[] b = new byte[n];
        RANDOM.nextBytes(b);
        return b;
    }
}
