package io.portcullis.scanner.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.portcullis.contracts.events.Action;
import io.portcullis.contracts.events.Envelope;
import io.portcullis.contracts.policy.PolicySnapshot;
import io.portcullis.contracts.policy.SenderListEntry;
import io.portcullis.contracts.policy.SenderListEntry.Kind;
import io.portcullis.contracts.scan.Category;
import io.portcullis.contracts.scan.EngineResult;
import io.portcullis.contracts.scan.Finding;
import io.portcullis.contracts.scan.ScanInput;
import io.portcullis.contracts.scan.ScanItem;
import io.portcullis.scanner.policy.DefaultPolicy;
import io.portcullis.scanner.policy.PolicyEvaluator;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

/** Matching of envelope sender and From header against the snapshot's safe and blocked senders. */
class SenderListEngineTest {
    private final AtomicReference<PolicySnapshot> snapshot = new AtomicReference<>(DefaultPolicy.SNAPSHOT);
    private final SenderListEngine engine = new SenderListEngine(snapshot::get);

    private void lists(SenderListEntry... entries) {
        PolicySnapshot d = DefaultPolicy.SNAPSHOT;
        snapshot.set(new PolicySnapshot(d.tenant(), d.version() + 1, d.acceptedDomains(), d.spamThreshold(),
                d.blockedExtensions(), d.rules(), Arrays.asList(entries)));
    }

    private static SenderListEntry blocked(String owner, String sender) {
        return new SenderListEntry(owner, sender, Kind.BLOCKED);
    }

    private static SenderListEntry safe(String owner, String sender) {
        return new SenderListEntry(owner, sender, Kind.SAFE);
    }

    private static byte[] message(String headers) {
        return (headers.replace("\n", "\r\n") + "\r\nSubject: hi\r\n\r\nhello\r\n").getBytes(StandardCharsets.UTF_8);
    }

    private static ScanInput input(String mailFrom, List<String> rcpt, byte[] raw) {
        Envelope envelope = mailFrom == null ? null : new Envelope(mailFrom, rcpt, "helo.test", "192.0.2.1", false);
        List<ScanItem> items = raw == null ? List.of() : List.of(new ScanItem("raw", null, null, 0, raw));
        return new ScanInput("m1", envelope, items);
    }

    private List<Finding> scan(String mailFrom, List<String> rcpt, String fromHeader) {
        EngineResult r = engine.scan(input(mailFrom, rcpt, fromHeader == null ? null : message(fromHeader)));
        assertEquals(EngineResult.Status.OK, r.status());
        return r.findings();
    }

    private List<String> symbols(String mailFrom, List<String> rcpt, String fromHeader) {
        return scan(mailFrom, rcpt, fromHeader).stream().map(Finding::symbol).toList();
    }

    private static final List<String> BOB = List.of("bob@example.com");

    @Test
    void blocksByAddressDomainAndWildcard() {
        lists(blocked("*", "alice@spam.example"), blocked("*", "junk.example"), blocked("*", "*.bulk.example"));
        assertEquals(List.of("BLOCKED_SENDER"), symbols("alice@spam.example", BOB, null));
        assertEquals(List.of(), symbols("carol@spam.example", BOB, null), "only that address of spam.example");
        assertEquals(List.of("BLOCKED_SENDER"), symbols("anyone@junk.example", BOB, null));
        assertEquals(List.of(), symbols("anyone@mail.junk.example", BOB, null), "a domain entry is exact");
        assertEquals(List.of("BLOCKED_SENDER"), symbols("x@bulk.example", BOB, null), "*. includes the domain");
        assertEquals(List.of("BLOCKED_SENDER"), symbols("x@a.b.bulk.example", BOB, null));
        assertEquals(List.of(), symbols("x@notbulk.example", BOB, null), "a suffix is not a subdomain");
        assertEquals(List.of(), symbols("x@bulk.example.net", BOB, null));
        Finding f = scan("x@mail.bulk.example", BOB, null).get(0);
        assertEquals(Category.CONTENT, f.category());
        assertEquals(0, f.score());
    }

