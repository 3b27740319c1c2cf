package io.portcullis.scanner.engine.auth;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.portcullis.scanner.engine.auth.SpfEvaluator.Result;
import io.portcullis.scanner.support.LocalDnsServer;
import java.net.InetAddress;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.xbill.DNS.SimpleResolver;

/** SPF check_host() against a local DNS zone: results, mechanisms, macros, limits, loops and DNS failures. */
class SpfEvaluatorTest {
    private final LocalDnsServer dns = new LocalDnsServer()
            .txt("pass.test", "v=spf1 ip4:192.0.2.0/24 -all")
            .txt("soft.test", "v=spf1 ip4:192.0.2.1 ~all")
            .txt("neutral.test", "v=spf1 ?all")
            .txt("hard.test", "v=spf1 -all")
            .txt("notspf.test", "some verification token")
            .txt("two.test", "v=spf1 -all", "")
            .txt("two.test", "v=spf1 +all")
            .txt("split.test", "v=spf1 ip4:198.51.100.7", " -all")
            .txt("v6.test", "v=spf1 ip6:2001:db8::/32 -all")
            .txt("a.test", "v=spf1 a a:host.a.test/30 -all")
            .ip("a.test", "203.0.113.9")
            .ip("host.a.test", "203.0.113.100")
            .txt("mx.test", "v=spf1 mx -all")
            .mx("mx.test", 10, "mail1.mx.test")
            .mx("mx.test", 20, "mail2.mx.test")
            .ip("mail1.mx.test", "198.51.100.1")
            .ip("mail2.mx.test", "2001:db8::25")
            .txt("inc.test", "v=spf1 include:pass.test -all")
            .txt("incsoft.test", "v=spf1 include:hard.test ~all")
            .txt("incnone.test", "v=spf1 include:nothing.test -all")
            .txt("redir.test", "v=spf1 redirect=pass.test")
            .txt("redirnone.test", "v=spf1 redirect=nothing.test")
            .txt("loop1.test", "v=spf1 include:loop2.test -all")
            .txt("loop2.test", "v=spf1 include:loop1.test -all")
            .txt("self.test", "v=spf1 redirect=self.test")
            .txt("many.test", "v=spf1 a:h1.many.test a:h2.many.test a:h3.many.test a:h4.many.test a:h5.many.test"
                    + " a:h6.many.test a:h7.many.test a:h8.many.test a:h9.many.test a:h10.many.test"
                    + " a:h11.many.test ip4:192.0.2.1 -all")
            .txt("voids.test", "v=spf1 a:v1.voids.test a:v2.voids.test a:v3.voids.test ip4:192.0.2.1 -all")
            .txt("exists.test", "v=spf1 exists:%{ir}.%{l1r+-}._spf.%{d} -all")
            .ip("1.2.0.192.john._spf.exists.test", "127.0.0.2")
            .txt("mapped.test", "v=spf1 ip6:::ffff:192.0.2.1 ip6:::ffff:192.0.2.0/120 -all")
            .txt("bad.test", "v=spf1 ip4:300.1.1.1 -all")
            .txt("badmech.test", "v=spf1 frobnicate -all")
            .txt("badmacro.test", "v=spf1 exists:%{x}.bad -all")
            .txt("badcidr.test", "v=spf1 ip4:192.0.2.0/33 -all")
            .txt("late.test", "v=spf1 ip4:192.0.2.1 -all frobnicate:x")
            .txt("slow.test", "v=spf1 include:timeout.test -all")
            .txt("servfail.test", "v=spf1 a:broken.test -all")
            .servfail("broken.test")
            .silent("timeout.test")
            .silent("silent.test");

    @AfterEach
    void stop() {
        dns.close();
    }

    private AuthDns authDns() throws Exception {
        SimpleResolver r = new SimpleResolver(InetAddress.getLoopbackAddress());
        r.setPort(Integer.parseInt(dns.address().substring(dns.address().lastIndexOf(':') + 1)));
        return new AuthDns(r, Duration.ofMillis(300), 1000, Duration.ofMinutes(5), System::nanoTime);
    }

    private SpfEvaluator.Outcome check(String ip, String domain) throws Exception {
        return check(ip, domain, "john@" + domain);
    }

