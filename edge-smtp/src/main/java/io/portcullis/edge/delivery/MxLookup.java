package io.portcullis.edge.delivery;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ThreadLocalRandom;
import org.jboss.logging.Logger;
import org.xbill.DNS.AAAARecord;
import org.xbill.DNS.ARecord;
import org.xbill.DNS.Cache;
import org.xbill.DNS.DClass;
import org.xbill.DNS.ExtendedResolver;
import org.xbill.DNS.Lookup;
import org.xbill.DNS.MXRecord;
import org.xbill.DNS.Name;
import org.xbill.DNS.Record;
import org.xbill.DNS.Resolver;
import org.xbill.DNS.SimpleResolver;
import org.xbill.DNS.TextParseException;
import org.xbill.DNS.Type;

/**
 * Finds the hosts to deliver a domain's mail to (RFC 5321 section 5.1) with dnsjava: MX records by preference,
 * shuffled among equal preferences; without MX records (NODATA) the domain's own addresses (implicit MX); a null
 * MX (a single MX of preference 0 pointing to the root, RFC 7505) is a permanent failure 5.1.10. Every MX host
 * becomes one {@link NextHop} per address (A first, then AAAA), named by the MX host for TLS.
 *
 * <p>Bounded against hostile answers: at most {@value #MAX_MX_HOSTS} MX hosts and {@value #MAX_ADDRESSES_PER_HOST}
 * addresses each are used, an MX to the root among others is skipped, CNAME chains end at dnsjava's iteration
 * limit (a loop is a temporary failure that names it), and the whole look-up stops at a deadline of
 * {@code 3 x timeout}: what was found by then is used, nothing found is a temporary failure. Blocking: call it on a
 * worker thread.
 */
public final class MxLookup {

    static final int MAX_MX_HOSTS = 10;
    static final int MAX_ADDRESSES_PER_HOST = 4;

    private static final Logger LOG = Logger.getLogger(MxLookup.class);

    private final Resolver resolver;
    private final Duration timeout;
    private final int port;
    private final Cache cache = new Cache(DClass.IN);
    private final Clock clock;

    /**
     * @param address resolver {@code host:port} ({@code [v6]:port}, port 53 when omitted); the system's when empty
     * @param timeout longest wait for one answer
     * @param port    TCP port of the hosts found
     * @throws IllegalArgumentException naming the configuration key when a value is unusable
     */
    public MxLookup(Optional<String> address, Duration timeout, int port) {
        this(resolver(address), timeout, port, Clock.systemUTC());
    }

    MxLookup(Resolver resolver, Duration timeout, int port, Clock clock) {
        if (timeout.isNegative() || timeout.isZero()) {
            throw new IllegalArgumentException("portcullis.delivery.dns-timeout must be positive, got " + timeout);
        }
        if (port < 1 || port > 65535) {
            throw new IllegalArgumentException("portcullis.delivery.mx-port out of range: " + port);
        }
        this.resolver = resolver;
        this.resolver.setTimeout(timeout);
        // EDNS0 with the DNS-flag-day payload size: MX answers larger than 512 bytes arrive without a TCP retry
        this.resolver.setEDNS(0, 1232, 0, List.of());
        this.timeout = timeout;
        this.port = port;
        this.clock = clock;
    }

    static Resolver resolver(Optional<String> address) {
        String key = "portcullis.delivery.dns-resolver";
        if (address.isEmpty() || address.get().isBlank()) {
            ExtendedResolver system = new ExtendedResolver();
            system.setRetries(1);
            return system;
        }
        String a = address.get().strip();
        String host = a;
        int p = 53;
        if (a.startsWith("[")) {
            int close = a.indexOf(']');
            if (close < 0) {
                throw new IllegalArgumentException(key + ": unbalanced '[' in '" + a + "'");
            }
            host = a.substring(1, close);
            if (a.length() > close + 1) {
                p = port(key, a, a.charAt(close + 1) == ':' ? a.substring(close + 2) : "");
            }
        } else if (a.indexOf(':') > 0 && a.indexOf(':') == a.lastIndexOf(':')) {
            host = a.substring(0, a.indexOf(':'));
            p = port(key, a, a.substring(a.indexOf(':') + 1));
        }
        try {
            return new SimpleResolver(new InetSocketAddress(InetAddress.getByName(host), p));
        } catch (UnknownHostException | RuntimeException e) {
            throw new IllegalArgumentException(key + ": cannot use '" + a + "': " + e.getMessage(), e);
        }
    }

    private static int port(String key, String a, String text) {
        try {
            int p = Integer.parseInt(text);
            if (p > 0 && p < 65536) {
                return p;
            }
        } catch (NumberFormatException e) {
            // below
        }
        throw new IllegalArgumentException(key + ": bad port in '" + a + "'");
    }

    /** TCP port of the hosts found. */
    public int port() {
        return port;
    }

    /**
     * The hosts to try for {@code domain}, in order.
     *
     * @throws RouteException permanent for a domain that does not exist, has a null MX or no address at all;
     *                        temporary on a timeout, SERVFAIL, a CNAME loop or other DNS trouble
     */
    public List<NextHop> lookup(String domain) throws RouteException {
        Instant deadline = clock.instant().plus(timeout.multipliedBy(3));
        Name name = name(domain);
        if (name == null) {
            throw new RouteException(true, "553 5.1.2 local: '" + printable(domain) + "' is not a domain name");
        }
        Answer mx = query(name, Type.MX);
        switch (mx.result) {
            case Lookup.SUCCESSFUL -> {
                return viaMx(domain, mx.records, deadline);
            }
            case Lookup.TYPE_NOT_FOUND -> {
                // no MX: the domain itself is the implicit MX (RFC 5321 section 5.1)
                List<NextHop> hops = addresses(name, domain, deadline);
                if (hops.isEmpty()) {
                    throw new RouteException(true, "550 5.1.2 local: " + domain + " has neither MX nor address records");
                }
                return hops;
            }
            case Lookup.HOST_NOT_FOUND ->
                    throw new RouteException(true, "550 5.1.2 local: domain " + domain + " does not exist (NXDOMAIN)");
            default -> throw new RouteException(false, "451 4.4.3 local: MX look-up of " + domain + " failed: "
                    + mx.error);
        }
    }

