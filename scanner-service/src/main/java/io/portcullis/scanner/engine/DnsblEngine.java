package io.portcullis.scanner.engine;

import com.github.benmanes.caffeine.cache.Ticker;
import io.portcullis.contracts.scan.Category;
import io.portcullis.contracts.scan.EngineResult;
import io.portcullis.contracts.scan.Finding;
import io.portcullis.contracts.scan.ScanEngine;
import io.portcullis.contracts.scan.ScanInput;
import io.portcullis.scanner.config.ScannerConfig;
import io.portcullis.scanner.engine.dns.DnsblLookup;
import io.portcullis.scanner.engine.dns.DnsblNames;
import io.portcullis.scanner.engine.dns.DnsblZone;
import io.portcullis.scanner.engine.dns.DnsResolvers;
import io.portcullis.scanner.engine.dns.LinkDomains;
import io.quarkus.arc.lookup.LookupIfProperty;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.net.InetAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.jboss.logging.Logger;
import org.xbill.DNS.Name;
import org.xbill.DNS.Resolver;

/**
 * Email reputation: the client IP looked up in the configured IP zones ({@code zen.spamhaus.org} style, reversed
 * IPv4 octets or IPv6 nibbles) and the domains of links in text/plain and text/html parts in the domain zones
 * (URIBL/DBL style, see {@link LinkDomains}). Only looked up by {@link EngineRunner} when
 * {@code portcullis.scanner.dnsbl.enabled=true}; with no zones configured it does nothing.
 *
 * <p>All queries of a message run in parallel (asynchronous resolver, per-query timeout, one deadline for the
 * message) through a cache. A listing gives one finding per zone: the zone's symbol, category SPAM, the zone's
 * score, detail {@code <zone>: <subjects> <codes>}. Private, loopback and reserved client IPs are not looked up.
 *
 * <p>A 127.255.255.x answer ("query refused") is logged and ignored. A timeout or DNS failure is neither a listing nor
 * clean: it gives one {@value #TIMEOUT_SYMBOL} finding per zone, category INFO, so that a slow blocklist does not
 * quarantine mail (what a mail admin expects; policy can still act on the symbol with a {@code SYMBOL:} rule).
 */
@ApplicationScoped
@LookupIfProperty(name = "portcullis.scanner.dnsbl.enabled", stringValue = "true")
public class DnsblEngine implements ScanEngine {
    public static final String NAME = "dnsbl";
    public static final String FAILURE_SYMBOL = "DNSBL_FAIL";
    public static final String TIMEOUT_SYMBOL = "DNSBL_TIMEOUT";
    private static final Logger LOG = Logger.getLogger(DnsblEngine.class);
    /** Subjects named in one finding's detail. */
    private static final int DETAIL_SUBJECTS = 3;
    /** A refusing or failing zone is logged at most once a minute (the findings record every message). */
    private static final long LOG_EVERY_NANOS = TimeUnit.MINUTES.toNanos(1);
    private final Map<String, Long> lastLogged = new ConcurrentHashMap<>();

    private final List<DnsblZone> ipZones;
    private final List<DnsblZone> domainZones;
    private final DnsblLookup lookup;
    private final LinkDomains links;
    private final Duration deadline;

    private record Query(DnsblZone zone, String subject, CompletableFuture<DnsblLookup.Answer> answer) {
    }

    @Inject
    public DnsblEngine(ScannerConfig config) {
        this(config.scanner().dnsbl(), check(config), Ticker.systemTicker());
    }

    public DnsblEngine(ScannerConfig.Dnsbl c, Resolver resolver, Ticker ticker) {
        this.ipZones = DnsblZone.parseAll("portcullis.scanner.dnsbl.ip-zones", c.ipZones().orElse(List.of()));
        this.domainZones = DnsblZone.parseAll("portcullis.scanner.dnsbl.domain-zones",
                c.domainZones().orElse(List.of()));
        this.lookup = new DnsblLookup(resolver, c.timeout(), c.cacheSize(), c.cacheTtl(), ticker);
        this.links = new LinkDomains(c.maxDomains(), c.maxScanBytes());
        this.deadline = c.deadline();
        if (ipZones.isEmpty() && domainZones.isEmpty()) {
            LOG.warn("dnsbl: enabled but no ip-zones or domain-zones configured: the engine does nothing");
        } else {
            LOG.infof("dnsbl: ip zones %s, domain zones %s, query timeout %s, deadline %s",
                    ipZones.stream().map(DnsblZone::label).toList(),
                    domainZones.stream().map(DnsblZone::label).toList(), c.timeout(), deadline);
        }
    }

    /**
     * Validates the configuration and builds the resolver.
     *
     * @throws IllegalStateException naming the bad key
     */
    public static Resolver check(ScannerConfig config) {
        return check(config.scanner().dnsbl(), config.scanner().engineTimeout());
    }

