package io.portcullis.scanner.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.portcullis.contracts.events.Envelope;
import io.portcullis.contracts.scan.Category;
import io.portcullis.contracts.scan.EngineResult;
import io.portcullis.contracts.scan.Finding;
import io.portcullis.contracts.scan.ScanInput;
import io.portcullis.contracts.scan.ScanItem;
import io.portcullis.scanner.config.ScannerConfig;
import io.portcullis.scanner.support.LocalDnsServer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The DNSBL engine against a local DNS server: listings, refusals, NXDOMAIN, failures, timeouts and the cache. */
class DnsblEngineTest {
    private static final String LISTED_IP = "4.3.2.1.zen.test";
    private static final String LISTED_V6 = "1.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.5.4.1.0.0.a.2.zen.test";

    record Config(boolean enabled, Optional<String> resolver, Optional<List<String>> ipZones,
            Optional<List<String>> domainZones, Duration timeout, Duration deadline, int maxDomains, int maxScanBytes,
            long cacheSize, Duration cacheTtl) implements ScannerConfig.Dnsbl {
    }

    private final LocalDnsServer dns = new LocalDnsServer()
            .a(LISTED_IP, 300, "127.0.0.2")
            .a(LISTED_V6, 300, "127.0.0.4", "127.0.0.10")
            .a("9.9.9.9.zen.test", 300, "127.255.255.254")
            .a("8.8.8.8.zen.test", 300, "192.0.2.80")
            .servfail("7.7.7.7.zen.test")
            .silent("6.6.6.6.zen.test")
            .a("evil.com.dbl.test", 30, "127.0.1.2")
            .a("bad.net.dbl.test", 300, "127.0.1.2")
            .silent("slow.org.dbl.test");
    private final AtomicLong nanos = new AtomicLong();

    @AfterEach
    void stop() {
        dns.close();
    }

    private DnsblEngine engine(List<String> ipZones, List<String> domainZones) {
        return engine(dns.address(), ipZones, domainZones);
    }

    private DnsblEngine engine(String resolver, List<String> ipZones, List<String> domainZones) {
        Config c = new Config(true, Optional.of(resolver), Optional.of(ipZones), Optional.of(domainZones),
                Duration.ofMillis(300), Duration.ofMillis(800), 20, 1 << 20, 1000, Duration.ofMinutes(10));
        return new DnsblEngine(c, DnsblEngine.resolver(c.resolver()), nanos::get);
    }

    private DnsblEngine engine() {
        return engine(List.of("zen.test=RBL_ZEN:3.5", "second.test=RBL_SECOND:1"), List.of("dbl.test=URIBL_DBL:6"));
    }

    private static ScanInput mail(String clientIp, String text) {
        Envelope env = clientIp == null ? null
                : new Envelope("a@example.com", List.of("b@example.org"), "helo.example", clientIp, false);
        return new ScanInput("q1", env, List.of(
                new ScanItem("raw", null, null, 0, text.getBytes(StandardCharsets.UTF_8)),
                new ScanItem("part/1", null, "text/plain", 1, text.getBytes(StandardCharsets.UTF_8))));
    }

    private static List<Finding> scan(DnsblEngine engine, ScanInput input) throws Exception {
        EngineResult r = engine.scan(input);
        assertEquals(EngineResult.Status.OK, r.status());
        return r.findings();
    }

    @Test
    void listedClientIpGivesTheZoneSymbolAndScoreAsSpam() throws Exception {
        List<Finding> f = scan(engine(), mail("1.2.3.4", "hello"));
        assertEquals(List.of(new Finding("RBL_ZEN", Category.SPAM, 3.5, "zen.test: 1.2.3.4 [127.0.0.2]")), f);
        assertEquals(1, dns.queries("4.3.2.1.second.test"), "asked in every ip zone");
    }

    @Test
    void listedIpv6ClientIsAskedByNibbles() throws Exception {
        List<Finding> f = scan(engine(), mail("[2a00:1450::1]", "hello"));
        assertEquals(List.of(new Finding("RBL_ZEN", Category.SPAM, 3.5,
                "zen.test: 2a00:1450:0:0:0:0:0:1 [127.0.0.10, 127.0.0.4]")), f);
    }