    @Test
    void matchingIgnoresCaseAndTrailingDotAndAngleBrackets() {
        lists(blocked("example.com", "alice@spam.example"), safe("*", "*.partner.example"));
        assertEquals(List.of("BLOCKED_SENDER"), symbols("ALICE@Spam.EXAMPLE", List.of("Bob@EXAMPLE.com"), null));
        assertEquals(List.of("BLOCKED_SENDER"), symbols("<alice@spam.example.>", List.of("<bob@example.com>"), null));
        assertEquals(List.of("SAFE_SENDER"), symbols("news@MAIL.Partner.Example", BOB, null));
    }

    @Test
    void internationalDomainsMatchTheirAsciiForm() {
        lists(blocked("*", "*.xn--bcher-kva.example"), safe("xn--mnchen-3ya.example", "partner.example"));
        assertEquals(List.of("BLOCKED_SENDER"), symbols("info@BÜCHER.example", BOB, null));
        assertEquals(List.of("BLOCKED_SENDER"), symbols("", BOB, "From: Info <info@shop.bücher.example>"));
        assertEquals(List.of("SAFE_SENDER"), symbols("a@partner.example", List.of("x@münchen.example"), null));
    }

    @Test
    void theFromHeaderIsACandidateAndTheDetailSaysWhichMatched() {
        lists(blocked("*", "spam.example"));
        List<Finding> byHeader = scan("bounce@mailer.example", BOB,
                "From: \"Spam Team\" <offers@spam.example>");
        assertEquals(List.of("BLOCKED_SENDER"), byHeader.stream().map(Finding::symbol).toList());
        assertEquals("the recipient blocks the sender: From header o***@spam.example matched spam.example on the"
                + " tenant list (*)", byHeader.get(0).detail());
        List<Finding> byEnvelope = scan("offers@spam.example", BOB, "From: <ceo@partner.example>");
        assertTrue(byEnvelope.get(0).detail().startsWith("the recipient blocks the sender: envelope sender o***@"),
                byEnvelope.get(0).detail());
    }

    @Test
    void detailsNeverCarryFullAddresses() {
        lists(blocked("bob@example.com", "alice@spam.example"));
        String detail = scan("alice@spam.example", BOB, null).get(0).detail();
        assertFalse(detail.contains("alice@") || detail.contains("bob@"), detail);
        assertTrue(detail.contains("a***@spam.example") && detail.contains("the list of b***@example.com"), detail);
    }

    @Test
    void anAddressInTheDisplayNameIsNotTheSender() {
        lists(safe("*", "partner.example"), blocked("*", "spam.example"));
        assertEquals(List.of(), symbols("", BOB, "From: \"ceo@partner.example\" <x@elsewhere.example>"));
        assertEquals(List.of(), symbols("", BOB, "From: (ceo@partner.example) <x@elsewhere.example>"));
        assertEquals(List.of("BLOCKED_SENDER"), symbols("", BOB,
                "From: \"<boss@partner.example>\" <x@spam.example>"));
    }

    @Test
    void parsesFoldedHeadersCommentsEncodedWordsGroupsAndRoutes() {
        lists(safe("*", "partner.example"));
        assertEquals(List.of("SAFE_SENDER"), symbols("", BOB,
                "FROM: =?utf-8?q?Al=C3=AFce?=\n <alice(work)@(mail)partner.example>"));
        assertEquals(List.of("SAFE_SENDER"), symbols("", BOB, "From: team: alice@partner.example;"));
        assertEquals(List.of("SAFE_SENDER"), symbols("", BOB, "From: <@relay.example,@r2.example:alice@partner.example>"));
        assertEquals(List.of("SAFE_SENDER"), symbols("", BOB, "From: \"alice\"@partner.example"));
        assertEquals(List.of("SAFE_SENDER"), symbols("", BOB, "From :\talice @ partner.example"));
        // only the top-level header: a From in the body or in an attached message does not count
        byte[] raw = ("From: x@other.example\r\nSubject: fwd\r\n\r\nFrom: alice@partner.example\r\n")
                .getBytes(StandardCharsets.UTF_8);
        assertTrue(engine.scan(input("", BOB, raw)).findings().isEmpty());
    }

