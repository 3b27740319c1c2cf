package io.portcullis.scanner.engine.auth;

import com.google.common.net.InetAddresses;
import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.xbill.DNS.ARecord;
import org.xbill.DNS.AAAARecord;
import org.xbill.DNS.MXRecord;
import org.xbill.DNS.Name;
import org.xbill.DNS.PTRRecord;
import org.xbill.DNS.Record;
import org.xbill.DNS.ReverseMap;

/**
 * SPF (RFC 7208) {@code check_host()}: ip4, ip6, a, mx, ptr, include, exists, all, the redirect modifier and macros,
 * with the limits of section 4.6.4: at most 10 mechanisms or modifiers that query DNS (include loops end there),
 * at most 2 void lookups, at most 10 MX or PTR names per mechanism. The whole record is parsed before it is evaluated,
 * so any syntax error is PERMERROR. Every DNS failure or timeout is TEMPERROR, never a match and never a pass.
 */
public final class SpfEvaluator {

    /** The seven SPF results. */
    public enum Result { PASS, FAIL, SOFTFAIL, NEUTRAL, NONE, TEMPERROR, PERMERROR }

    /**
     * @param result the SPF result
     * @param domain the domain the check started at
     * @param detail why (the matching mechanism, the limit hit, the DNS failure)
     */
    public record Outcome(Result result, String domain, String detail) {
    }

    static final int MAX_LOOKUPS = 10;
    static final int MAX_VOID_LOOKUPS = 2;
    static final int MAX_NAMES = 10;
    /** Longest SPF record text accepted (a TXT record can be 64 KiB; real ones are under 1 KiB). */
    static final int MAX_RECORD_CHARS = 4096;
    private static final Pattern MODIFIER = Pattern.compile("([A-Za-z][A-Za-z0-9_.-]*)=(.*)");
    private static final Pattern DUAL_CIDR = Pattern.compile("(.*?)(?:/(\\d{1,3}))?(?://(\\d{1,3}))?");
    private static final String DELIMITERS = ".-+,/_=";

    private final AuthDns dns;

    public SpfEvaluator(AuthDns dns) {
        this.dns = dns;
    }

    /** Thrown inside an evaluation to end it with PERMERROR or TEMPERROR. */
    private static final class Abort extends Exception {
        final Result result;

        Abort(Result result, String message) {
            super(message, null, false, false);
            this.result = result;
        }
    }

    /** Per evaluation: the inputs and the counters of section 4.6.4. */
    private static final class State {
        final InetAddress ip;
        final String sender;
        final String helo;
        final long deadline;
        int lookups;
        int voids;

        State(InetAddress ip, String sender, String helo, long deadline) {
            this.ip = ip;
            this.sender = sender;
            this.helo = helo;
            this.deadline = deadline;
        }

        void lookup() throws Abort {
            if (++lookups > MAX_LOOKUPS) {
                throw new Abort(Result.PERMERROR, "more than " + MAX_LOOKUPS + " DNS-querying terms");
            }
        }

        void voidLookup() throws Abort {
            if (++voids > MAX_VOID_LOOKUPS) {
                throw new Abort(Result.PERMERROR, "more than " + MAX_VOID_LOOKUPS + " void lookups");
            }
        }
    }

    private record Term(char qualifier, String mechanism, String argument, int cidr4, int cidr6, String text) {
    }

    private record Parsed(List<Term> terms, String redirect) {
    }

    /**
     * check_host(ip, domain, sender).
     *
     * @param ip       the SMTP client
     * @param domain   the domain of the MAIL FROM (or the HELO name for the null sender)
     * @param sender   {@code local@domain} ({@code postmaster@helo} for the null sender)
     * @param helo     the HELO name (for the %{h} macro)
     * @param deadline end of the message's time budget ({@link System#nanoTime})
     */
    public Outcome check(InetAddress ip, String domain, String sender, String helo, long deadline)
            throws InterruptedException {
        try {
            return checkHost(new State(ip, sender, helo == null ? "" : helo, deadline), domain);
        } catch (Abort e) {
            return new Outcome(e.result, domain, e.getMessage());
        } catch (RuntimeException e) {
            // data this evaluator did not foresee: an error result, never a pass (and not a scan failure)
            return new Outcome(Result.PERMERROR, domain, "unevaluable record (" + e.getClass().getSimpleName() + ")");
        }
    }