    @Test
    void privateLoopbackOrGarbageClientIpIsNotLookedUp() throws Exception {
        for (String ip : new String[] {"10.0.0.1", "127.0.0.1", "::1", "mail.example.com", ""}) {
            assertEquals(List.of(), scan(engine(), mail(ip, "hello")), ip);
        }
        assertEquals(0, dns.queries("1.0.0.10.zen.test"));
        assertEquals(0, dns.queries("1.0.0.127.zen.test"));
    }

    @Test
    void listedLinkDomainsGiveOneUriblFindingPerZone() throws Exception {
        List<Finding> f = scan(engine(), mail(null,
                "see http://www.evil.com/x and https://a.bad.net/ and http://fine.example.org/"));
        assertEquals(List.of(new Finding("URIBL_DBL", Category.SPAM, 6,
                "dbl.test: evil.com [127.0.1.2], bad.net [127.0.1.2]")), f);
        assertEquals(1, dns.queries("www.evil.com.dbl.test"), "the host is asked too");
        assertEquals(1, dns.queries("a.bad.net.dbl.test"));
        assertEquals(1, dns.queries("example.org.dbl.test"));
    }

    @Test
    void refusedReturnCodeIsNotAListingAndNotAFailure() throws Exception {
        assertEquals(List.of(), scan(engine(), mail("9.9.9.9", "hello")));
    }

    @Test
    void nxdomainIsClean() throws Exception {
        assertEquals(List.of(), scan(engine(), mail("5.5.5.5", "http://clean.example.org/")));
        assertEquals(1, dns.queries("5.5.5.5.zen.test"));
    }

    @Test
    void timeoutIsAnInfoFindingNamingTheZoneWithinTheDeadline() throws Exception {
        long start = System.nanoTime();
        List<Finding> f = scan(engine(), mail("6.6.6.6", "http://www.evil.com/"));
        long ms = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
        assertTrue(ms < 1500, "took " + ms + " ms");
        assertTrue(f.contains(new Finding("URIBL_DBL", Category.SPAM, 6, "dbl.test: evil.com [127.0.1.2]")),
                "other answers still count: " + f);
        Finding timeout = f.stream().filter(x -> x.symbol().equals("DNSBL_TIMEOUT")).findFirst().orElseThrow();
        assertEquals(Category.INFO, timeout.category());
        assertEquals(0, timeout.score());
        assertTrue(timeout.detail().startsWith("zen.test: 1 lookup(s) unanswered (timeout"), timeout.detail());
        assertTrue(f.stream().noneMatch(x -> x.symbol().equals("RBL_ZEN")));
    }

    @Test
    void servfailAndUnexpectedAnswersAreInfoFailuresNotListings() throws Exception {
        List<Finding> f = scan(engine(), mail("7.7.7.7", "hello"));
        assertEquals(List.of(new Finding("DNSBL_TIMEOUT", Category.INFO, 0,
                "zen.test: 1 lookup(s) unanswered (SERVFAIL)")), f);
        f = scan(engine(), mail("8.8.8.8", "hello"));
        assertEquals(List.of(new Finding("DNSBL_TIMEOUT", Category.INFO, 0,
                "zen.test: 1 lookup(s) unanswered (unexpected answer 192.0.2.80)")), f);
    }

    @Test
    void unreachableResolverIsAFailureFindingPerZone() throws Exception {
        String address = dns.address();
        dns.close();
        DnsblEngine engine = engine(address, List.of("zen.test=RBL_ZEN:3.5", "second.test=RBL_SECOND:1"),
                List.of("dbl.test=URIBL_DBL:6"));
        List<Finding> f = scan(engine, mail("1.2.3.4", "http://evil.com/"));
        assertEquals(List.of("DNSBL_TIMEOUT", "DNSBL_TIMEOUT", "DNSBL_TIMEOUT"), f.stream().map(Finding::symbol)
                .toList());
        assertTrue(f.stream().allMatch(x -> x.category() == Category.INFO));
    }

    @Test
    void listedAndUnlistedAnswersAreCachedFailuresAreNot() throws Exception {
        DnsblEngine engine = engine();
        scan(engine, mail("1.2.3.4", "http://clean.example.org/"));
        scan(engine, mail("6.6.6.6", "hello"));
        List<Finding> again = scan(engine, mail("1.2.3.4", "http://clean.example.org/"));
        assertEquals("RBL_ZEN", again.get(0).symbol());
        assertEquals(1, dns.queries(LISTED_IP), "positive answer cached");
        assertEquals(1, dns.queries("example.org.dbl.test"), "negative answer cached");
        scan(engine, mail("6.6.6.6", "hello"));
        assertTrue(dns.queries("6.6.6.6.zen.test") >= 2, "a timeout is asked again");
    }

