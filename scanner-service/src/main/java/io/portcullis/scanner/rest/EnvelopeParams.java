package io.portcullis.scanner.rest;

import io.portcullis.contracts.events.Envelope;
import io.portcullis.scanner.engine.dns.DnsblNames;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * The optional SMTP envelope of a synchronous scan, from the query parameters {@code clientIp}, {@code helo},
 * {@code mailFrom} and {@code rcpt} (repeatable). Without any of them there is no envelope (null). Values are checked
 * strictly: a bad one is a 400 naming the parameter, never a guess.
 */
final class EnvelopeParams {
    /** Recipients per message (RFC 5321 section 4.5.3.1.8 asks servers to accept at least 100). */
    static final int MAX_RECIPIENTS = 100;
    private static final Pattern LABEL = Pattern.compile("[A-Za-z0-9_]([A-Za-z0-9_-]{0,61}[A-Za-z0-9_])?");
    /** RFC 5321 dot-string or quoted-string local part, printable ASCII or UTF-8 (SMTPUTF8), no controls. */
    private static final Pattern LOCAL = Pattern.compile("(\"([^\"\\\\\\p{Cntrl}]|\\\\[ -~])*\"|[^\\s\\p{Cntrl}<>()\\[\\]\\\\,;:@\"]+)");

    /** A rejected parameter. */
    static final class BadParameter extends Exception {
        BadParameter(String message) {
            super(message, null, false, false);
        }
    }

    private EnvelopeParams() {
    }

    /** The envelope, or null when no parameter was given. */
    static Envelope of(String clientIp, String helo, String mailFrom, List<String> rcpt) throws BadParameter {
        List<String> recipients = rcpt == null ? List.of() : rcpt;
        if (clientIp == null && helo == null && mailFrom == null && recipients.isEmpty()) {
            return null;
        }
        String ip = "";
        if (clientIp != null) {
            ip = DnsblNames.parseIp(clientIp).map(a -> a.getHostAddress())
                    .orElseThrow(() -> new BadParameter("clientIp: not an IPv4 or IPv6 address"));
        }
        String h = "";
        if (helo != null) {
            if (!isDomain(helo) && !isAddressLiteral(helo)) {
                throw new BadParameter("helo: not a domain name or an address literal like [192.0.2.1]");
            }
            h = helo;
        }
        String from = "";
        if (mailFrom != null && !mailFrom.isEmpty() && !mailFrom.equals("<>")) {
            from = address(mailFrom).orElseThrow(() -> new BadParameter(
                    "mailFrom: not an email address (use an empty value or <> for the null sender)"));
        }
        if (recipients.size() > MAX_RECIPIENTS) {
            throw new BadParameter("rcpt: more than " + MAX_RECIPIENTS + " recipients");
        }
        List<String> to = new ArrayList<>();
        for (String r : recipients) {
            to.add(address(r).orElseThrow(() -> new BadParameter("rcpt: not an email address")));
        }
        return new Envelope(from, to, h, ip, false);
    }

    /** {@code local@domain} (angle brackets allowed), or empty. */
    static Optional<String> address(String text) {
        String a = text;
        if (a.startsWith("<") && a.endsWith(">")) {
            a = a.substring(1, a.length() - 1);
        }
        int at = a.lastIndexOf('@');
        if (a.length() > 254 || at < 1 || at > 64 || at == a.length() - 1) {
            return Optional.empty();
        }
        String local = a.substring(0, at);
        String domain = a.substring(at + 1);
        if (!LOCAL.matcher(local).matches() || local.startsWith(".") || local.endsWith(".") || local.contains("..")) {
            return Optional.empty();
        }
        return isDomain(domain) || isAddressLiteral(domain) ? Optional.of(a) : Optional.empty();
    }

    static boolean isDomain(String text) {
        if (text.isEmpty() || text.length() > 253) {
            return false;
        }
        String d = text.endsWith(".") ? text.substring(0, text.length() - 1) : text;
        if (d.isEmpty()) {
            return false;
        }
        for (String label : d.split("\\.", -1)) {
            if (!LABEL.matcher(label).matches()) {
                return false;
            }
        }
        return true;
    }

    static boolean isAddressLiteral(String text) {
        return text.length() > 2 && text.length() <= 64 && text.startsWith("[") && text.endsWith("]")
                && DnsblNames.parseIp(text.substring(1, text.length() - 1)).isPresent();
    }
}
