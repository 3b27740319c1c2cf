package io.portcullis.scanner.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.portcullis.contracts.events.Action;
import io.portcullis.contracts.events.Envelope;
import io.portcullis.contracts.scan.Category;
import io.portcullis.contracts.scan.EngineResult;
import io.portcullis.contracts.scan.Finding;
import io.portcullis.contracts.scan.ScanInput;
import io.portcullis.contracts.scan.ScanItem;
import io.portcullis.mailauth.dkim.DkimKey;
import io.portcullis.mailauth.dkim.DkimSigner;
import io.portcullis.scanner.config.ScannerConfig;
import io.portcullis.scanner.policy.DefaultPolicy;
import io.portcullis.scanner.policy.PolicyEvaluator;
import io.portcullis.scanner.support.LocalDnsServer;
import java.nio.charset.StandardCharsets;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The SPF/DKIM/DMARC engine against a local DNS zone: findings, scores, alignment, policies and DNS failures. */
class EmailAuthEngineTest {
    private static final KeyPair KEY = rsa1024();
    /** h= as given, no over-signed From: a From added later leaves the signature valid. */
    private static final List<String> SIGNED = List.of("from", "to", "subject", "date");
    private static final String SENDER_IP = "192.0.2.10";
    private static final String OTHER_IP = "203.0.113.5";

    record Config(boolean enabled, Optional<String> resolver, Duration timeout, Duration deadline, long cacheSize,
            Duration cacheTtl, int maxSignatures) implements ScannerConfig.Auth {
    }

    private final LocalDnsServer dns = new LocalDnsServer()
            .txt("good.test", "v=spf1 ip4:" + SENDER_IP + " -all")
            .txt("_dmarc.good.test", "v=DMARC1; p=reject; rua=mailto:dmarc@good.test")
            .txt("s1._domainkey.good.test", DkimSigner.keyRecord(KEY.getPublic()))
            .txt("reject.test", "v=spf1 ip4:" + SENDER_IP + " -all")
            .txt("_dmarc.reject.test", "v=DMARC1; p=reject")
            .txt("quar.test", "v=spf1 ip4:" + SENDER_IP + " ~all")
            .txt("_dmarc.quar.test", "v=DMARC1; p=quarantine")
            .txt("nonep.test", "v=spf1 ip4:" + SENDER_IP + " -all")
            .txt("_dmarc.nonep.test", "v=DMARC1; p=none")
            .txt("sample.test", "v=spf1 -all")
            .txt("_dmarc.sample.test", "v=DMARC1; p=reject; pct=0")
            .txt("_dmarc.shop.test", "v=DMARC1; p=none; sp=reject")
            .txt("bounce.relaxed.test", "v=spf1 ip4:" + SENDER_IP + " -all")
            .txt("_dmarc.relaxed.test", "v=DMARC1; p=reject")
            .txt("s1._domainkey.mail.relaxed.test", DkimSigner.keyRecord(KEY.getPublic()))
            .txt("bounce.strict.test", "v=spf1 ip4:" + SENDER_IP + " -all")
            .txt("_dmarc.strict.test", "v=DMARC1; p=reject; adkim=s; aspf=s")
            .txt("s1._domainkey.mail.strict.test", DkimSigner.keyRecord(KEY.getPublic()))
            .txt("mx.helo.test", "v=spf1 a -all")
            .ip("mx.helo.test", SENDER_IP)
            .silent("slowspf.test")
            .txt("_dmarc.slowspf.test", "v=DMARC1; p=reject")
            .silent("_dmarc.slowdmarc.test")
            .txt("_dmarc.broken.test", "v=DMARC1; p=reject", "")
            .txt("_dmarc.broken.test", "v=DMARC1; p=none")
            .txt("_dmarc.garbage.test", "v=DMARC2; p=reject");
    private final AtomicInteger percent = new AtomicInteger(50);

    @AfterEach
    void stop() {
        dns.close();
    }