    private SpfEvaluator.Outcome check(String ip, String domain, String sender) throws Exception {
        return new SpfEvaluator(authDns()).check(InetAddress.getByName(ip), domain, sender, "helo.test",
                System.nanoTime() + TimeUnit.SECONDS.toNanos(3));
    }

    @Test
    void passFailSoftfailNeutralByQualifier() throws Exception {
        assertEquals(Result.PASS, check("192.0.2.77", "pass.test").result());
        assertEquals(Result.FAIL, check("198.51.100.1", "pass.test").result());
        assertEquals(Result.SOFTFAIL, check("198.51.100.1", "soft.test").result());
        assertEquals(Result.NEUTRAL, check("198.51.100.1", "neutral.test").result());
        SpfEvaluator.Outcome o = check("192.0.2.77", "pass.test");
        assertEquals("matched ip4:192.0.2.0/24", o.detail());
    }

    @Test
    void noRecordOrNoDomainIsNone() throws Exception {
        assertEquals(Result.NONE, check("192.0.2.1", "nothing.test").result());
        assertEquals(Result.NONE, check("192.0.2.1", "notspf.test").result());
        assertEquals(Result.NONE, check("192.0.2.1", "localhost").result(), "single label");
        assertEquals(Result.NONE, check("192.0.2.1", "[192.0.2.1]").result(), "address literal HELO");
        assertEquals(Result.NONE, check("192.0.2.1", "a..b").result());
        assertEquals(Result.NONE, check("192.0.2.1", "x".repeat(64) + ".test").result());
    }

    @Test
    void characterStringsAreJoinedWithoutSpaces() throws Exception {
        assertEquals(Result.PASS, check("198.51.100.7", "split.test").result());
        assertEquals(Result.FAIL, check("198.51.100.8", "split.test").result());
    }

    @Test
    void twoSpfRecordsArePermerror() throws Exception {
        assertEquals(Result.PERMERROR, check("192.0.2.1", "two.test").result());
    }

    @Test
    void ip6AMxMechanismsWithCidr() throws Exception {
        assertEquals(Result.PASS, check("2001:db8:1::5", "v6.test").result());
        assertEquals(Result.FAIL, check("2001:db9::5", "v6.test").result());
        assertEquals(Result.FAIL, check("192.0.2.1", "v6.test").result(), "a v4 client never matches ip6");
        assertEquals(Result.PASS, check("203.0.113.9", "a.test").result());
        assertEquals(Result.PASS, check("203.0.113.102", "a.test").result(), "a:host/30");
        assertEquals(Result.FAIL, check("203.0.113.104", "a.test").result());
        assertEquals(Result.PASS, check("198.51.100.1", "mx.test").result());
        assertEquals(Result.PASS, check("2001:db8::25", "mx.test").result());
        assertEquals(Result.FAIL, check("198.51.100.2", "mx.test").result());
    }

    @Test
    void ipv4MappedIp6LiteralsNeitherCrashNorMatchWrongly() throws Exception {
        assertEquals(Result.PASS, check("192.0.2.1", "mapped.test").result());
        assertEquals(Result.FAIL, check("198.51.100.1", "mapped.test").result());
    }

    @Test
    void includeAndRedirect() throws Exception {
        assertEquals(Result.PASS, check("192.0.2.5", "inc.test").result());
        assertEquals(Result.FAIL, check("203.0.113.1", "inc.test").result());
        assertEquals(Result.SOFTFAIL, check("203.0.113.1", "incsoft.test").result(),
                "a fail inside include is no match, not a fail");
        assertEquals(Result.PERMERROR, check("203.0.113.1", "incnone.test").result(), "include of no record");
        SpfEvaluator.Outcome r = check("192.0.2.5", "redir.test");
        assertEquals(Result.PASS, r.result());
        assertEquals("redir.test", r.domain());
        assertEquals(Result.FAIL, check("203.0.113.1", "redir.test").result());
        assertEquals(Result.PERMERROR, check("203.0.113.1", "redirnone.test").result());
    }

    @Test
    void includeLoopsAndSelfRedirectEndAtTheLookupLimit() throws Exception {
        SpfEvaluator.Outcome loop = check("192.0.2.1", "loop1.test");
        assertEquals(Result.PERMERROR, loop.result());
        assertTrue(loop.detail().contains("more than 10 DNS-querying terms"), loop.detail());
        assertEquals(Result.PERMERROR, check("192.0.2.1", "self.test").result());
        assertTrue(dns.queries("loop1.test") <= 1, "answers are cached, the loop is not re-asked: "
                + dns.queries("loop1.test"));
    }

