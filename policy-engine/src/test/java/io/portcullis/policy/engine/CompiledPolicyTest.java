package io.portcullis.policy.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.portcullis.contracts.events.Action;
import io.portcullis.contracts.events.HeaderField;
import io.portcullis.contracts.policy.Direction;
import io.portcullis.contracts.policy.PolicyRule;
import io.portcullis.contracts.policy.PolicySnapshot;
import io.portcullis.contracts.policy.RuleAction;
import io.portcullis.contracts.policy.RuleCondition;
import io.portcullis.contracts.policy.RuleScope;
import io.portcullis.contracts.scan.Category;
import io.portcullis.contracts.scan.Finding;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

class CompiledPolicyTest {
    private static final Instant WED_NOON = Instant.parse("2026-11-25T12:00:00Z");
    private static final Finding VIRUS = new Finding("AV_TEST", Category.VIRUS, 0, "raw");
    private static final Finding SPAM6 = new Finding("BAYES_99", Category.SPAM, 6, null);
    private static final Finding FAIL = new Finding("AV_FAIL", Category.FAILURE, 0, "timeout");

    private static PolicySnapshot snapshot(PolicyRule... rules) {
        return new PolicySnapshot("t1", 7, List.of("example.com"), 5.0, List.of(), List.of(rules));
    }

    private static PolicyInput mail(List<String> rcpts, List<Finding> findings) {
        return new PolicyInput("sender@outside.test", rcpts, 2000, findings, Map.of(), List.of(), WED_NOON);
    }

    private static PolicyInput mail(List<Finding> findings) {
        return mail(List.of("alice@example.com"), findings);
    }

    private static PolicyRule rule(String id, int priority, List<RuleCondition> when, RuleAction... actions) {
        return PolicyRule.of(id, id, priority, null, null, when, List.of(actions));
    }

    private static Decision only(PolicyOutcome o) {
        assertEquals(1, o.groups().size(), "one group");
        return o.groups().get(0).decision();
    }

    @Test
    void shortFormRulesDecideLikeBefore() {
        CompiledPolicy p = CompiledPolicy.compile(snapshot(
                new PolicyRule("virus", "virus", 10, "VIRUS", Action.QUARANTINE, null, null),
                new PolicyRule("fail", "fail", 20, "SYMBOL:AV_FAIL", Action.DELIVER, null, null),
                new PolicyRule("spam", "spam", 40, "SPAM", Action.TAG, "[SPAM] ",
                        List.of(new HeaderField("X-Spam", "yes")))));
        assertEquals("quarantine", only(p.evaluate(mail(List.of(VIRUS, SPAM6)), Directory.NONE)).action());
        assertEquals("fail", only(p.evaluate(mail(List.of(FAIL)), Directory.NONE)).main().ruleId(),
                "an explicit rule beats the fail-safe");
        Decision spam = only(p.evaluate(mail(List.of(SPAM6)), Directory.NONE));
        assertEquals("deliver", spam.action());
        assertEquals(List.of("tag-subject", "add-header"), spam.others().stream().map(a -> a.action().type()).toList());
        assertEquals("[SPAM] ", spam.others().get(0).action().value());
        Decision clean = only(p.evaluate(mail(List.of()), Directory.NONE));
        assertEquals("deliver", clean.action());
        assertNull(clean.main().ruleId());
    }

    @Test
    void failSafeQuarantinesVirusesAndFailuresNoRuleDecides() {
        CompiledPolicy p = CompiledPolicy.compile(snapshot());
        assertEquals(CompiledPolicy.FAIL_SAFE_RULE, only(p.evaluate(mail(List.of(FAIL)), Directory.NONE)).main().ruleId());
        assertEquals("quarantine", only(p.evaluate(mail(List.of(VIRUS)), Directory.NONE)).action());
    }

