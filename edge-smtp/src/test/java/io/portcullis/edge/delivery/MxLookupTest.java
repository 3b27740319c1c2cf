package io.portcullis.edge.delivery;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** MX look-up against an in-process DNS server: ordering, fallback, null MX and hostile answers. */
class MxLookupTest {

    private final LocalDnsServer dns = new LocalDnsServer();
    private final MxLookup lookup = new MxLookup(Optional.of(dns.address()), Duration.ofMillis(500), 2525);

    @AfterEach
    void stop() {
        dns.close();
    }

    private static List<String> names(List<NextHop> hops) {
        return hops.stream().map(NextHop::name).toList();
    }

    @Test
    void ordersMxHostsByPreferenceWithTheirAddresses() throws Exception {
        dns.mx("example.test", 20, "backup.example.test").mx("example.test", 10, "primary.example.test")
                .ip("primary.example.test", "127.0.0.2").ip("backup.example.test", "127.0.0.3")
                .ip("backup.example.test", "::1");

        List<NextHop> hops = lookup.lookup("example.test");

        assertEquals(List.of("primary.example.test", "backup.example.test", "backup.example.test"), names(hops));
        assertEquals(List.of("127.0.0.2", "127.0.0.3", "0:0:0:0:0:0:0:1"), hops.stream().map(NextHop::host).toList());
        assertTrue(hops.stream().allMatch(h -> h.port() == 2525));
        assertEquals("primary.example.test[127.0.0.2]:2525", hops.get(0).toString());
    }

    @Test
    void shufflesAmongEqualPreferences() throws Exception {
        dns.mx("equal.test", 10, "a.equal.test").mx("equal.test", 10, "b.equal.test")
                .ip("a.equal.test", "127.0.0.2").ip("b.equal.test", "127.0.0.3");
        Set<String> firsts = new HashSet<>();
        for (int i = 0; i < 40 && firsts.size() < 2; i++) {
            firsts.add(new MxLookup(Optional.of(dns.address()), Duration.ofMillis(500), 25)
                    .lookup("equal.test").get(0).name());
        }
        assertEquals(Set.of("a.equal.test", "b.equal.test"), firsts);
    }

    @Test
    void fallsBackToTheDomainsOwnAddressWithoutMx() throws Exception {
        dns.ip("implicit.test", "127.0.0.4");

        List<NextHop> hops = lookup.lookup("implicit.test");

        assertEquals(List.of(new NextHop("127.0.0.4", 2525, "implicit.test")), hops);
    }

    @Test
    void nullMxIsAPermanentFailure5110() {
        dns.mx("nomail.test", 0, ".");

        RouteException e = assertThrows(RouteException.class, () -> lookup.lookup("nomail.test"));

        assertTrue(e.permanent());
        assertTrue(e.reply().contains("5.1.10"), e.reply());
        assertTrue(e.reply().contains("null MX"), e.reply());
    }

    @Test
    void anMxToTheRootAmongOthersIsSkipped() throws Exception {
        dns.mx("mixed.test", 0, ".").mx("mixed.test", 10, "mx.mixed.test").ip("mx.mixed.test", "127.0.0.2");

        assertEquals(List.of("mx.mixed.test"), names(lookup.lookup("mixed.test")));
    }

    @Test
    void nonexistentDomainIsPermanent() {
        RouteException e = assertThrows(RouteException.class, () -> lookup.lookup("nxdomain.test"));
        assertTrue(e.permanent());
        assertTrue(e.reply().startsWith("550 5.1.2"), e.reply());
    }

    @Test
    void dnsTimeoutIsTemporary() {
        dns.silent("slow.test");
        long start = System.nanoTime();

        RouteException e = assertThrows(RouteException.class, () -> lookup.lookup("slow.test"));

        assertFalse(e.permanent());
        assertTrue(e.reply().startsWith("451 4.4.3"), e.reply());
        assertTrue(Duration.ofNanos(System.nanoTime() - start).toMillis() < 5000, "bounded time");
    }

    @Test
    void servfailIsTemporary() {
        dns.servfail("broken.test");
        RouteException e = assertThrows(RouteException.class, () -> lookup.lookup("broken.test"));
        assertFalse(e.permanent());
    }

    @Test
    void cnameLoopIsATemporaryFailureThatNamesIt() {
        dns.cname("loop.test", "loop2.test").cname("loop2.test", "loop.test");

        RouteException e = assertThrows(RouteException.class, () -> lookup.lookup("loop.test"));

        assertFalse(e.permanent());
        assertTrue(e.reply().toLowerCase().contains("loop"), e.reply());
    }

    @Test
    void mxHostsWithoutAnyAddressAreATemporaryFailureNamingThem() {
        dns.mx("dangling.test", 10, "gone.dangling.test");

        RouteException e = assertThrows(RouteException.class, () -> lookup.lookup("dangling.test"));

        assertFalse(e.permanent());
        assertTrue(e.reply().contains("gone.dangling.test"), e.reply());
    }

    @Test
    void aHugeMxAnswerIsCutToTheFirstHostsByPreference() throws Exception {
        for (int i = 0; i < 40; i++) {
            dns.mx("huge.test", i, "m" + i + ".huge.test").ip("m" + i + ".huge.test", "127.0.1." + (i + 1));
        }

        List<NextHop> hops = lookup.lookup("huge.test");

        assertEquals(MxLookup.MAX_MX_HOSTS, hops.size());
        assertEquals("m0.huge.test", hops.get(0).name());
        assertEquals("m9.huge.test", hops.get(9).name());
    }

    @Test
    void rejectsANameThatIsNoDomain() {
        RouteException e = assertThrows(RouteException.class, () -> lookup.lookup("bad domain\r\n.test"));
        assertTrue(e.permanent());
    }

    @Test
    void malformedResolverAddressFailsNamingTheKey() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> new MxLookup(Optional.of("127.0.0.1:99999"), Duration.ofSeconds(1), 25));
        assertTrue(e.getMessage().contains("portcullis.delivery.dns-resolver"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> new MxLookup(Optional.empty(), Duration.ZERO, 25));
    }
}
