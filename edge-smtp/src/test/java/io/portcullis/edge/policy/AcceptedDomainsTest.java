package io.portcullis.edge.policy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.portcullis.contracts.events.EventJson;
import io.portcullis.contracts.events.PolicyChanged;
import java.time.Instant;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class AcceptedDomainsTest {

    private StubPolicyService policy;
    private AcceptedDomains domains;

    @BeforeEach
    void start() throws Exception {
        policy = StubPolicyService.start();
        domains = new AcceptedDomains(new PolicySnapshotClient(policy.url()), List.of("Boot.Example"));
    }

    @AfterEach
    void stop() {
        policy.close();
    }

    @Test
    void bootstrapDomainsApplyUntilTheFirstFetch() {
        assertTrue(domains.acceptsDomain("boot.example"));
        assertTrue(domains.acceptsDomain("BOOT.EXAMPLE"));
        assertEquals(-1, domains.version());
    }

    @Test
    void fetchedSnapshotReplacesTheListCaseInsensitively() {
        policy.respond(200, StubPolicyService.snapshot(7, "Example.COM", "example.org"));
        assertTrue(domains.refresh());
        assertEquals(Set.of("example.com", "example.org"), domains.domains());
        assertEquals(7, domains.version());
        assertTrue(domains.acceptsDomain("EXAMPLE.com"));
        assertFalse(domains.acceptsDomain("boot.example"));
    }

    @Test
    void failedFetchKeepsTheLastGoodList() {
        policy.respond(200, StubPolicyService.snapshot(3, "example.com"));
        assertTrue(domains.refresh());
        policy.respond(500, "{}");
        assertFalse(domains.refresh());
        policy.respond(200, "{not json");
        assertFalse(domains.refresh());
        policy.respond(200, "{\"tenant\":\"default\",\"version\":9}");
        assertFalse(domains.refresh());
        policy.close();
        assertFalse(domains.refresh());
        assertEquals(Set.of("example.com"), domains.domains());
        assertEquals(3, domains.version());
    }

    @Test
    void policyChangedRecordTriggersARefresh() {
        policy.respond(200, StubPolicyService.snapshot(11, "new.example"));
        PolicyChangedConsumer consumer = new PolicyChangedConsumer(domains);
        consumer.onPolicyChanged(EventJson.write(new PolicyChanged("default", Instant.now(), 11, "domains")));
        assertTrue(domains.acceptsDomain("new.example"));
        assertEquals(1, policy.requests());
    }

    @Test
    void poisonRecordIsRejectedSoItGoesToTheDeadLetterTopic() {
        PolicyChangedConsumer consumer = new PolicyChangedConsumer(domains);
        assertThrows(IllegalArgumentException.class, () -> consumer.onPolicyChanged(new byte[] {1, 2, 3}));
        assertEquals(0, policy.requests());
    }

    private static String withRule(long version, String rejectText) {
        io.portcullis.contracts.policy.PolicyRule reject = io.portcullis.contracts.policy.PolicyRule.of("no-spammer",
                "no spammer", 1, io.portcullis.contracts.policy.Direction.INBOUND,
                new io.portcullis.contracts.policy.RuleScope(List.of("spammer.test"), null, null, null), List.of(),
                List.of(io.portcullis.contracts.policy.RuleAction.of("reject", rejectText)));
        return new String(io.portcullis.contracts.events.EventJson.write(new io.portcullis.contracts.policy.PolicySnapshot(
                "default", version, List.of("example.com"), 5.0, List.of(), List.of(reject))),
                java.nio.charset.StandardCharsets.UTF_8);
    }

    @Test
    void aRejectRuleFirstInLineRefusesAtRcptAndABadSnapshotKeepsTheRules() {
        assertEquals(java.util.Optional.empty(), domains.rejection("a@spammer.test", "bob@example.com"),
                "nothing before the first snapshot");
        policy.respond(200, withRule(4, "No mail from spammer.test"));
        assertTrue(domains.refresh());
        assertEquals(java.util.Optional.of("No mail from spammer.test"),
                domains.rejection("a@spammer.test", "bob@example.com"));
        assertEquals(java.util.Optional.empty(), domains.rejection("a@friend.test", "bob@example.com"));
        policy.respond(200, withRule(5, "two\r\nlines"));
        assertTrue(domains.refresh(), "the domains still update");
        assertEquals(5, domains.version());
        assertEquals(java.util.Optional.of("No mail from spammer.test"),
                domains.rejection("a@spammer.test", "bob@example.com"), "a rule set that does not compile is not used");
    }

    @Test
    void aPolicyReplyNeverBreaksTheReplyLine() {
        io.portcullis.edge.smtp.protocol.SmtpReply r = io.portcullis.edge.smtp.protocol.SmtpReplies.policyRejection(
                "bad\r\n250 ok\u0000" + "x".repeat(300));
        assertEquals(550, r.code());
        assertEquals(1, r.lines().size());
        assertFalse(r.lines().get(0).contains("\r") || r.lines().get(0).contains("\n") || r.lines().get(0).contains("\u0000"));
        assertTrue(r.lines().get(0).length() <= 200, r.lines().get(0));
        assertEquals("Message refused by policy", io.portcullis.edge.smtp.protocol.SmtpReplies.policyRejection("\r\n")
                .lines().get(0));
    }

    @Test
    void noticeTextsComeFromTheSnapshotThenItsDefaultThenTheBuiltIn() {
        io.portcullis.edge.delivery.PolicyNotificationTemplates texts =
                new io.portcullis.edge.delivery.PolicyNotificationTemplates(domains);
        assertTrue(texts.find("held").body().contains("automatic notice"), "built-in before any snapshot");
        policy.respond(200, new String(io.portcullis.contracts.events.EventJson.write(
                new io.portcullis.contracts.policy.PolicySnapshot("default", 6, List.of("example.com"), 5.0, List.of(),
                        List.of(), List.of(), List.of(
                                new io.portcullis.contracts.policy.NotificationTemplate("held", "Held: {subject}", "H"),
                                new io.portcullis.contracts.policy.NotificationTemplate("default", "Notice", "D")))),
                java.nio.charset.StandardCharsets.UTF_8));
        assertTrue(domains.refresh());
        assertEquals("Held: {subject}", texts.find("held").subject());
        assertEquals("D", texts.find("other").body(), "an unknown id gets the admins' default");
        policy.respond(200, StubPolicyService.snapshot(7, "example.com"));
        assertTrue(domains.refresh());
        assertTrue(texts.find("held").body().contains("automatic notice"), "templates removed: the built-in again");
    }
}
