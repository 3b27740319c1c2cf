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
}