    private Outcome checkHost(State s, String domain) throws Abort, InterruptedException {
        Name name = validDomain(domain);
        if (name == null) {
            return new Outcome(Result.NONE, domain, "not a domain name");
        }
        AuthDns.Answer answer = dns.query(name, AuthDns.TXT, s.deadline);
        if (answer.failed()) {
            return new Outcome(Result.TEMPERROR, domain, "TXT lookup " + answer.detail());
        }
        List<String> records = new ArrayList<>();
        for (String txt : answer.texts()) {
            if (txt.regionMatches(true, 0, "v=spf1", 0, 6) && (txt.length() == 6 || txt.charAt(6) == ' ')) {
                records.add(txt);
            }
        }
        if (records.isEmpty()) {
            return new Outcome(Result.NONE, domain, "no SPF record");
        }
        if (records.size() > 1) {
            return new Outcome(Result.PERMERROR, domain, "more than one SPF record");
        }
        Parsed parsed = parse(records.get(0));
        for (Term t : parsed.terms()) {
            if (matches(s, domain, t)) {
                Result r = switch (t.qualifier()) {
                    case '-' -> Result.FAIL;
                    case '~' -> Result.SOFTFAIL;
                    case '?' -> Result.NEUTRAL;
                    default -> Result.PASS;
                };
                return new Outcome(r, domain, "matched " + shorten(t.text()));
            }
        }
        if (parsed.redirect() != null) {
            s.lookup();
            String target = expand(s, parsed.redirect(), domain);
            Outcome o = checkHost(s, target);
            if (o.result() == Result.NONE) {
                return new Outcome(Result.PERMERROR, domain, "redirect to " + target + " without an SPF record");
            }
            return new Outcome(o.result(), domain, "redirect=" + target + ": " + o.detail());
        }
        return new Outcome(Result.NEUTRAL, domain, "no mechanism matched");
    }

    private boolean matches(State s, String domain, Term t) throws Abort, InterruptedException {
        switch (t.mechanism()) {
            case "all":
                return true;
            case "ip4":
            case "ip6":
                return inNetwork(s.ip, InetAddresses.forString(t.argument()),
                        t.mechanism().equals("ip4") ? t.cidr4() : t.cidr6());
            case "include": {
                s.lookup();
                String target = expand(s, t.argument(), domain);
                Outcome o = checkHost(s, target);
                return switch (o.result()) {
                    case PASS -> true;
                    case FAIL, SOFTFAIL, NEUTRAL -> false;
                    case TEMPERROR -> throw new Abort(Result.TEMPERROR, "include:" + target + ": " + o.detail());
                    case PERMERROR, NONE -> throw new Abort(Result.PERMERROR, "include:" + target + ": "
                            + o.detail());
                };
            }
            case "a": {
                s.lookup();
                String target = t.argument() == null ? domain : expand(s, t.argument(), domain);
                return addressMatches(s, target, t, true);
            }
            case "mx": {
                s.lookup();
                String target = t.argument() == null ? domain : expand(s, t.argument(), domain);
                AuthDns.Answer mx = query(s, target, AuthDns.MX, "mx");
                if (mx.empty()) {
                    s.voidLookup();
                    return false;
                }
                if (mx.records().size() > MAX_NAMES) {
                    throw new Abort(Result.PERMERROR, "mx:" + target + " has more than " + MAX_NAMES + " MX records");
                }
                for (Record r : mx.records()) {
                    if (addressMatches(s, ((MXRecord) r).getTarget().toString(true), t, false)) {
                        return true;
                    }
                }
                return false;
            }
            case "ptr": {
                s.lookup();
                String target = t.argument() == null ? domain : expand(s, t.argument(), domain);
                return ptrMatches(s, target);
            }
            case "exists": {
                s.lookup();
                String target = expand(s, t.argument(), domain);
                AuthDns.Answer a = query(s, target, AuthDns.A, "exists");
                if (a.empty()) {
                    s.voidLookup();
                    return false;
                }
                return true;
            }
            default:
                throw new Abort(Result.PERMERROR, "unknown mechanism " + t.mechanism());
        }
    }

    private AuthDns.Answer query(State s, String target, int type, String what) throws Abort, InterruptedException {
        Name name = validDomain(target);
        if (name == null) {
            // a target that is no domain name (e.g. after macro expansion) matches nothing
            return new AuthDns.Answer(AuthDns.Status.NXDOMAIN, List.of(), "not a domain name");
        }
        AuthDns.Answer a = dns.query(name, type, s.deadline);
        if (a.failed()) {
            throw new Abort(Result.TEMPERROR, what + ":" + target + " lookup " + a.detail());
        }
        return a;
    }