    @Test
    void moreThanTenLookupsIsPermerrorEvenIfALaterTermWouldPass() throws Exception {
        for (int i = 1; i <= 11; i++) {
            dns.ip("h" + i + ".many.test", "203.0.113." + i);
        }
        SpfEvaluator.Outcome o = check("192.0.2.1", "many.test");
        assertEquals(Result.PERMERROR, o.result());
        assertEquals(0, dns.queries("h11.many.test"), "the 11th lookup is never sent");
        assertEquals(Result.PASS, check("203.0.113.10", "many.test").result(), "the 10th still counts");
    }

    @Test
    void moreThanTwoVoidLookupsIsPermerror() throws Exception {
        SpfEvaluator.Outcome o = check("192.0.2.1", "voids.test");
        assertEquals(Result.PERMERROR, o.result());
        assertTrue(o.detail().contains("void"), o.detail());
    }

    @Test
    void macrosExpandReversedIpAndLocalPart() throws Exception {
        assertEquals(Result.PASS, check("192.0.2.1", "exists.test", "john@exists.test").result());
        assertEquals(Result.FAIL, check("192.0.2.1", "exists.test", "mary@exists.test").result());
        assertEquals(Result.FAIL, check("192.0.2.2", "exists.test", "john@exists.test").result());
    }

    @Test
    void malformedRecordsArePermerrorBeforeAnyMatch() throws Exception {
        for (String d : new String[] {"bad.test", "badmech.test", "badmacro.test", "badcidr.test", "late.test"}) {
            assertEquals(Result.PERMERROR, check("192.0.2.1", d).result(), d);
        }
        String[] chunks = new String[18];
        chunks[0] = "v=spf1 ip4:192.0.2.1";
        for (int i = 1; i < chunks.length; i++) {
            chunks[i] = " ip4:192.0.2.1".repeat(17);
        }
        dns.txt("huge.test", chunks);
        // 4 KB of TXT does not fit the UDP answer (a real server sets TC and the resolver retries over TCP; the
        // test server has no TCP): whatever the transport does, an unreadable answer is TEMPERROR, never a pass
        SpfEvaluator.Outcome huge = check("192.0.2.1", "huge.test");
        assertEquals(Result.TEMPERROR, huge.result(), huge.detail());
        dns.txt("hostile.test", "v=spf1 include:%{" + "}" + " -all");
        assertEquals(Result.PERMERROR, check("192.0.2.1", "hostile.test").result());
    }

    @Test
    void dnsTimeoutOrServfailIsTemperrorNeverPass() throws Exception {
        long start = System.nanoTime();
        SpfEvaluator.Outcome o = check("192.0.2.1", "silent.test");
        assertEquals(Result.TEMPERROR, o.result());
        assertTrue(TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start) < 1500);
        assertEquals(Result.TEMPERROR, check("192.0.2.1", "slow.test").result(), "timeout inside an include");
        assertEquals(Result.TEMPERROR, check("192.0.2.1", "servfail.test").result());
    }

    @Test
    void theDeadlineCutsTheEvaluationShort() throws Exception {
        SpfEvaluator.Outcome o = new SpfEvaluator(authDns()).check(InetAddress.getByName("192.0.2.1"), "pass.test",
                "a@pass.test", "h", System.nanoTime() - 1);
        assertEquals(Result.TEMPERROR, o.result());
    }

    @Test
    void cidrMatching() throws Exception {
        assertTrue(SpfEvaluator.inNetwork(InetAddress.getByName("10.1.2.3"), InetAddress.getByName("10.0.0.0"), 8));
        assertTrue(!SpfEvaluator.inNetwork(InetAddress.getByName("11.1.2.3"), InetAddress.getByName("10.0.0.0"), 8));
        assertTrue(SpfEvaluator.inNetwork(InetAddress.getByName("10.1.2.3"), InetAddress.getByName("0.0.0.0"), 0));
        assertTrue(SpfEvaluator.inNetwork(InetAddress.getByName("10.1.2.3"), InetAddress.getByName("10.1.2.0"), 30));
        assertTrue(!SpfEvaluator.inNetwork(InetAddress.getByName("10.1.2.4"), InetAddress.getByName("10.1.2.0"), 30));
    }
}
