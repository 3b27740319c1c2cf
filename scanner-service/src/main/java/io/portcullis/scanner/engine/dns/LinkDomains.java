package io.portcullis.scanner.engine.dns;

import com.google.common.net.InternetDomainName;
import io.portcullis.contracts.scan.ScanItem;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.net.IDN;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.jsoup.Jsoup;
import org.jsoup.nodes.Document;
import org.jsoup.nodes.Element;

/**
 * The domain names of links in a message's text/plain and text/html parts, as blocklist (URIBL/DBL) query subjects:
 * each host and its parents down to its registrable domain (public suffix list), registrable domains first, at most
 * {@code maxNames} distinct names per message. HTML is parsed (jsoup decodes entity-obfuscated attributes), its
 * {@code href}/{@code src}/{@code action} attributes and its text searched; text parts are searched as they are. Every
 * part is read up to {@code maxScanBytes}, at most four times that per message; IP-literal hosts and names without a public suffix are skipped.
 */
public final class LinkDomains {
    /** Hosts considered per message, before the name cap (bounds the work on link-stuffed mail). */
    static final int MAX_HOSTS = 1000;
    /** Bytes searched per message, in units of {@code maxScanBytes} (bounds the work on many-part mail). */
    static final int MAX_PARTS_BUDGET = 4;
    private static final Pattern URL = Pattern.compile(
            "(?i)(?:\\b(?:https?|ftp)://|\\bwww\\.)([^\\s/?#\"'<>\\\\()\\[\\]{}|^`]{1,300})");
    private static final Pattern WWW = Pattern.compile("(?i)^www\\.");

    private final int maxNames;
    private final int maxScanBytes;

    public LinkDomains(int maxNames, int maxScanBytes) {
        this.maxNames = maxNames;
        this.maxScanBytes = maxScanBytes;
    }

    /** Query subjects of all text/plain and text/html parts, in order: registrable domains, then sub-domains. */
    public List<String> of(List<ScanItem> items) {
        Set<String> hosts = new LinkedHashSet<>();
        long budget = (long) maxScanBytes * MAX_PARTS_BUDGET;
        for (ScanItem item : items) {
            if (item.depth() == 0 || item.content() == null || item.contentType() == null) {
                continue;
            }
            String type = item.contentType().toLowerCase(Locale.ROOT);
            boolean html = type.startsWith("text/html");
            if (!html && !type.startsWith("text/plain")) {
                continue;
            }
            if (budget <= 0 || hosts.size() >= MAX_HOSTS) {
                break;
            }
            int n = Math.min(item.content().length, maxScanBytes);
            budget -= n;
            if (html) {
                html(item.content(), n, hosts);
            } else {
                text(new String(item.content(), 0, n, StandardCharsets.UTF_8), hosts);
            }
        }
        return names(hosts);
    }

    /** Registrable domains first, then the hosts and parents below them, capped at {@code maxNames}. */
    List<String> names(Set<String> hosts) {
        Set<String> registrable = new LinkedHashSet<>();
        Set<String> below = new LinkedHashSet<>();
        for (String host : hosts) {
            InternetDomainName name = InternetDomainName.from(host);
            InternetDomainName top = name.topDomainUnderRegistrySuffix();
            registrable.add(top.toString());
            for (InternetDomainName n = name; !n.equals(top) && n.hasParent(); n = n.parent()) {
                below.add(n.toString());
            }
        }
        List<String> out = new ArrayList<>();
        for (String s : registrable) {
            if (out.size() < maxNames) {
                out.add(s);
            }
        }
        for (String s : below) {
            if (out.size() < maxNames && !registrable.contains(s)) {
                out.add(s);
            }
        }
        return out;
    }

    private static void html(byte[] content, int n, Set<String> hosts) {
        Document doc;
        try {
            doc = Jsoup.parse(new ByteArrayInputStream(content, 0, n), null, "");
        } catch (IOException | RuntimeException e) {
            text(new String(content, 0, n, StandardCharsets.UTF_8), hosts);
            return;
        }
        for (Element e : doc.select("[href], [src], [action], [background]")) {
            for (String attr : List.of("href", "src", "action", "background")) {
                if (e.hasAttr(attr)) {
                    text(e.attr(attr), hosts);
                }
            }
            if (hosts.size() >= MAX_HOSTS) {
                return;
            }
        }
        text(doc.text(), hosts);
    }

    private static void text(String text, Set<String> hosts) {
        Matcher m = URL.matcher(text);
        while (m.find() && hosts.size() < MAX_HOSTS) {
            String authority = m.group(1);
            String host = m.group().regionMatches(true, 0, "www.", 0, 4) ? "www." + authority : authority;
            String normal = normalise(host);
            if (normal != null) {
                hosts.add(normal);
            }
        }
    }

    /** A lower-case ASCII host under a public suffix, or null (IP literals, bad names, no public suffix). */
    static String normalise(String authority) {
        String h = authority;
        int at = h.lastIndexOf('@');
        if (at >= 0) {
            h = h.substring(at + 1);
        }
        int colon = h.indexOf(':');
        if (colon >= 0) {
            h = h.substring(0, colon);
        }
        if (h.indexOf('%') >= 0) {
            h = percentDecode(h);
            if (h == null) {
                return null;
            }
        }
        h = h.replace('\u3002', '.').replace('\uff0e', '.').replace('\uff61', '.');
        while (h.endsWith(".")) {
            h = h.substring(0, h.length() - 1);
        }
        if (h.isEmpty() || DnsblNames.parseIp(h).isPresent() || WWW.matcher(h).replaceFirst("").isEmpty()) {
            return null;
        }
        try {
            String ascii = IDN.toASCII(h, IDN.ALLOW_UNASSIGNED).toLowerCase(Locale.ROOT);
            if (!InternetDomainName.isValid(ascii)) {
                return null;
            }
            InternetDomainName name = InternetDomainName.from(ascii);
            return name.isUnderRegistrySuffix() ? name.toString() : null;
        } catch (IllegalArgumentException e) {
            return null;
        }
    }

    private static String percentDecode(String s) {
        StringBuilder sb = new StringBuilder(s.length());
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c == '%') {
                if (i + 2 >= s.length()) {
                    return null;
                }
                int v = Character.digit(s.charAt(i + 1), 16) * 16 + Character.digit(s.charAt(i + 2), 16);
                if (v < 0x21 || v > 0x7e) {
                    return null;
                }
                sb.append((char) v);
                i += 2;
            } else {
                sb.append(c);
            }
        }
        return sb.toString();
    }
}