    private boolean addressMatches(State s, String target, Term t, boolean countVoid)
            throws Abort, InterruptedException {
        boolean v4 = s.ip instanceof Inet4Address;
        AuthDns.Answer a = query(s, target, v4 ? AuthDns.A : AuthDns.AAAA, t.mechanism());
        if (a.empty()) {
            if (countVoid) {
                s.voidLookup();
            }
            return false;
        }
        for (Record r : a.records()) {
            InetAddress address = r instanceof ARecord ar ? ar.getAddress() : ((AAAARecord) r).getAddress();
            if (inNetwork(s.ip, address, v4 ? t.cidr4() : t.cidr6())) {
                return true;
            }
        }
        return false;
    }

    private boolean ptrMatches(State s, String target) throws Abort, InterruptedException {
        AuthDns.Answer ptr = dns.query(ReverseMap.fromAddress(s.ip), AuthDns.PTR, s.deadline);
        if (ptr.failed() || ptr.empty()) {
            if (ptr.empty()) {
                s.voidLookup();
            }
            return false; // RFC 7208 5.5: a failed PTR lookup means no match
        }
        String suffix = target.toLowerCase(Locale.ROOT);
        int checked = 0;
        for (Record r : ptr.records()) {
            if (++checked > MAX_NAMES) {
                break;
            }
            String host = ((PTRRecord) r).getTarget().toString(true).toLowerCase(Locale.ROOT);
            if (!host.equals(suffix) && !host.endsWith("." + suffix)) {
                continue;
            }
            Name name = validDomain(host);
            if (name == null) {
                continue;
            }
            AuthDns.Answer a = dns.query(name, s.ip instanceof Inet4Address ? AuthDns.A : AuthDns.AAAA, s.deadline);
            for (Record ar : a.records()) {
                InetAddress address = ar instanceof ARecord x ? x.getAddress() : ((AAAARecord) ar).getAddress();
                if (address.equals(s.ip)) {
                    return true;
                }
            }
        }
        return false;
    }

    static boolean inNetwork(InetAddress ip, InetAddress network, int prefix) {
        byte[] a = ip.getAddress();
        byte[] b = network.getAddress();
        if (a.length != b.length) {
            return false;
        }
        int bits = Math.min(prefix, a.length * 8); // an ip6 literal like ::ffff:1.2.3.4 parses as IPv4
        int full = bits / 8;
        for (int i = 0; i < full; i++) {
            if (a[i] != b[i]) {
                return false;
            }
        }
        int rest = bits % 8;
        if (rest == 0) {
            return true;
        }
        int mask = (0xff << (8 - rest)) & 0xff;
        return (a[full] & mask) == (b[full] & mask);
    }

    /** Parses a whole record; any syntax error is PERMERROR (RFC 7208 section 4.6). */
    static Parsed parse(String record) throws Abort {
        if (record.length() > MAX_RECORD_CHARS) {
            throw new Abort(Result.PERMERROR, "SPF record longer than " + MAX_RECORD_CHARS + " characters");
        }
        List<Term> terms = new ArrayList<>();
        String redirect = null;
        boolean exp = false;
        for (String token : record.substring(6).split(" +")) {
            if (token.isEmpty()) {
                continue;
            }
            Matcher m = MODIFIER.matcher(token);
            if (m.matches()) {
                String name = m.group(1).toLowerCase(Locale.ROOT);
                String value = m.group(2);
                checkMacros(value, false);
                if (name.equals("redirect")) {
                    if (redirect != null || value.isEmpty()) {
                        throw new Abort(Result.PERMERROR, "bad or repeated redirect modifier");
                    }
                    redirect = value;
                } else if (name.equals("exp")) {
                    if (exp) {
                        throw new Abort(Result.PERMERROR, "repeated exp modifier");
                    }
                    exp = true;
                }
                continue; // unknown modifiers are ignored
            }
            terms.add(term(token));
        }
        return new Parsed(List.copyOf(terms), redirect);
    }