    @Test
    void cachedAnswersExpireWithTheRecordTtlCappedByConfig() throws Exception {
        DnsblEngine engine = engine();
        scan(engine, mail("1.2.3.4", "http://evil.com/"));
        nanos.addAndGet(TimeUnit.SECONDS.toNanos(31));          // evil.com has TTL 30, the IP 300
        scan(engine, mail("1.2.3.4", "http://evil.com/"));
        assertEquals(2, dns.queries("evil.com.dbl.test"));
        assertEquals(1, dns.queries(LISTED_IP));
        nanos.addAndGet(TimeUnit.SECONDS.toNanos(300));
        scan(engine, mail("1.2.3.4", "hello"));
        assertEquals(2, dns.queries(LISTED_IP));
        // NXDOMAIN: the SOA minimum (60 s) below the configured cap
        scan(engine, mail("5.5.5.5", "hello"));
        nanos.addAndGet(TimeUnit.SECONDS.toNanos(61));
        scan(engine, mail("5.5.5.5", "hello"));
        assertEquals(2, dns.queries("5.5.5.5.zen.test"));
    }

    @Test
    void noZonesMeansNothingIsAsked() throws Exception {
        assertEquals(List.of(), scan(engine(List.of(), List.of()), mail("1.2.3.4", "http://evil.com/")));
        assertEquals(0, dns.queries(LISTED_IP));
        assertEquals(0, dns.queries("evil.com.dbl.test"));
    }

    @Test
    void badResolverAddressFailsStartUp() {
        for (String bad : new String[] {"127.0.0.1:0", "127.0.0.1:x", "127.0.0.1:70000", "[::1]:y"}) {
            assertThrows(IllegalStateException.class, () -> DnsblEngine.resolver(Optional.of(bad)), bad);
        }
        DnsblEngine.resolver(Optional.of("[::1]:5353"));
        DnsblEngine.resolver(Optional.of("127.0.0.1"));
    }

    @Test
    void badConfigurationFailsStartUpNamingTheKey() {
        Config good = new Config(true, Optional.of(dns.address()), Optional.of(List.of("zen.test=RBL_ZEN:3")),
                Optional.empty(), Duration.ofSeconds(2), Duration.ofSeconds(4), 20, 1000, 10, Duration.ofMinutes(1));
        DnsblEngine.check(good, Duration.ofSeconds(30));
        List<Config> bad = List.of(
                new Config(true, good.resolver(), Optional.of(List.of("zen.test")), Optional.empty(),
                        good.timeout(), good.deadline(), 20, 1000, 10, good.cacheTtl()),
                new Config(true, good.resolver(), Optional.empty(), Optional.of(List.of("dbl.test=bad:1")),
                        good.timeout(), good.deadline(), 20, 1000, 10, good.cacheTtl()),
                new Config(true, good.resolver(), good.ipZones(), Optional.empty(),
                        Duration.ZERO, good.deadline(), 20, 1000, 10, good.cacheTtl()),
                new Config(true, good.resolver(), good.ipZones(), Optional.empty(),
                        Duration.ofSeconds(5), good.deadline(), 20, 1000, 10, good.cacheTtl()),
                new Config(true, good.resolver(), good.ipZones(), Optional.empty(),
                        good.timeout(), Duration.ofSeconds(30), 20, 1000, 10, good.cacheTtl()),
                new Config(true, good.resolver(), good.ipZones(), Optional.empty(),
                        good.timeout(), good.deadline(), -1, 1000, 10, good.cacheTtl()),
                new Config(true, good.resolver(), good.ipZones(), Optional.empty(),
                        good.timeout(), good.deadline(), 20, 0, 10, good.cacheTtl()),
                new Config(true, good.resolver(), good.ipZones(), Optional.empty(),
                        good.timeout(), good.deadline(), 20, 1000, 0, good.cacheTtl()),
                new Config(true, Optional.of("127.0.0.1:99999"), good.ipZones(), Optional.empty(),
                        good.timeout(), good.deadline(), 20, 1000, 10, good.cacheTtl()));
        for (Config c : bad) {
            IllegalStateException e = assertThrows(IllegalStateException.class,
                    () -> DnsblEngine.check(c, Duration.ofSeconds(30)), c.toString());
            assertTrue(e.getMessage().startsWith("portcullis.scanner.dnsbl."), e.getMessage());
        }
    }
}