    @Test
    void rulesWithoutMainActionAddAndLetEvaluationGoOn() {
        CompiledPolicy p = CompiledPolicy.compile(snapshot(
                rule("bcc-all", 5, List.of(), new RuleAction("bcc", null, List.of("archive@example.com"), null)),
                rule("tag-big", 6, List.of(RuleCondition.compare("message-size", ">", 1000)),
                        RuleAction.of("tag-subject", "[BIG] ")),
                rule("spam", 40, List.of(RuleCondition.of("class", "SPAM")), RuleAction.of("quarantine", "spam")),
                rule("never", 50, List.of(), new RuleAction("bcc", null, List.of("x@example.com"), null))));
        Decision d = only(p.evaluate(mail(List.of(SPAM6)), Directory.NONE));
        assertEquals("quarantine", d.action());
        assertEquals("spam", d.main().action().value());
        assertEquals(List.of("bcc-all", "tag-big", "spam"), d.matched());
        assertEquals(List.of("bcc", "tag-subject"), d.others().stream().map(a -> a.action().type()).toList());
    }

    @Test
    void scopesMatchAddressesDomainsSubdomainsGroupsAndExceptions() {
        Directory dir = address -> address.equals("bob@example.com")
                ? new Directory.Membership(Set.of("robert@example.com"), Set.of("sales", "cn=sales,ou=groups,dc=example,dc=com"))
                : Directory.Membership.NONE;
        CompiledPolicy p = CompiledPolicy.compile(snapshot(
                PolicyRule.of("sales", "sales", 1, Direction.INBOUND,
                        new RuleScope(List.of(), List.of("group:Sales"), List.of("*.partner.test"), List.of()),
                        List.of(), List.of(RuleAction.of("tag-subject", "[S] "))),
                PolicyRule.of("robert", "robert", 2, Direction.BOTH,
                        new RuleScope(List.of(), List.of("robert@example.com"), List.of(), List.of()),
                        List.of(), List.of(RuleAction.of("tag-subject", "[R] "))),
                PolicyRule.of("domain", "domain", 3, Direction.BOTH,
                        new RuleScope(List.of("outside.test"), List.of(), List.of(), List.of("carol@example.com")),
                        List.of(), List.of(RuleAction.of("tag-subject", "[D] ")))));
        PolicyOutcome o = p.evaluate(mail(List.of("bob@example.com", "carol@example.com", "dave@example.com"),
                List.of()), dir);
        assertTrue(o.split());
        assertEquals(3, o.groups().size());
        assertEquals(List.of("[S] ", "[R] ", "[D] "), o.groups().get(0).decision().others().stream()
                .map(a -> a.action().value()).toList(), "group by DN-insensitive name, alias, sender domain");
        assertEquals(List.of("carol@example.com"), o.groups().get(1).recipients());
        assertEquals(List.of(), o.groups().get(1).decision().others(), "carol is excepted");
        assertEquals(List.of("[D] "), o.groups().get(2).decision().others().stream().map(a -> a.action().value()).toList());

        PolicyInput fromPartner = new PolicyInput("x@mail.partner.test", List.of("bob@example.com"), 10, List.of(),
                Map.of(), List.of(), WED_NOON);
        assertEquals(List.of("robert"), only(p.evaluate(fromPartner, dir)).matched(), "sender subdomain excepted");
    }

    @Test
    void directionIsPerRecipientAndEqualDecisionsStayTogether() {
        CompiledPolicy p = CompiledPolicy.compile(snapshot(
                PolicyRule.of("out", "out", 1, Direction.OUTBOUND, null, List.of(),
                        List.of(new RuleAction("bcc", null, List.of("compliance@example.com"), null)))));
        PolicyOutcome o = p.evaluate(mail(List.of("a@example.com", "b@example.com", "x@elsewhere.test"), List.of()),
                Directory.NONE);
        assertEquals(2, o.groups().size());
        assertEquals(List.of("a@example.com", "b@example.com"), o.groups().get(0).recipients());
        assertEquals(List.of("out"), o.groups().get(1).decision().matched());
    }