    private static Term term(String token) throws Abort {
        char q = '+';
        String rest = token;
        if ("+-~?".indexOf(rest.charAt(0)) >= 0) {
            q = rest.charAt(0);
            rest = rest.substring(1);
        }
        int sep = indexOfAny(rest, ":/");
        String mech = (sep < 0 ? rest : rest.substring(0, sep)).toLowerCase(Locale.ROOT);
        String arg = sep < 0 ? "" : rest.substring(sep);
        switch (mech) {
            case "all":
                require(arg.isEmpty(), token);
                return new Term(q, mech, null, 32, 128, token);
            case "include":
            case "exists":
                require(arg.startsWith(":") && arg.length() > 1, token);
                checkMacros(arg.substring(1), false);
                return new Term(q, mech, arg.substring(1), 32, 128, token);
            case "ptr":
                require(arg.isEmpty() || arg.startsWith(":") && arg.length() > 1, token);
                String ptr = arg.isEmpty() ? null : arg.substring(1);
                if (ptr != null) {
                    checkMacros(ptr, false);
                }
                return new Term(q, mech, ptr, 32, 128, token);
            case "a":
            case "mx": {
                Matcher m = DUAL_CIDR.matcher(arg);
                require(m.matches(), token);
                String spec = m.group(1);
                require(spec.isEmpty() || spec.startsWith(":") && spec.length() > 1, token);
                int c4 = m.group(2) == null ? 32 : Integer.parseInt(m.group(2));
                int c6 = m.group(3) == null ? 128 : Integer.parseInt(m.group(3));
                require(c4 <= 32 && c6 <= 128, token);
                String domain = spec.isEmpty() ? null : spec.substring(1);
                if (domain != null) {
                    checkMacros(domain, false);
                }
                return new Term(q, mech, domain, c4, c6, token);
            }
            case "ip4":
            case "ip6": {
                require(arg.startsWith(":"), token);
                String value = arg.substring(1);
                int slash = value.indexOf('/');
                String address = slash < 0 ? value : value.substring(0, slash);
                int max = mech.equals("ip4") ? 32 : 128;
                int prefix = max;
                if (slash >= 0) {
                    String p = value.substring(slash + 1);
                    require(p.matches("\\d{1,3}"), token);
                    prefix = Integer.parseInt(p);
                    require(prefix <= max, token);
                }
                require(InetAddresses.isInetAddress(address), token);
                InetAddress parsed = InetAddresses.forString(address);
                boolean v4 = mech.equals("ip4");
                require(v4 ? parsed instanceof Inet4Address && !address.contains(":")
                        : address.contains(":"), token);
                // ip6 with a v4-mapped literal parses as an Inet4Address in Java: compare as written
                return new Term(q, mech, address, prefix, prefix, token);
            }
            default:
                throw new Abort(Result.PERMERROR, "unknown mechanism in '" + shorten(token) + "'");
        }
    }

    private static void require(boolean ok, String token) throws Abort {
        if (!ok) {
            throw new Abort(Result.PERMERROR, "syntax error in '" + shorten(token) + "'");
        }
    }

    private static int indexOfAny(String s, String chars) {
        for (int i = 0; i < s.length(); i++) {
            if (chars.indexOf(s.charAt(i)) >= 0) {
                return i;
            }
        }
        return -1;
    }

    /** Syntax check of a macro-string without expanding it. */
    private static void checkMacros(String spec, boolean explanation) throws Abort {
        for (int i = 0; i < spec.length(); i++) {
            char c = spec.charAt(i);
            if (c < 0x21 || c > 0x7e) {
                throw new Abort(Result.PERMERROR, "bad character in '" + shorten(spec) + "'");
            }
            if (c != '%') {
                continue;
            }
            if (i + 1 >= spec.length()) {
                throw new Abort(Result.PERMERROR, "bad macro in '" + shorten(spec) + "'");
            }
            char n = spec.charAt(i + 1);
            if (n == '%' || n == '_' || n == '-') {
                i++;
                continue;
            }
            int close = spec.indexOf('}', i);
            if (n != '{' || close < 0 || !validMacro(spec.substring(i + 2, close), explanation)) {
                throw new Abort(Result.PERMERROR, "bad macro in '" + shorten(spec) + "'");
            }
            i = close;
        }
    }

    private static boolean validMacro(String body, boolean explanation) {
        if (body.isEmpty()) {
            return false;
        }
        char letter = Character.toLowerCase(body.charAt(0));
        if ("slodiphv".indexOf(letter) < 0 && !(explanation && "crt".indexOf(letter) >= 0)) {
            return false;
        }
        int i = 1;
        while (i < body.length() && Character.isDigit(body.charAt(i))) {
            i++;
        }
        if (i > 1 && (i - 1 > 3 || Integer.parseInt(body.substring(1, i)) == 0)) {
            return false;
        }
        if (i < body.length() && Character.toLowerCase(body.charAt(i)) == 'r') {
            i++;
        }
        for (; i < body.length(); i++) {
            if (DELIMITERS.indexOf(body.charAt(i)) < 0) {
                return false;
            }
        }
        return true;
    }

