package io.portcullis.edge.smtp.protocol;

import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.Locale;

/**
 * Builds the trace header this server prepends (RFC 5321 section 4.4, protocol names from RFC 3848 / RFC 6531):
 *
 * <pre>
 * Received: from helo.example ([192.0.2.1])
 *         by mx.example with ESMTPS id 0LZ3K8Q1A000ABCDEF
 *         for &lt;user@example.com&gt;; Tue, 2 Jun 2026 10:00:00 +0000
 * </pre>
 *
 * The {@code for} clause appears only when the message has exactly one recipient, so one recipient never learns the
 * others.
 */
public final class ReceivedHeader {

    private static final DateTimeFormatter RFC5322 = DateTimeFormatter
            .ofPattern("EEE, d MMM yyyy HH:mm:ss Z", Locale.ROOT).withZone(ZoneOffset.UTC);

    private ReceivedHeader() {
    }

    /**
     * @param helo       the EHLO/HELO argument (validated printable ASCII)
     * @param clientIp   the client's IP address
     * @param hostname   this server's name
     * @param extended   EHLO (true) or HELO
     * @param tls        STARTTLS was active
     * @param utf8       the transaction used SMTPUTF8
     * @param queueId    the queue id
     * @param recipients the accepted recipients
     * @param at         when DATA completed
     * @return the header field, folded, ending in CRLF
     */
    public static String render(String helo, String clientIp, String hostname, boolean extended, boolean tls,
            boolean utf8, String queueId, List<String> recipients, Instant at) {
        String protocol = (utf8 ? "UTF8SMTP" : extended ? "ESMTP" : "SMTP") + (tls && (extended || utf8) ? "S" : "");
        StringBuilder sb = new StringBuilder(200);
        sb.append("Received: from ").append(helo).append(" (").append(addressLiteral(clientIp)).append(")\r\n")
                .append("\tby ").append(hostname).append(" with ").append(protocol).append(" id ").append(queueId);
        if (recipients.size() == 1) {
            sb.append("\r\n\tfor <").append(recipients.get(0)).append('>');
        }
        sb.append("; ").append(RFC5322.format(at)).append("\r\n");
        return sb.toString();
    }

    /** {@code [192.0.2.1]} or {@code [IPv6:2001:db8::1]}. */
    static String addressLiteral(String ip) {
        return ip.indexOf(':') >= 0 ? "[IPv6:" + ip + "]" : "[" + ip + "]";
    }
}