    @Test
    void groupScopeWithTheDirectoryDownIsAnErrorNotANonMember() {
        Directory down = address -> {
            throw new Directory.DirectoryUnavailableException("ldap timeout", null);
        };
        CompiledPolicy p = CompiledPolicy.compile(snapshot(PolicyRule.of("g", "g", 1, null,
                new RuleScope(List.of(), List.of("group:legal"), List.of(), List.of()), List.of(),
                List.of(RuleAction.of("quarantine", null)))));
        assertThrows(Directory.DirectoryUnavailableException.class, () -> p.evaluate(mail(List.of()), down));
        CompiledPolicy noGroups = CompiledPolicy.compile(snapshot(rule("x", 1, List.of(), RuleAction.of("deliver", null))));
        assertEquals("x", only(noGroups.evaluate(mail(List.of()), down)).main().ruleId(),
                "no scope: the directory is not asked");
    }

    @Test
    void aRejectRuleFirstInLineIsAnsweredAtRcpt() {
        PolicyRule reject = PolicyRule.of("no-spammer", "no-spammer", 1, Direction.INBOUND,
                new RuleScope(List.of("*.spammer.test"), null, null, null),
                List.of(RuleCondition.of("time-of-day", "Mon-Fri")), List.of(RuleAction.of("reject", "Go away")));
        CompiledPolicy p = CompiledPolicy.compile(snapshot(reject,
                new PolicyRule("virus", "virus", 10, "VIRUS", Action.QUARANTINE, null, null)));
        assertEquals(java.util.Optional.of("Go away"), p.rejectAtRcpt("a@mx.spammer.test", "alice@example.com", WED_NOON));
        assertTrue(p.rejectAtRcpt("a@friend.test", "alice@example.com", WED_NOON).isEmpty());
        assertTrue(p.rejectAtRcpt("a@mx.spammer.test", "bob@elsewhere.test", WED_NOON).isEmpty(), "outbound");
        assertTrue(p.rejectAtRcpt("a@mx.spammer.test", "alice@example.com", Instant.parse("2026-11-28T12:00:00Z"))
                .isEmpty(), "Saturday: outside the rule's window");
    }

    @Test
    void noRejectAtRcptWhenAnEarlierRuleCouldDecideOtherwise() {
        PolicyRule reject = PolicyRule.of("r", "r", 50, null, null, List.of(), List.of(RuleAction.of("reject", null)));
        PolicyRule tagFirst = PolicyRule.of("t", "t", 1, null, null, List.of(), List.of(RuleAction.of("tag-subject", "x ")));
        assertEquals(java.util.Optional.of("Message refused by policy"), CompiledPolicy.compile(snapshot(tagFirst, reject))
                .rejectAtRcpt("s@x.test", "alice@example.com", WED_NOON), "rules without a main action don't stop it");
        PolicyRule contentFirst = new PolicyRule("v", "v", 10, "VIRUS", Action.QUARANTINE, null, null);
        assertTrue(CompiledPolicy.compile(snapshot(contentFirst, reject))
                .rejectAtRcpt("s@x.test", "alice@example.com", WED_NOON).isEmpty(), "the scan could decide first");
        PolicyRule scopedDeliver = PolicyRule.of("d", "d", 10, null,
                new RuleScope(null, List.of("ceo@example.com"), null, null), List.of(), List.of(RuleAction.of("deliver", null)));
        assertTrue(CompiledPolicy.compile(snapshot(scopedDeliver, reject))
                .rejectAtRcpt("s@x.test", "alice@example.com", WED_NOON).isEmpty(), "alice might be an alias of the CEO");
        PolicyRule withExcept = PolicyRule.of("e", "e", 1, null,
                new RuleScope(null, null, null, List.of("vip@example.com")), List.of(), List.of(RuleAction.of("reject", null)));
        assertTrue(CompiledPolicy.compile(snapshot(withExcept))
                .rejectAtRcpt("s@x.test", "alice@example.com", WED_NOON).isEmpty(), "an alias might be excepted");
        PolicyRule groups = PolicyRule.of("g", "g", 1, null,
                new RuleScope(List.of("group:partners"), null, null, null), List.of(), List.of(RuleAction.of("reject", null)));
        assertTrue(CompiledPolicy.compile(snapshot(groups))
                .rejectAtRcpt("s@x.test", "alice@example.com", WED_NOON).isEmpty(), "groups need the directory");
    }