    /** Expands the macros of a domain-spec (RFC 7208 section 7); the result is cut to 253 characters from the left. */
    String expand(State s, String spec, String domain) throws Abort {
        checkMacros(spec, false);
        StringBuilder out = new StringBuilder();
        for (int i = 0; i < spec.length(); i++) {
            char c = spec.charAt(i);
            if (c != '%') {
                out.append(c);
                continue;
            }
            char n = spec.charAt(++i);
            switch (n) {
                case '%' -> out.append('%');
                case '_' -> out.append(' ');
                case '-' -> out.append("%20");
                default -> {
                    int close = spec.indexOf('}', i);
                    out.append(macro(s, spec.substring(i + 1, close), domain));
                    i = close;
                }
            }
        }
        String result = out.toString();
        while (result.length() > 253 && result.indexOf('.') >= 0) {
            result = result.substring(result.indexOf('.') + 1);
        }
        return result;
    }

    private static String macro(State s, String body, String domain) {
        char letter = body.charAt(0);
        boolean upper = Character.isUpperCase(letter);
        int at = s.sender.lastIndexOf('@');
        String value = switch (Character.toLowerCase(letter)) {
            case 's' -> s.sender;
            case 'l' -> at > 0 ? s.sender.substring(0, at) : "postmaster";
            case 'o' -> at >= 0 ? s.sender.substring(at + 1) : s.sender;
            case 'd' -> domain;
            case 'i' -> macroIp(s.ip);
            case 'p' -> "unknown";
            case 'v' -> s.ip instanceof Inet4Address ? "in-addr" : "ip6";
            case 'h' -> s.helo;
            default -> "";
        };
        int i = 1;
        while (i < body.length() && Character.isDigit(body.charAt(i))) {
            i++;
        }
        int keep = i > 1 ? Integer.parseInt(body.substring(1, i)) : Integer.MAX_VALUE;
        boolean reverse = i < body.length() && Character.toLowerCase(body.charAt(i)) == 'r';
        String delimiters = body.substring(reverse ? i + 1 : i);
        if (delimiters.isEmpty()) {
            delimiters = ".";
        }
        List<String> parts = new ArrayList<>(Arrays.asList(value.split("[" + Pattern.quote(delimiters) + "]", -1)));
        if (reverse) {
            Collections.reverse(parts);
        }
        if (keep < parts.size()) {
            parts = parts.subList(parts.size() - keep, parts.size());
        }
        String joined = String.join(".", parts);
        return upper ? urlEscape(joined) : joined;
    }

    private static String macroIp(InetAddress ip) {
        if (ip instanceof Inet6Address) {
            StringBuilder b = new StringBuilder();
            for (byte x : ip.getAddress()) {
                b.append(Character.forDigit((x >> 4) & 0xf, 16)).append('.')
                        .append(Character.forDigit(x & 0xf, 16)).append('.');
            }
            return b.substring(0, b.length() - 1);
        }
        return ip.getHostAddress();
    }

    private static String urlEscape(String s) {
        StringBuilder b = new StringBuilder();
        for (byte x : s.getBytes(StandardCharsets.UTF_8)) {
            int c = x & 0xff;
            if (c < 0x80 && (Character.isLetterOrDigit(c) || "-._~".indexOf(c) >= 0)) {
                b.append((char) c);
            } else {
                b.append('%').append(Character.toUpperCase(Character.forDigit(c >> 4, 16)))
                        .append(Character.toUpperCase(Character.forDigit(c & 0xf, 16)));
            }
        }
        return b.toString();
    }

    /** A multi-label domain name with valid labels, or null (RFC 7208 section 4.3: then the result is NONE). */
    public static Name validDomain(String domain) {
        if (domain == null || domain.isEmpty()) {
            return null;
        }
        String d = domain.endsWith(".") ? domain.substring(0, domain.length() - 1) : domain;
        if (d.isEmpty() || d.length() > 253 || d.indexOf('.') < 0 || d.startsWith("[")) {
            return null;
        }
        for (String label : d.split("\\.", -1)) {
            if (label.isEmpty() || label.length() > 63) {
                return null;
            }
        }
        return AuthDns.name(d);
    }

    private static String shorten(String s) {
        return s.length() > 80 ? s.substring(0, 80) + "..." : s;
    }
}