    /** {@link #check(ScannerConfig)} for the DNSBL keys and the engine timeout they must fit in. */
    static Resolver check(ScannerConfig.Dnsbl c, Duration engineTimeout) {
        String p = "portcullis.scanner.dnsbl.";
        DnsResolvers.checkTiming(p, c.timeout(), c.deadline(), engineTimeout);
        if (c.maxDomains() < 0 || c.maxScanBytes() <= 0 || c.cacheSize() <= 0 || c.cacheTtl().toSeconds() < 1) {
            throw new IllegalStateException(p + "max-domains must be >= 0, max-scan-bytes and cache-size positive, "
                    + "cache-ttl at least 1s");
        }
        DnsblZone.parseAll(p + "ip-zones", c.ipZones().orElse(List.of()));
        DnsblZone.parseAll(p + "domain-zones", c.domainZones().orElse(List.of()));
        return resolver(c.resolver());
    }

    static Resolver resolver(Optional<String> address) {
        return DnsResolvers.resolver("portcullis.scanner.dnsbl.resolver", address);
    }

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public String failureSymbol() {
        return FAILURE_SYMBOL;
    }

    @Override
    public EngineResult scan(ScanInput input) throws InterruptedException {
        long end = System.nanoTime() + deadline.toNanos();
        List<Query> queries = new ArrayList<>();
        if (!ipZones.isEmpty() && input.envelope() != null) {
            Optional<InetAddress> ip = DnsblNames.parseIp(input.envelope().clientIp());
            if (ip.isPresent() && DnsblNames.isPublic(ip.get())) {
                for (DnsblZone z : ipZones) {
                    queries.add(new Query(z, ip.get().getHostAddress(),
                            lookup.lookup(DnsblNames.ipQuery(ip.get(), z.zone()))));
                }
            }
        }
        if (!domainZones.isEmpty()) {
            for (String domain : links.of(input.items())) {
                for (DnsblZone z : domainZones) {
                    Name name;
                    try {
                        name = DnsblNames.domainQuery(domain, z.zone());
                    } catch (IllegalArgumentException e) {
                        continue; // too long together with the zone: not askable
                    }
                    queries.add(new Query(z, domain, lookup.lookup(name)));
                }
            }
        }
        if (queries.isEmpty()) {
            return EngineResult.ok(NAME, List.of());
        }
        try {
            CompletableFuture.allOf(queries.stream().map(Query::answer).toArray(CompletableFuture[]::new))
                    .get(Math.max(0, end - System.nanoTime()), TimeUnit.NANOSECONDS);
        } catch (TimeoutException | ExecutionException e) {
            // the unfinished ones are timeouts, below
        }
        return EngineResult.ok(NAME, findings(input.messageId(), queries));
    }

    private List<Finding> findings(String messageId, List<Query> queries) {
        Map<DnsblZone, List<String>> listed = new LinkedHashMap<>();
        Map<DnsblZone, List<String>> failed = new LinkedHashMap<>();
        for (Query q : queries) {
            DnsblLookup.Answer a = q.answer().getNow(null);
            DnsblLookup.Kind kind = a == null ? DnsblLookup.Kind.TIMEOUT : a.kind();
            switch (kind) {
                case LISTED -> listed.computeIfAbsent(q.zone(), z -> new ArrayList<>())
                        .add(q.subject() + " " + a.codes());
                case REFUSED -> {
                    if (due("refused " + q.zone().label())) {
                        LOG.warnf("dnsbl: %s refused the query for %s on %s (%s): not a listing; check the resolver"
                                + " (logged once a minute)", q.zone().label(), q.subject(), messageId, a.codes());
                    }
                }
                case TIMEOUT, FAILED -> failed.computeIfAbsent(q.zone(), z -> new ArrayList<>())
                        .add(a == null ? "timeout" : a.detail());
                case NOT_LISTED -> {
                }
            }
        }
        List<Finding> out = new ArrayList<>();
        listed.forEach((z, subjects) -> out.add(new Finding(z.symbol(), Category.SPAM, z.score(),
                z.label() + ": " + summary(subjects))));
        failed.forEach((z, reasons) -> {
            if (due("failed " + z.label())) {
                LOG.infof("dnsbl: %d lookup(s) in %s unanswered on %s: %s (logged once a minute)", reasons.size(),
                        z.label(), messageId, reasons.stream().distinct().toList());
            }
            out.add(new Finding(TIMEOUT_SYMBOL, Category.INFO, 0, z.label() + ": " + reasons.size()
                    + " lookup(s) unanswered (" + String.join(", ", reasons.stream().distinct().limit(3).toList())
                    + ")"));
        });
        return out;
    }

    private boolean due(String key) {
        long now = System.nanoTime();
        Long last = lastLogged.get(key);
        if (last != null && now - last < LOG_EVERY_NANOS) {
            return false;
        }
        lastLogged.put(key, now);
        return true;
    }

    private static String summary(List<String> subjects) {
        String head = String.join(", ", subjects.subList(0, Math.min(DETAIL_SUBJECTS, subjects.size())));
        return subjects.size() > DETAIL_SUBJECTS ? head + " and " + (subjects.size() - DETAIL_SUBJECTS) + " more" : head;
    }
}