    @Test
    void expiredRulesNoLongerApply() {
        PolicyRule outbreak = new PolicyRule("ob", "ob", 1, null, null, null, null, null, null, List.of(),
                List.of(RuleAction.of("quarantine", "outbreak")), WED_NOON);
        CompiledPolicy p = CompiledPolicy.compile(snapshot(outbreak));
        assertEquals("deliver", only(p.evaluate(mail(List.of()), Directory.NONE)).action());
        PolicyInput earlier = new PolicyInput("s@x.test", List.of("alice@example.com"), 1, List.of(), Map.of(),
                List.of(), WED_NOON.minusSeconds(1));
        assertEquals("quarantine", only(p.evaluate(earlier, Directory.NONE)).action());
    }

    @Test
    void stripAttachmentsActsOnTheAttachmentsTheConditionsSelected() {
        List<AttachmentInfo> atts = List.of(new AttachmentInfo("part/2", "big.zip", "application/zip", 20_000_000),
                new AttachmentInfo("part/3", "small.zip", "application/zip", 1000),
                new AttachmentInfo("part/4", "notes.txt", "text/plain", 20_000_000));
        PolicyInput in = new PolicyInput("s@x.test", List.of("alice@example.com"), 40_000_000, List.of(), Map.of(),
                atts, WED_NOON);
        CompiledPolicy both = CompiledPolicy.compile(snapshot(rule("r", 1, List.of(
                RuleCondition.of("attachment-extension", "zip"), RuleCondition.compare("attachment-size", ">", 1e7)),
                RuleAction.of("strip-attachments", "Removed: large archive"))));
        assertEquals(List.of("part/2"), only(both.evaluate(in, Directory.NONE)).others().get(0).attachments());
        CompiledPolicy none = CompiledPolicy.compile(snapshot(rule("r", 1, List.of(
                RuleCondition.compare("message-size", ">", 1e7)), RuleAction.of("strip-attachments", null))));
        assertEquals(List.of("part/2", "part/3", "part/4"),
                only(none.evaluate(in, Directory.NONE)).others().get(0).attachments());
        CompiledPolicy disjoint = CompiledPolicy.compile(snapshot(rule("r", 1, List.of(
                RuleCondition.of("attachment-name", "small.*"), RuleCondition.of("attachment-type", "text/*")),
                RuleAction.of("strip-attachments", null))));
        assertEquals(List.of("part/3", "part/4"), only(disjoint.evaluate(in, Directory.NONE)).others().get(0)
                .attachments(), "no single attachment fits both: those that fit either");
    }

