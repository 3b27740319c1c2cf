package io.portcullis.policy.simulation;

import static io.portcullis.policy.simulation.Recorded.message;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.portcullis.contracts.events.Action;
import io.portcullis.contracts.policy.Direction;
import io.portcullis.contracts.policy.PolicyRule;
import io.portcullis.contracts.policy.PolicySnapshot;
import io.portcullis.contracts.policy.RuleAction;
import io.portcullis.contracts.policy.RuleCondition;
import io.portcullis.contracts.policy.RuleScope;
import io.portcullis.contracts.scan.Category;
import io.portcullis.policy.engine.PolicyValidationException;
import io.portcullis.policy.simulation.SimulationResult.MessageChange;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class SimulatorTest {
    private static final PolicyRule VIRUS = new PolicyRule("virus-quarantine", "Quarantine viruses", 10, "VIRUS",
            Action.QUARANTINE, null, null);
    private static final PolicyRule SPAM_TAG = new PolicyRule("spam-tag", "Tag spam", 40, "SPAM", Action.TAG,
            "[SPAM] ", null);
    private static final PolicySnapshot CURRENT = snapshot(List.of(VIRUS, SPAM_TAG));

    private static PolicySnapshot snapshot(List<PolicyRule> rules) {
        return new PolicySnapshot("default", 7, List.of("example.com"), 5.0, List.of("exe"), rules);
    }

    private static PolicyRule rule(String id, int priority, List<RuleCondition> conditions, RuleAction... actions) {
        return PolicyRule.of(id, id, priority, Direction.BOTH, RuleScope.ANYONE, conditions, List.of(actions));
    }

    private static final PolicyRule QUARANTINE_EXE = rule("quarantine-exe", 25,
            List.of(RuleCondition.of("attachment-extension", "exe")), RuleAction.of("quarantine", null));

    private static final List<RecordedMessage> MAIL = Recorded.parsed(
            message("m-exe", 1).attachment("setup.exe", "application/x-dosexec", 4096),
            message("m-pdf", 2).attachment("invoice.pdf", "application/pdf", 9000),
            message("m-spam", 3).finding("BAYES_SPAM", Category.SPAM, 6.0),
            message("m-virus-exe", 4).attachment("x.EXE", "application/x-dosexec", 100)
                    .finding("AV_TEST", Category.VIRUS, 0).recorded("QUARANTINE", "virus-quarantine"),
            message("m-plain", 5));

    /** Simulates adding (or, with replaced, replacing) a rule; disabled rules are left out. */
    private static SimulationResult simulate(PolicySnapshot current, PolicyRule candidate, PolicyRule replaced,
            List<RecordedMessage> mail, PolicyRule... disabled) {
        List<PolicyRule> rules = new ArrayList<>(current.rules());
        List<PolicyRule> changed = new ArrayList<>();
        if (replaced != null) {
            rules.remove(replaced);
            changed.add(replaced);
        }
        for (PolicyRule d : disabled) {
            rules.remove(d);
            changed.add(d);
        }
        if (candidate != null) {
            rules.add(candidate);
            changed.add(candidate);
        }
        return new Simulator(current, snapshot(rules), changed).run(mail, 100);
    }

    private static List<String> ids(List<MessageChange> changes) {
        return changes.stream().map(MessageChange::messageId).toList();
    }

    @Test
    void quarantiningExeChangesExactlyTheExeMessagesNotAlreadyQuarantined() {
        SimulationResult r = simulate(CURRENT, QUARANTINE_EXE, null, MAIL);
        assertEquals(5, r.messages());
        assertEquals(1, r.changed());
        assertEquals(List.of("m-exe"), ids(r.changes()));
        assertEquals(0, r.uncertain());
        MessageChange c = r.changes().get(0);
        assertEquals("deliver", c.before().get(0).action());
        assertEquals("quarantine", c.after().get(0).action());
        assertEquals(List.of("quarantine-exe"), c.decidedBy());
        assertEquals("DELIVER", c.recorded().action());
        assertEquals(List.of(new SimulationResult.Transition("deliver", "quarantine", 1)), r.byAction());
        assertTrue(r.unevaluable().isEmpty());
        assertTrue(r.approximateRules().isEmpty());
    }

    @Test
    void replacingTheSpamRuleActionChangesTheSpamMessagesOnly() {
        PolicyRule quarantineSpam = new PolicyRule("spam-tag", "Quarantine spam", 40, "SPAM", Action.QUARANTINE,
                null, null);
        SimulationResult r = simulate(CURRENT, quarantineSpam, SPAM_TAG, MAIL);
        assertEquals(List.of("m-spam"), ids(r.changes()));
        MessageChange c = r.changes().get(0);
        assertEquals("deliver", c.before().get(0).action());
        assertEquals("tag-subject", c.before().get(0).others().get(0).type());
        assertEquals("quarantine", c.after().get(0).action());
        assertTrue(c.after().get(0).others().isEmpty());
    }

    @Test
    void sameActionsUnderAnotherRuleIdAreNoChange() {
        PolicyRule sameAsVirus = new PolicyRule("virus-quarantine-2", "Same", 10, "VIRUS", Action.QUARANTINE,
                null, null);
        SimulationResult r = simulate(CURRENT, sameAsVirus, VIRUS, MAIL);
        assertEquals(0, r.changed());
        assertEquals(0, r.uncertain());
    }

    @Test
    void disablingTheVirusRuleLeavesVirusesQuarantinedByTheFailSafe() {
        SimulationResult r = simulate(CURRENT, null, null, MAIL, VIRUS);
        assertEquals(0, r.changed(), "the built-in fail-safe still quarantines");
    }

    @Test
    void headerConditionsAreUnknownAndFlagTheMessagesTheyCouldDecide() {
        PolicyRule byHeader = rule("x-mailer", 30, List.of(new RuleCondition("header", "X-Mailer", null,
                List.of("(?i)massmail"), null, false)), RuleAction.of("delete", null));
        SimulationResult r = simulate(CURRENT, byHeader, null, MAIL);
        assertEquals(0, r.changed(), "nothing is known to change");
        // the virus message is decided by virus-quarantine (priority 10) before the header rule (30): exact
        assertEquals(List.of("m-exe", "m-pdf", "m-spam", "m-plain"), ids(r.uncertainMessages()));
        assertEquals(4, r.uncertain());
        assertEquals(List.of("x-mailer"), r.uncertainMessages().get(0).uncertainRules());
        assertEquals("deliver", r.uncertainMessages().get(0).after().get(0).action(),
                "shown as without the unknown rule, flagged instead of guessed");
        assertEquals(1, r.unevaluable().size());
        SimulationResult.Unevaluable u = r.unevaluable().get(0);
        assertEquals("x-mailer", u.ruleId());
        assertEquals("conditions[0]", u.field());
        assertEquals("header", u.type());
        assertEquals(5, u.messages());
        assertTrue(u.inCandidate());
    }

    @Test
    void aHeaderRuleNarrowedByAKnownConditionFlagsOnlyTheMessagesItCouldMatch() {
        PolicyRule narrowed = rule("spam-header", 30, List.of(RuleCondition.of("class", "SPAM"),
                new RuleCondition("header", "List-Id", null, List.of(), null, false)), RuleAction.of("delete", null));
        SimulationResult r = simulate(CURRENT, narrowed, null, MAIL);
        assertEquals(List.of("m-spam"), ids(r.uncertainMessages()));
        assertEquals(0, r.changed());
    }

    @Test
    void aChangeThatHappensWhateverTheHeaderSaysIsCertain() {
        PolicyRule headerLate = rule("late-header", 90, List.of(new RuleCondition("header", "X-Spam", null,
                List.of(), null, false)), RuleAction.of("delete", null));
        PolicySnapshot current = snapshot(List.of(VIRUS, SPAM_TAG, headerLate));
        SimulationResult r = simulate(current, QUARANTINE_EXE, null, MAIL);
        // m-exe: the current policy delivers or (header present) deletes it; the candidate quarantines it either
        // way (priority 25 before 90): changed whatever the header says
        assertEquals(List.of("m-exe"), ids(r.changes()));
        assertEquals(List.of("late-header"), r.changes().get(0).uncertainRules());
        assertEquals("deliver", r.changes().get(0).before().get(0).action(), "shown without the unknown rule");
        // the others can't be matched by the candidate at all: unchanged whatever the header says
        assertEquals(0, r.uncertain());
        assertEquals(1, r.unevaluable().size());
        assertEquals("late-header", r.unevaluable().get(0).ruleId());
    }

    @Test
    void aChangeThatDependsOnTheHeaderIsUncertain() {
        PolicyRule headerQuarantine = rule("header-quarantine", 90, List.of(new RuleCondition("header", "X-Spam",
                null, List.of(), null, false)), RuleAction.of("quarantine", null));
        PolicySnapshot current = snapshot(List.of(VIRUS, SPAM_TAG, headerQuarantine));
        PolicyRule quarantineExe = rule("quarantine-exe", 25, List.of(RuleCondition.of("attachment-extension",
                "exe")), RuleAction.of("quarantine", null));
        SimulationResult r = simulate(current, quarantineExe, null, MAIL);
        // with the header, m-exe was quarantined already (no change); without it, it was delivered (change)
        assertEquals(0, r.changed());
        assertEquals(List.of("m-exe"), ids(r.uncertainMessages()));
        assertEquals(List.of("header-quarantine"), r.uncertainMessages().get(0).uncertainRules());
    }

    @Test
    void theSameHeaderConditionInBothPoliciesIsOneUnknownNotTwo() {
        // replacing a header rule's action only: with the header the message changes, without it nothing happens
        PolicyRule tagByHeader = rule("by-header", 30, List.of(new RuleCondition("header", "X-Bulk", null,
                List.of(), null, false)), RuleAction.of("tag-subject", "[BULK] "));
        PolicyRule deleteByHeader = rule("by-header", 30, List.of(new RuleCondition("header", "X-Bulk", null,
                List.of(), null, false)), RuleAction.of("delete", null));
        PolicySnapshot current = snapshot(List.of(VIRUS, SPAM_TAG, tagByHeader));
        SimulationResult r = simulate(current, deleteByHeader, tagByHeader, MAIL);
        assertEquals(0, r.changed());
        assertEquals(4, r.uncertain(), "all but the virus decided at priority 10");
        // a rule whose action is the same under another id changes nothing in any combination
        PolicyRule sameByHeader = rule("by-header-2", 30, List.of(new RuleCondition("header", "X-Bulk", null,
                List.of(), null, false)), RuleAction.of("tag-subject", "[BULK] "));
        SimulationResult same = simulate(current, sameByHeader, tagByHeader, MAIL);
        assertEquals(0, same.changed());
        assertEquals(0, same.uncertain(), "equal in every combination: certainly unchanged");
    }

    @Test
    void moreThanTenUnknownConditionsAreNotEnumeratedButUncertain() {
        List<PolicyRule> rules = new ArrayList<>(List.of(VIRUS, SPAM_TAG));
        for (int i = 0; i < Simulator.MAX_ENUMERATED + 1; i++) {
            rules.add(rule("h" + i, 50 + i, List.of(new RuleCondition("header", "X-H" + i, null, List.of(), null,
                    false)), RuleAction.of("delete", null)));
        }
        SimulationResult r = simulate(snapshot(rules), QUARANTINE_EXE, null, MAIL);
        assertEquals(List.of("m-exe"), ids(r.uncertainMessages()), "2^11 combinations are not tried");
        assertEquals(Simulator.MAX_ENUMERATED + 1, r.uncertainMessages().get(0).uncertainRules().size());
        assertEquals(0, r.changed());
    }

    @Test
    void messagesRecordedWithoutSizeAndAttachmentsAreUncertainForAttachmentRules() {
        List<RecordedMessage> mail = Recorded.parsed(message("m-old", 1).withoutDetails(),
                message("m-old-virus", 2).withoutDetails().finding("AV_TEST", Category.VIRUS, 0),
                message("m-new", 3).attachment("a.exe", "application/x-dosexec", 10));
        SimulationResult r = simulate(CURRENT, QUARANTINE_EXE, null, mail);
        assertEquals(List.of("m-new"), ids(r.changes()));
        assertEquals(List.of("m-old"), ids(r.uncertainMessages()), "the old virus is decided by priority 10");
        assertEquals(2, r.withoutDetails());
        assertEquals("attachment-extension", r.unevaluable().get(0).type());
        assertEquals(2, r.unevaluable().get(0).messages());
    }

    @Test
    void recipientScopedRuleSplitsTheMessage() {
        PolicyRule bobOnly = PolicyRule.of("bob-quarantine-pdf", "Bob: no PDFs", 20, Direction.BOTH,
                new RuleScope(List.of(), List.of("bob@example.com"), List.of(), List.of()),
                List.of(RuleCondition.of("attachment-type", "application/pdf")), List.of(RuleAction.of("quarantine",
                        "pdf")));
        List<RecordedMessage> mail = Recorded.parsed(message("m-two", 1).to("bob@example.com", "carol@example.com")
                .attachment("i.pdf", "application/pdf", 10));
        SimulationResult r = simulate(CURRENT, bobOnly, null, mail);
        assertEquals(1, r.changed());
        assertEquals(new SimulationResult.Transition("deliver", "split", 1), r.byAction().get(0));
        MessageChange c = r.changes().get(0);
        assertEquals(2, c.after().size());
        assertEquals("pdf", c.after().get(0).main().value());
        assertEquals(List.of("bob@example.com"), c.after().get(0).recipients());
    }

    @Test
    void groupScopesAreReportedAsApproximate() {
        PolicyRule group = PolicyRule.of("finance", "Finance", 20, Direction.BOTH,
                new RuleScope(List.of("group:Finance"), List.of(), List.of(), List.of()), List.of(),
                List.of(RuleAction.of("tag-subject", "[F] ")));
        SimulationResult r = simulate(CURRENT, group, null, MAIL);
        assertEquals(1, r.approximateRules().size());
        assertEquals("finance", r.approximateRules().get(0).ruleId());
        assertEquals(0, r.changed(), "no one is a group member without a directory");
    }

    @Test
    void listsAreBoundedButTotalsCountAll() {
        PolicyRule deleteAll = rule("delete-all", 1, List.of(), RuleAction.of("delete", null));
        List<RecordedMessage> mail = new ArrayList<>();
        for (int i = 0; i < 30; i++) {
            mail.add(message("m" + i, i).parsed());
        }
        List<PolicyRule> rules = new ArrayList<>(CURRENT.rules());
        rules.add(deleteAll);
        SimulationResult r = new Simulator(CURRENT, snapshot(rules), List.of(deleteAll)).run(mail, 10);
        assertEquals(30, r.changed());
        assertEquals(10, r.changes().size());
        assertTrue(r.changesTruncated());
        assertEquals(new SimulationResult.Transition("deliver", "delete", 30), r.byAction().get(0));
    }

    @Test
    void anInvalidPolicyIsRefusedNamingTheField() {
        PolicyRule bad = rule("bad", 1, List.of(RuleCondition.compare("message-size", "~", 5)),
                RuleAction.of("delete", null));
        PolicyValidationException e = assertThrows(PolicyValidationException.class,
                () -> new Simulator(CURRENT, snapshot(List.of(VIRUS, bad)), List.of(bad)));
        assertEquals("rules[1].conditions[0].operator", e.field());
    }

    @Test
    void timeOfDayIsEvaluatedAtTheTimeTheMessageWasReceived() {
        PolicyRule night = rule("night", 20, List.of(RuleCondition.of("time-of-day", "22:00-06:00")),
                RuleAction.of("defer", "Mon-Fri 08:00-18:00"));
        List<RecordedMessage> mail = Recorded.parsed(message("m-day", 0), message("m-night", 14 * 60));
        SimulationResult r = simulate(CURRENT, night, null, mail);
        assertEquals(List.of("m-night"), ids(r.changes()));
        assertEquals("defer", r.changes().get(0).after().get(0).action());
    }
}