    @Test
    void theNullSenderLeavesOnlyTheFromHeader() {
        lists(blocked("*", "spam.example"));
        assertEquals(List.of("BLOCKED_SENDER"), symbols("", BOB, "From: daemon@spam.example"));
        assertEquals(List.of(), symbols("", BOB, "Subject: no from"));
        assertEquals(List.of(), symbols("", BOB, null));
        assertEquals(List.of(), symbols("", BOB, "From: undisclosed-recipients:;"));
    }

    @Test
    void everyRecipientMustAgreeOtherwiseAPartialFindingNamesTheCount() {
        lists(blocked("example.com", "spam.example"), safe("b@example.org", "spam.example"));
        List<String> three = List.of("a@example.com", "b@example.com", "c@example.net");
        List<Finding> partial = scan("x@spam.example", three, null);
        assertEquals(List.of("BLOCKED_SENDER_PARTIAL"), partial.stream().map(Finding::symbol).toList());
        assertEquals(Category.INFO, partial.get(0).category());
        assertTrue(partial.get(0).detail().startsWith("2 of 3 recipients block the sender: envelope sender"),
                partial.get(0).detail());
        assertEquals(List.of("BLOCKED_SENDER"), symbols("x@spam.example", three.subList(0, 2), null));
        assertEquals(List.of("BLOCKED_SENDER_PARTIAL", "SAFE_SENDER_PARTIAL"),
                symbols("x@spam.example", List.of("a@example.com", "b@example.org"), null));
        List<Finding> all = scan("x@spam.example", List.of("a@example.com", "b@example.com"), null);
        assertTrue(all.get(0).detail().startsWith("all 2 recipients block the sender: "), all.get(0).detail());
    }

    @Test
    void theMostSpecificOwnerWinsAndAtTheSameOwnerBlockedWins() {
        lists(blocked("*", "*.partner.example"), safe("example.com", "partner.example"),
                blocked("bob@example.com", "alice@partner.example"), safe("carol@example.com", "*.partner.example"),
                blocked("carol@example.com", "mallory@partner.example"));
        // domain SAFE beats tenant BLOCKED
        assertEquals(List.of("SAFE_SENDER"), symbols("alice@partner.example", List.of("dave@example.com"), null));
        // tenant BLOCKED where the domain has no entry for that sender
        assertEquals(List.of("BLOCKED_SENDER"), symbols("x@news.partner.example", List.of("dave@example.com"),
                null));
        // address BLOCKED beats domain SAFE
        assertEquals(List.of("BLOCKED_SENDER"), symbols("alice@partner.example", BOB, null));
        // same owner, SAFE for the wildcard and BLOCKED for the address: BLOCKED
        assertEquals(List.of("BLOCKED_SENDER"), symbols("mallory@partner.example", List.of("carol@example.com"),
                null));
        assertEquals(List.of("SAFE_SENDER"), symbols("alice@partner.example", List.of("carol@example.com"), null));
    }

    @Test
    void blockedBeatsSafeAcrossTheCandidatesOfOneOwner() {
        lists(safe("*", "partner.example"), blocked("*", "spam.example"));
        assertEquals(List.of("BLOCKED_SENDER"), symbols("alice@partner.example", BOB, "From: x@spam.example"));
        assertEquals(List.of("BLOCKED_SENDER"), symbols("x@spam.example", BOB, "From: alice@partner.example"));
    }

    @Test
    void anAmbiguousFromHeaderCanBlockButNeverMakesASenderSafe() {
        lists(safe("*", "partner.example"), blocked("*", "spam.example"));
        assertEquals(List.of(), symbols("", BOB, "From: alice@partner.example\nFrom: x@elsewhere.example"));
        assertEquals(List.of(), symbols("", BOB, "From: alice@partner.example, x@elsewhere.example"));
        assertEquals(List.of("BLOCKED_SENDER"), symbols("", BOB, "From: alice@partner.example\nFrom: x@spam.example"));
        // the envelope sender still counts
        assertEquals(List.of("SAFE_SENDER"), symbols("bounce@partner.example", BOB,
                "From: a@partner.example\nFrom: b@partner.example"));
    }