    @Test
    void everyConditionTypeHoldsAndFailsAndNegates() {
        List<AttachmentInfo> atts = List.of(new AttachmentInfo("part/2", "Invoice-77.PDF", "application/pdf", 5000));
        PolicyInput in = new PolicyInput("s@x.test", List.of("a@example.com", "b@example.com"), 9000,
                List.of(SPAM6, new Finding("AUTH_DMARC_FAIL", Category.SPAM, 0, null)),
                Map.of("x-mailer", List.of("BulkBlaster 3.0"), "subject", List.of("hello")), atts, WED_NOON);
        Object[][] cases = {
            {RuleCondition.of("class", "spam"), true}, {RuleCondition.of("class", "VIRUS", "GRAYWARE"), false},
            {RuleCondition.of("symbol", "AUTH_DMARC_*"), true}, {RuleCondition.of("symbol", "AUTH_SPF_FAIL"), false},
            {RuleCondition.compare("spam-score", ">=", 6), true}, {RuleCondition.compare("spam-score", "<", 6), false},
            {RuleCondition.compare("message-size", ">", 8999), true}, {RuleCondition.compare("message-size", "<=", 100), false},
            {RuleCondition.compare("recipient-count", "==", 2), true}, {RuleCondition.compare("recipient-count", "!=", 2), false},
            {RuleCondition.compare("attachment-count", ">=", 1), true}, {RuleCondition.compare("attachment-count", ">", 1), false},
            {RuleCondition.of("attachment-name", "invoice-??.pdf"), true}, {RuleCondition.of("attachment-name", "*.exe"), false},
            {RuleCondition.of("attachment-extension", ".pdf"), true}, {RuleCondition.of("attachment-extension", "doc"), false},
            {RuleCondition.of("attachment-type", "application/*"), true}, {RuleCondition.of("attachment-type", "image/*"), false},
            {RuleCondition.compare("attachment-size", ">", 4096), true}, {RuleCondition.compare("attachment-size", ">", 5000), false},
            {new RuleCondition("header", "X-Mailer", null, List.of("(?i)bulk"), null, false), true},
            {new RuleCondition("header", "X-Mailer", null, List.of("^Outlook"), null, false), false},
            {new RuleCondition("header", "Subject", null, List.of(), null, false), true},
            {new RuleCondition("header", "List-Id", null, List.of(), null, false), false},
            {new RuleCondition("time-of-day", null, null, List.of("Mon-Fri 08:00-18:00"), null, false), true},
            {new RuleCondition("time-of-day", "Asia/Tokyo", null, List.of("Mon-Fri 08:00-18:00"), null, false), false},
        };
        for (Object[] c : cases) {
            RuleCondition cond = (RuleCondition) c[0];
            boolean expected = (boolean) c[1];
            CompiledPolicy p = CompiledPolicy.compile(snapshot(rule("r", 1, List.of(cond), RuleAction.of("delete", null))));
            assertEquals(expected, "delete".equals(only(p.evaluate(in, Directory.NONE)).action()), cond.toString());
            RuleCondition negated = new RuleCondition(cond.type(), cond.field(), cond.operator(), cond.values(),
                    cond.threshold(), true);
            CompiledPolicy n = CompiledPolicy.compile(snapshot(rule("r", 1, List.of(negated), RuleAction.of("delete", null))));
            assertEquals(!expected, "delete".equals(only(n.evaluate(in, Directory.NONE)).action()), "not " + cond);
        }
    }

    @Test
    void headerPatternsCannotBacktrackAndValuesAreBounded() {
        String hostile = "a".repeat(200_000);
        PolicyInput in = new PolicyInput("s@x.test", List.of("a@example.com"), 1, List.of(),
                Map.of("x-test", List.of(hostile)), List.of(), WED_NOON);
        CompiledPolicy p = CompiledPolicy.compile(snapshot(rule("r", 1, List.of(
                new RuleCondition("header", "X-Test", null, List.of("(a*)*b", "(a|aa)+$x"), null, false)),
                RuleAction.of("delete", null))));
        assertEquals("deliver", only(p.evaluate(in, Directory.NONE)).action());
    }

    private static String error(PolicyRule r) {
        PolicyValidationException e = assertThrows(PolicyValidationException.class,
                () -> CompiledPolicy.compile(snapshot(rule("ok", 1, List.of(), RuleAction.of("deliver", null)), r)));
        return e.field();
    }