    private List<NextHop> viaMx(String domain, List<Record> records, Instant deadline) throws RouteException {
        List<MXRecord> mxs = new ArrayList<>();
        for (Record r : records) {
            if (r instanceof MXRecord m) {
                mxs.add(m);
            }
        }
        if (mxs.isEmpty()) {
            throw new RouteException(false, "451 4.4.3 local: MX look-up of " + domain + " gave no MX records");
        }
        if (mxs.size() == 1 && mxs.get(0).getTarget().equals(Name.root)) {
            throw new RouteException(true, "556 5.1.10 local: " + domain
                    + " accepts no mail (null MX, RFC 7505)");
        }
        // by preference, random among equal ones; an MX to the root among others is a misconfiguration: skip it
        Collections.shuffle(mxs, ThreadLocalRandom.current());
        mxs.sort(java.util.Comparator.comparingInt(MXRecord::getPriority));
        Map<Name, Integer> hosts = new LinkedHashMap<>();
        int skippedRoot = 0;
        for (MXRecord m : mxs) {
            if (m.getTarget().equals(Name.root)) {
                skippedRoot++;
                continue;
            }
            if (hosts.size() >= MAX_MX_HOSTS) {
                break;
            }
            hosts.putIfAbsent(m.getTarget(), m.getPriority());
        }
        if (skippedRoot > 0) {
            LOG.warnf("MX of %s: skipped %d MX record(s) pointing to the root among others", domain, skippedRoot);
        }
        if (mxs.size() > MAX_MX_HOSTS) {
            LOG.warnf("MX of %s: %d records, using the first %d by preference", domain, mxs.size(), MAX_MX_HOSTS);
        }
        List<NextHop> hops = new ArrayList<>();
        List<String> problems = new ArrayList<>();
        for (Name host : hosts.keySet()) {
            if (clock.instant().isAfter(deadline)) {
                problems.add("look-up deadline reached");
                break;
            }
            try {
                List<NextHop> found = addresses(host, domain, deadline);
                if (found.isEmpty()) {
                    problems.add(host + " has no address");
                }
                hops.addAll(found);
            } catch (RouteException e) {
                problems.add(e.reply());
            }
        }
        if (hops.isEmpty()) {
            throw new RouteException(false, "451 4.4.3 local: no address for any MX host of " + domain + ": "
                    + String.join("; ", problems));
        }
        return hops;
    }

    /** A then AAAA of one host, at most {@value #MAX_ADDRESSES_PER_HOST} of each. */
    private List<NextHop> addresses(Name host, String domain, Instant deadline) throws RouteException {
        String hostName = host.toString(true).toLowerCase(Locale.ROOT);
        List<NextHop> hops = new ArrayList<>();
        String error = null;
        for (int type : new int[] {Type.A, Type.AAAA}) {
            if (type == Type.AAAA && clock.instant().isAfter(deadline) && !hops.isEmpty()) {
                break;
            }
            Answer a = query(host, type);
            if (a.result == Lookup.SUCCESSFUL) {
                int n = 0;
                for (Record r : a.records) {
                    InetAddress address = r instanceof ARecord ar ? ar.getAddress()
                            : r instanceof AAAARecord aaaa ? aaaa.getAddress() : null;
                    if (address != null && n++ < MAX_ADDRESSES_PER_HOST) {
                        hops.add(new NextHop(address.getHostAddress(), port, hostName));
                    }
                }
            } else if (a.result == Lookup.TRY_AGAIN || a.result == Lookup.UNRECOVERABLE) {
                error = hostName + " " + Type.string(type) + ": " + a.error;
            }
        }
        if (hops.isEmpty() && error != null) {
            throw new RouteException(false, "451 4.4.3 local: address look-up for " + domain + " failed: " + error);
        }
        return hops;
    }

    private record Answer(int result, List<Record> records, String error) {
    }

    private Answer query(Name name, int type) {
        Lookup lookup = new Lookup(name, type, DClass.IN);
        lookup.setResolver(resolver);
        lookup.setCache(cache);
        lookup.setHostsFileParser(null);
        lookup.setSearchPath((List<Name>) null);
        Record[] answers;
        try {
            answers = lookup.run();
        } catch (RuntimeException e) {
            return new Answer(Lookup.UNRECOVERABLE, List.of(), "malformed answer: " + e.getMessage());
        }
        String error = lookup.getErrorString();
        if (lookup.getResult() == Lookup.UNRECOVERABLE && error != null && error.toLowerCase(Locale.ROOT).contains("loop")) {
            error = "CNAME loop or chain too long at " + name;
        }
        return new Answer(lookup.getResult(), answers == null ? List.of() : List.of(answers), error);
    }

    private static Name name(String domain) {
        if (domain == null || !DeliveryRouter.validDomain(domain)) {
            return null;
        }
        try {
            return Name.fromString(domain + ".");
        } catch (TextParseException e) {
            return null;
        }
    }

    private static String printable(String s) {
        String p = s == null ? "" : s.replaceAll("[^\\x21-\\x7e]", "?");
        return p.length() > 80 ? p.substring(0, 80) + "..." : p;
    }
}