    @Test
    void withoutAnEnvelopeOnlyTheTenantListAppliesToTheFromHeader() {
        lists(blocked("example.com", "spam.example"), safe("*", "partner.example"));
        assertEquals(List.of(), symbols(null, null, "From: x@spam.example"));
        assertEquals(List.of("SAFE_SENDER"), symbols(null, null, "From: x@partner.example"));
        assertEquals("the recipient lists the sender as safe: From header x***@partner.example matched"
                + " partner.example on the tenant list (*)", scan(null, null, "From: x@partner.example").get(0).detail());
    }

    @Test
    void emptyListsReportNothing() {
        lists();
        assertEquals(List.of(), symbols("x@spam.example", BOB, "From: x@spam.example"));
        assertTrue(DefaultPolicy.SNAPSHOT.senderLists().isEmpty());
    }

    @Test
    void aNewSnapshotIsUsedForTheNextMessage() {
        lists(blocked("*", "spam.example"));
        assertEquals(List.of("BLOCKED_SENDER"), symbols("x@spam.example", BOB, null));
        lists(safe("*", "spam.example"));
        assertEquals(List.of("SAFE_SENDER"), symbols("x@spam.example", BOB, null));
    }

    @Test
    void hostileHeadersNeitherThrowNorMatchByAccident() {
        lists(blocked("*", "spam.example"), blocked("*", "*.bulk.example"), safe("*", "partner.example"));
        StringBuilder huge = new StringBuilder("From: ");
        for (int i = 0; i < 20_000; i++) {
            huge.append("\"x").append(i).append("\" <a").append(i).append("@elsewhere.example>, ");
        }
        for (String header : List.of(huge.toString(), "From: \"unterminated <x@spam.example>",
                "From: (unterminated comment x@spam.example", "From: <<<<>>>>@@@", "From: @", "From: a@",
                "From: a@[192.0.2.1]", "From: \u0000\u0001@\u0002", "From: " + "(".repeat(10_000))) {
            List<Finding> findings = scan("", BOB, header);
            assertTrue(findings.stream().noneMatch(f -> f.symbol().equals("SAFE_SENDER")),
                    header.substring(0, Math.min(30, header.length())));
        }
        byte[] binary = new byte[300_000];
        new java.util.Random(5).nextBytes(binary);
        assertTrue(engine.scan(input("", BOB, binary)).findings().isEmpty());
        // invalid UTF-8 is read as Latin-1: the ASCII address still matches
        byte[] latin1 = "From: J\u00fcrgen <j@spam.example>\r\n\r\nx".getBytes(StandardCharsets.ISO_8859_1);
        assertEquals(List.of("BLOCKED_SENDER"), engine.scan(input("", BOB, latin1)).findings().stream()
                .map(Finding::symbol).toList());
        // a label too long for a host name still matches a wildcard (no way around a *.domain block)
        assertEquals(List.of("BLOCKED_SENDER"), symbols("x@" + "a".repeat(80) + "_z.bulk.example", BOB, null));
        assertEquals(List.of("BLOCKED_SENDER"), symbols("x@" + "a".repeat(80) + ".bulk.example", BOB, null));
    }

    @Test
    void aFailingPolicySourceIsTheEnginesFailureSymbolAndQuarantines() {
        SenderListEngine broken = new SenderListEngine(() -> {
            throw new IllegalStateException("no snapshot");
        });
        EngineRunner runner = new EngineRunner(List.of(broken), Duration.ofSeconds(5), 1);
        try {
            EngineResult r = runner.run(input("x@spam.example", BOB, message("From: x@spam.example"))).get(0);
            assertEquals(EngineResult.Status.FAILED, r.status());
            Finding f = r.findings().get(0);
            assertEquals("SENDER_LIST_FAIL", f.symbol());
            assertEquals(Category.FAILURE, f.category());
            List<Finding> findings = new ArrayList<>(r.findings());
            assertEquals(Action.QUARANTINE, new PolicyEvaluator().evaluate(findings, DefaultPolicy.SNAPSHOT).action());
        } finally {
            runner.close();
        }
    }
}