    @Test
    void invalidRulesAreRefusedNamingTheField() {
        assertEquals("rules[1].conditions[0].type", error(rule("x", 2, List.of(RuleCondition.of("colour", "red")),
                RuleAction.of("deliver", null))));
        assertEquals("rules[1].conditions[0].operator", error(rule("x", 2,
                List.of(RuleCondition.compare("message-size", "~", 5)), RuleAction.of("deliver", null))));
        assertEquals("rules[1].conditions[0].threshold", error(rule("x", 2,
                List.of(new RuleCondition("class", null, null, List.of("SPAM"), 3.0, false)), RuleAction.of("deliver", null))));
        assertEquals("rules[1].conditions[0].values[1]", error(rule("x", 2,
                List.of(RuleCondition.of("class", "SPAM", "SPAMMY")), RuleAction.of("deliver", null))));
        assertEquals("rules[1].conditions[0].values[0]", error(rule("x", 2,
                List.of(new RuleCondition("header", "Subject", null, List.of("(unclosed"), null, false)),
                RuleAction.of("deliver", null))));
        assertEquals("rules[1].conditions[0].field", error(rule("x", 2,
                List.of(new RuleCondition("header", "Bad Name:", null, List.of(), null, false)), RuleAction.of("deliver", null))));
        assertEquals("rules[1].conditions[0].values[0]", error(rule("x", 2,
                List.of(RuleCondition.of("time-of-day", "Someday 25:00-26:00")), RuleAction.of("deliver", null))));
        assertEquals("rules[1].actions", error(rule("x", 2, List.of())));
        assertEquals("rules[1].actions[1].type", error(rule("x", 2, List.of(), RuleAction.of("deliver", null),
                RuleAction.of("delete", null))));
        assertEquals("rules[1].actions[0].type", error(rule("x", 2, List.of(), RuleAction.of("explode", null))));
        assertEquals("rules[1].actions[0].value", error(rule("x", 2, List.of(), RuleAction.of("quarantine", "Bad Area!"))));
        assertEquals("rules[1].actions[0].addresses", error(rule("x", 2, List.of(), RuleAction.of("redirect", null))));
        assertEquals("rules[1].actions[0].addresses[0]", error(rule("x", 2, List.of(),
                new RuleAction("bcc", null, List.of("not an address"), null))));
        assertEquals("rules[1].actions[0].value", error(rule("x", 2, List.of(), RuleAction.of("defer", "whenever"))));
        assertEquals("rules[1].actions[0].value", error(rule("x", 2, List.of(), RuleAction.of("tag-subject", "a\r\nBcc: x"))));
        assertEquals("rules[1].actions[0].headers[0].name", error(rule("x", 2, List.of(),
                new RuleAction("add-header", null, null, List.of(new HeaderField("X Bad", "v"))))));
        assertEquals("rules[1].actions[0].headers[0].value", error(rule("x", 2, List.of(),
                new RuleAction("add-header", null, null, List.of(new HeaderField("X-Ok", "v\r\nBcc: evil@x.test"))))));
        assertEquals("rules[1].scope.recipients[0]", error(PolicyRule.of("x", "x", 2, null,
                new RuleScope(null, List.of("bad address@"), null, null), List.of(), List.of(RuleAction.of("deliver", null)))));
        assertEquals("rules[1].scope.senders[0]", error(PolicyRule.of("x", "x", 2, null,
                new RuleScope(List.of("group:"), null, null, null), List.of(), List.of(RuleAction.of("deliver", null)))));
        assertEquals("rules[1].name", error(PolicyRule.of("x", " ", 2, null, null, List.of(),
                List.of(RuleAction.of("deliver", null)))));
    }

    @Test
    void shortFormRulesWithABlankOrUnknownMatchAreRefusedNotTakenAsAlways() {
        assertEquals("rules[1].conditions[0].values[0]", error(new PolicyRule("x", "x", 2, " ", Action.DELETE, null,
                null)));
        assertEquals("rules[1].conditions[0].values[0]", error(new PolicyRule("x", "x", 2, "SYMBOL:", Action.DELETE,
                null, null)));
        assertEquals("rules[1].conditions[0].values[0]", error(new PolicyRule("x", "x", 2, "PHISHING",
                Action.DELETE, null, null)));
        assertEquals("rules[1].actions", error(new PolicyRule("x", "x", 2, "VIRUS", null, null, null)));
    }

    @Test
    void oversizedRulesAreRefused() {
        List<String> many = java.util.Collections.nCopies(1001, "x.test");
        assertEquals("rules[1].scope.senders", error(PolicyRule.of("x", "x", 2, null,
                new RuleScope(many, null, null, null), List.of(), List.of(RuleAction.of("deliver", null)))));
        assertEquals("rules[1].conditions[0].values", error(rule("x", 2, List.of(
                new RuleCondition("attachment-extension", null, null, java.util.Collections.nCopies(1001, "exe"), null,
                        false)), RuleAction.of("deliver", null))));
        assertEquals("rules[1].conditions[0].values[0]", error(rule("x", 2, List.of(new RuleCondition("header",
                "Subject", null, List.of("x".repeat(1001)), null, false)), RuleAction.of("deliver", null))));
        assertEquals("rules[1].conditions[0].values[0]", error(rule("x", 2, List.of(new RuleCondition("header",
                "Subject", null, List.of("((a{1,1000}){1,1000}){1,1000}"), null, false)), RuleAction.of("deliver", null))),
                "refused before RE2/J builds a program that would not fit in the heap");
    }
}