    private EmailAuthEngine engine() {
        return engine(dns.address());
    }

    private EmailAuthEngine engine(String resolver) {
        Config c = new Config(true, Optional.of(resolver), Duration.ofMillis(300), Duration.ofSeconds(2), 1000,
                Duration.ofMinutes(10), 5);
        return new EmailAuthEngine(c, EmailAuthEngine.resolver(c.resolver()), System::nanoTime,
                Clock.fixed(Instant.parse("2026-11-27T08:00:00Z"), ZoneOffset.UTC), percent::get);
    }

    private static String mail(String from) {
        return "From: Someone <" + from + ">\r\nTo: bob@example.com\r\nSubject: hello\r\n"
                + "Date: Fri, 27 Nov 2026 08:00:00 +0000\r\n\r\nHello Bob.\r\n";
    }

    private static KeyPair rsa1024() {
        try {
            KeyPairGenerator g = KeyPairGenerator.getInstance("RSA");
            g.initialize(1024);
            return g.generateKeyPair();
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private static String signed(String message, String d) {
        byte[] raw = message.getBytes(StandardCharsets.ISO_8859_1);
        return new String(new DkimSigner(List.of(), Clock.systemUTC()).sign(raw, new DkimKey(d, "s1", KEY.getPrivate()),
                SIGNED), StandardCharsets.ISO_8859_1);
    }

    private static ScanInput input(Envelope env, String message) {
        byte[] raw = message.getBytes(StandardCharsets.ISO_8859_1);
        return new ScanInput("q1", env, List.of(new ScanItem("raw", null, null, 0, raw),
                new ScanItem("part/1", null, "text/plain", 1, "Hello Bob.".getBytes(StandardCharsets.US_ASCII))));
    }

    private static Envelope env(String mailFrom, String helo, String ip) {
        return new Envelope(mailFrom, List.of("bob@example.com"), helo, ip, false);
    }

    private List<Finding> scan(Envelope env, String message) throws Exception {
        return scan(engine(), env, message);
    }

    private static List<Finding> scan(EmailAuthEngine engine, Envelope env, String message) throws Exception {
        EngineResult r = engine.scan(input(env, message));
        assertEquals(EngineResult.Status.OK, r.status(), r.toString());
        return r.findings();
    }

    private static String symbols(List<Finding> findings) {
        return findings.stream().map(Finding::symbol).collect(Collectors.joining(" "));
    }

    private static Finding find(List<Finding> findings, String symbol) {
        return findings.stream().filter(f -> f.symbol().equals(symbol)).findFirst()
                .orElseThrow(() -> new AssertionError(symbol + " not in " + findings));
    }

    @Test
    void alignedSpfAndDkimPass() throws Exception {
        List<Finding> f = scan(env("news@good.test", "mx.good.test", SENDER_IP), signed(mail("a@good.test"), "good.test"));
        assertEquals("SPF_PASS DKIM_VALID DMARC_PASS", symbols(f));
        assertTrue(f.stream().allMatch(x -> x.category() == Category.INFO && x.score() == 0), f.toString());
        assertEquals("d=good.test s=s1", find(f, "DKIM_VALID").detail());
        assertEquals("mfrom=good.test ip=192.0.2.10: matched ip4:192.0.2.10", find(f, "SPF_PASS").detail());
        assertEquals("good.test: aligned dkim d=good.test, spf good.test (adkim=r aspf=r)",
                find(f, "DMARC_PASS").detail());
        assertFalse(f.toString().contains("news@"), "no full addresses in details");
    }

    @Test
    void spfPassFailSoftfailGiveTheirFindingsAndScores() throws Exception {
        assertEquals(new Finding("SPF_FAIL", Category.SPAM, 1.0, "mfrom=reject.test ip=203.0.113.5: matched -all"),
                find(scan(env("x@reject.test", "h.test", OTHER_IP), mail("x@reject.test")), "SPF_FAIL"));
        assertEquals(new Finding("SPF_SOFTFAIL", Category.SPAM, 0.5, "mfrom=quar.test ip=203.0.113.5: matched ~all"),
                find(scan(env("x@quar.test", "h.test", OTHER_IP), mail("x@quar.test")), "SPF_SOFTFAIL"));
        assertEquals(Category.INFO, find(scan(env("x@none.test", "h.test", OTHER_IP), mail("x@none.test")),
                "SPF_NONE").category());
    }

    @Test
    void dmarcRejectWithoutAlignedPassGivesRejectAndTheDefaultPolicyQuarantines() throws Exception {
        List<Finding> f = scan(env("x@reject.test", "h.test", OTHER_IP), mail("ceo@reject.test"));
        assertEquals("SPF_FAIL DKIM_NONE DMARC_FAIL DMARC_REJECT", symbols(f));
        assertEquals(new Finding("DMARC_FAIL", Category.SPAM, 1.0,
                "reject.test: no aligned SPF or DKIM pass (adkim=r aspf=r, p=reject)"), find(f, "DMARC_FAIL"));
        assertEquals(new Finding("DMARC_REJECT", Category.SPAM, 2.0, "reject.test: policy of reject.test"),
                find(f, "DMARC_REJECT"));
        var decision = new PolicyEvaluator().evaluate(f, DefaultPolicy.SNAPSHOT);
        assertEquals(Action.QUARANTINE, decision.action());
        assertEquals("dmarc-reject-quarantine", decision.ruleId());
    }

    @Test
    void brokenSignatureOfTheFromDomainIsInvalidAndFailsDmarc() throws Exception {
        String tampered = signed(mail("a@good.test"), "good.test").replace("Hello Bob.", "Hello Bob, pay this.");
        List<Finding> f = scan(env("x@good.test", "h.test", OTHER_IP), tampered);
        assertEquals(new Finding("DKIM_INVALID", Category.SPAM, 1.0, "d=good.test s=s1: body hash mismatch"),
                find(f, "DKIM_INVALID"));
        assertTrue(symbols(f).contains("DMARC_FAIL DMARC_REJECT"), symbols(f));
    }

    @Test
    void quarantineAndNonePoliciesHaveTheirOwnSymbols() throws Exception {
        List<Finding> q = scan(env("x@quar.test", "h.test", OTHER_IP), mail("a@quar.test"));
        assertEquals(new Finding("DMARC_QUARANTINE", Category.SPAM, 1.5, "quar.test: policy of quar.test"),
                find(q, "DMARC_QUARANTINE"));
        List<Finding> n = scan(env("x@nonep.test", "h.test", OTHER_IP), mail("a@nonep.test"));
        assertEquals(Category.INFO, find(n, "DMARC_NONE_POLICY").category());
        assertTrue(symbols(n).contains("DMARC_FAIL"));
    }

    @Test
    void pctSamplingAppliesTheNextMilderPolicyOutsideTheSample() throws Exception {
        List<Finding> f = scan(env("x@sample.test", "h.test", OTHER_IP), mail("a@sample.test"));
        assertTrue(symbols(f).contains("DMARC_FAIL DMARC_QUARANTINE"), symbols(f));
        assertTrue(find(f, "DMARC_FAIL").detail().contains("outside pct=0 sample"));
    }

    @Test
    void subdomainWithoutRecordUsesTheOrganizationalDomainsSp() throws Exception {
        List<Finding> f = scan(env("x@mail.shop.test", "h.test", OTHER_IP), mail("a@mail.shop.test"));
        assertTrue(symbols(f).endsWith("DMARC_FAIL DMARC_REJECT"), symbols(f));
        assertEquals("mail.shop.test: policy of shop.test", find(f, "DMARC_REJECT").detail());
        List<Finding> org = scan(env("x@shop.test", "h.test", OTHER_IP), mail("a@shop.test"));
        assertTrue(symbols(org).endsWith("DMARC_FAIL DMARC_NONE_POLICY"), "p= for the org domain itself: "
                + symbols(org));
    }

    @Test
    void relaxedAlignmentAcceptsSubdomainsStrictDoesNot() throws Exception {
        String relaxed = signed(mail("a@relaxed.test"), "mail.relaxed.test");
        List<Finding> r = scan(env("b@bounce.relaxed.test", "h.test", SENDER_IP), relaxed);
        assertEquals("SPF_PASS DKIM_VALID DMARC_PASS", symbols(r));
        assertEquals("relaxed.test: aligned dkim d=mail.relaxed.test, spf bounce.relaxed.test (adkim=r aspf=r)",
                find(r, "DMARC_PASS").detail());

        String strict = signed(mail("a@strict.test"), "mail.strict.test");
        List<Finding> s = scan(env("b@bounce.strict.test", "h.test", SENDER_IP), strict);
        assertEquals("SPF_PASS DKIM_VALID DMARC_FAIL DMARC_REJECT", symbols(s),
                "SPF and DKIM pass, but for subdomains: not aligned under adkim=s aspf=s");
    }

    @Test
    void nullSenderIsCheckedAgainstHelo() throws Exception {
        List<Finding> f = scan(env("", "mx.helo.test", SENDER_IP), mail("a@helo.test"));
        assertEquals("helo=mx.helo.test ip=192.0.2.10: matched a", find(f, "SPF_PASS").detail());
    }

    @Test
    void withoutEnvelopeSpfIsSkippedAndDkimStillDecidesDmarc() throws Exception {
        List<Finding> f = scan(null, signed(mail("a@good.test"), "good.test"));
        assertEquals("SPF_SKIPPED DKIM_VALID DMARC_PASS", symbols(f));
        assertEquals(new Finding("SPF_SKIPPED", Category.INFO, 0, "no envelope: SPF not evaluated"), f.get(0));
        List<Finding> unsigned = scan(null, mail("a@reject.test"));
        assertEquals("SPF_SKIPPED DKIM_NONE DMARC_FAIL DMARC_REJECT", symbols(unsigned));
        assertEquals("no client IP: SPF not evaluated", scan(env("a@good.test", "h", ""), mail("a@good.test"))
                .get(0).detail());
    }

    @Test
    void privateAndLoopbackClientsAreStillEvaluated() throws Exception {
        dns.txt("lan.test", "v=spf1 ip4:10.0.0.0/8 ip6:::1 -all");
        assertEquals("SPF_PASS", scan(env("a@lan.test", "h", "10.1.2.3"), mail("a@lan.test")).get(0).symbol());
        assertEquals("SPF_PASS", scan(env("a@lan.test", "h", "[::1]"), mail("a@lan.test")).get(0).symbol());
        assertEquals("SPF_FAIL", scan(env("a@lan.test", "h", "127.0.0.1"), mail("a@lan.test")).get(0).symbol());
    }

    @Test
    void dnsTimeoutIsTemperrorNeverPassNorFail() throws Exception {
        long start = System.nanoTime();
        List<Finding> f = scan(env("x@slowspf.test", "h.test", SENDER_IP), mail("a@slowspf.test"));
        assertTrue(TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start) < 2000);
        assertEquals("SPF_TEMPERROR DKIM_NONE DMARC_TEMPERROR", symbols(f));
        assertTrue(f.stream().allMatch(x -> x.category() == Category.INFO && x.score() == 0), f.toString());
        List<Finding> d = scan(env("x@good.test", "h.test", SENDER_IP), mail("a@slowdmarc.test"));
        assertEquals(new Finding("DMARC_TEMPERROR", Category.INFO, 0, "slowdmarc.test: _dmarc.slowdmarc.test lookup "
                + "timeout"), find(d, "DMARC_TEMPERROR"));
    }

    @Test
    void unreachableResolverGivesTemperrorsNotPasses() throws Exception {
        String address = dns.address();
        dns.close();
        List<Finding> f = scan(engine(address), env("x@good.test", "h.test", SENDER_IP),
                signed(mail("a@good.test"), "good.test"));
        assertEquals("SPF_TEMPERROR DKIM_TEMPERROR DMARC_TEMPERROR", symbols(f));
    }

    @Test
    void malformedOrDuplicateDmarcRecordsAreNoPolicy() throws Exception {
        assertEquals("DMARC_NONE", find(scan(null, mail("a@broken.test")), "DMARC_NONE").symbol());
        assertEquals("DMARC_NONE", find(scan(null, mail("a@garbage.test")), "DMARC_NONE").symbol());
        assertEquals("no From domain", find(scan(null, "Subject: x\r\n\r\nbody\r\n"), "DMARC_NONE").detail());
        assertEquals("no From domain", find(scan(null, "From: undisclosed\r\n\r\nbody\r\n"), "DMARC_NONE").detail());
    }

    @Test
    void everyFromDomainIsEvaluatedSoASecondFromCannotHideAFailure() throws Exception {
        // a From added above the signed one leaves the signature valid (h= takes the bottom instance)
        String twoFroms = "From: ceo@reject.test\r\n" + signed(mail("a@good.test"), "good.test");
        List<Finding> f = scan(null, twoFroms);
        assertEquals("SPF_SKIPPED DKIM_VALID DMARC_FAIL DMARC_REJECT DMARC_PASS", symbols(f));
        assertEquals("reject.test: policy of reject.test", find(f, "DMARC_REJECT").detail());
    }

    @Test
    void answersAreCached() throws Exception {
        EmailAuthEngine engine = engine();
        scan(engine, env("x@reject.test", "h.test", OTHER_IP), mail("a@reject.test"));
        scan(engine, env("x@reject.test", "h.test", OTHER_IP), mail("a@reject.test"));
        assertEquals(1, dns.queries("reject.test"));
        assertEquals(1, dns.queries("_dmarc.reject.test"));
    }

    @Test
    void noRawMessageIsAFailureNotClean() throws Exception {
        EngineResult r = engine().scan(new ScanInput("q", null, List.of()));
        assertEquals(EngineResult.Status.FAILED, r.status());
        assertEquals("AUTH_FAIL", r.findings().get(0).symbol());
        assertEquals(Category.FAILURE, r.findings().get(0).category());
    }

    @Test
    void badConfigurationFailsStartUpNamingTheKey() {
        Config good = new Config(true, Optional.of("127.0.0.1:53"), Duration.ofSeconds(2), Duration.ofSeconds(5), 10,
                Duration.ofMinutes(1), 5);
        EmailAuthEngine.check(good, Duration.ofSeconds(30));
        List<Config> bad = List.of(
                new Config(true, good.resolver(), Duration.ZERO, good.deadline(), 10, good.cacheTtl(), 5),
                new Config(true, good.resolver(), Duration.ofSeconds(6), good.deadline(), 10, good.cacheTtl(), 5),
                new Config(true, good.resolver(), good.timeout(), Duration.ofSeconds(30), 10, good.cacheTtl(), 5),
                new Config(true, good.resolver(), good.timeout(), good.deadline(), 0, good.cacheTtl(), 5),
                new Config(true, good.resolver(), good.timeout(), good.deadline(), 10, good.cacheTtl(), 0),
                new Config(true, Optional.of("127.0.0.1:99999"), good.timeout(), good.deadline(), 10, good.cacheTtl(),
                        5));
        for (Config c : bad) {
            IllegalStateException e = assertThrows(IllegalStateException.class,
                    () -> EmailAuthEngine.check(c, Duration.ofSeconds(30)), c.toString());
            assertTrue(e.getMessage().startsWith("portcullis.scanner.auth."), e.getMessage());
        }
    }
}
