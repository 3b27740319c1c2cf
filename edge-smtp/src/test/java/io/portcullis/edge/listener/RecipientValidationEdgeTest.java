package io.portcullis.edge.listener;

import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.containsString;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.portcullis.contracts.events.EventJson;
import io.portcullis.contracts.events.RecipientRejected;
import io.portcullis.contracts.events.Topics;
import io.portcullis.edge.policy.AcceptedDomains;
import io.portcullis.edge.smtp.SmtpTestClient;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import jakarta.inject.Inject;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The wired edge with {@code PORTCULLIS_RECIPIENT_VALIDATION=directory} over real SMTP: a stub policy-service answers
 * the directory look-ups (200 known, 404 unknown, or an outage the test sets).
 */
@QuarkusTest
@TestProfile(RecipientValidationEdgeTest.DirectoryValidation.class)
@QuarkusTestResource(value = PolicyStubResource.class, restrictToAnnotatedClass = true)
class RecipientValidationEdgeTest {

    public static class DirectoryValidation extends InMemorySpoolProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("portcullis.recipient-validation.mode", "directory",
                    "portcullis.recipient-validation.timeout", "700ms",
                    "portcullis.recipient-validation.domains", "Quarkus.Example,other-directory.example");
        }
    }

    @Inject
    EdgeSmtpListener listener;

    @Inject
    AcceptedDomains acceptedDomains;

    @BeforeEach
    void directory() {
        await().atMost(Duration.ofSeconds(10)).until(() -> acceptedDomains.acceptsDomain("quarkus.example"));
        PolicyStubResource.policy.directory("alice.smith@quarkus.example", "alice@quarkus.example",
                "carol@quarkus.example", "dave@quarkus.example");
        PolicyStubResource.policy.directoryStatus(0);
        PolicyStubResource.policy.directoryDelay(Duration.ZERO);
    }

    @AfterEach
    void healthy() {
        PolicyStubResource.policy.directoryStatus(0);
        PolicyStubResource.policy.directoryDelay(Duration.ZERO);
    }

    private static List<RecipientRejected> published() {
        return CapturingSmtpEventsProducer.PRODUCER.history().stream()
                .filter(r -> r.topic().equals(Topics.SMTP_EVENTS))
                .map(r -> EventJson.read(r.value(), RecipientRejected.class)).toList();
    }

    private SmtpTestClient transaction() throws Exception {
        SmtpTestClient c = new SmtpTestClient(listener.port());
        assertEquals(220, c.reply().code());
        c.command("EHLO client.test");
        assertEquals(250, c.command("MAIL FROM:<a@remote.test>").code());
        return c;
    }

    @Test
    void unknownRecipientGets550AndIsPublishedForHarvestDetection() throws Exception {
        int before = published().size();
        try (SmtpTestClient c = transaction()) {
            assertEquals(List.of("550 5.1.1 <Nobody@quarkus.example>: recipient unknown"),
                    c.command("RCPT TO:<Nobody@quarkus.example>").lines());
        }
        await().atMost(Duration.ofSeconds(5)).until(() -> published().size() == before + 1);
        RecipientRejected event = published().get(before);
        assertEquals(RecipientRejected.Reason.UNKNOWN_USER, event.reason());
        assertEquals("quarkus.example", event.recipientDomain());
        assertEquals("127.0.0.1", event.clientIp());
        assertEquals(550, event.reply());
        given().when().get("/q/metrics").then().statusCode(200)
                .body(containsString("portcullis_smtp_events_published_total{reason=\"unknown_user\"}"))
                .body(containsString("portcullis_recipient_validation_total{outcome=\"unknown\"}"));
    }

    @Test
    void aliasIsAcceptedAndTheMessageIsQueued() throws Exception {
        try (SmtpTestClient c = transaction()) {
            assertEquals(250, c.command("RCPT TO:<Alice@quarkus.example>").code());
            assertEquals(354, c.command("DATA").code());
            c.send("Subject: hi\r\n\r\nhello\r\n.\r\n");
            assertEquals(250, c.reply().code());
        }
    }

    @Test
    void answersAreCachedAtTheEdge() throws Exception {
        int before = PolicyStubResource.policy.directoryRequests();
        for (int i = 0; i < 3; i++) {
            try (SmtpTestClient c = transaction()) {
                assertEquals(250, c.command("RCPT TO:<dave@quarkus.example>").code());
                assertEquals(550, c.command("RCPT TO:<ghost@quarkus.example>").code());
            }
        }
        assertEquals(before + 2, PolicyStubResource.policy.directoryRequests());
    }

    @Test
    void directoryUnavailableGets451AndIsNeitherPublishedNorRemembered() throws Exception {
        PolicyStubResource.policy.directoryStatus(503);
        int before = published().size();
        try (SmtpTestClient c = transaction()) {
            SmtpTestClient.Reply reply = c.command("RCPT TO:<carol@quarkus.example>");
            assertEquals(451, reply.code());
            assertTrue(reply.lines().get(0).startsWith("451 4.4.3 "), reply.lines().toString());
            assertEquals(451, c.command("RCPT TO:<unknown-during-outage@quarkus.example>").code(),
                    "never 550 during an outage");
        }
        PolicyStubResource.policy.directoryStatus(0);
        try (SmtpTestClient c = transaction()) {
            assertEquals(250, c.command("RCPT TO:<carol@quarkus.example>").code(), "the outage was not cached");
        }
        Thread.sleep(200);
        assertEquals(before, published().size(), "451 is not a refusal of the recipient");
    }

    @Test
    void unresponsivePolicyServiceGets451WithinTheTimeout() throws Exception {
        PolicyStubResource.policy.directoryDelay(Duration.ofSeconds(3));
        try (SmtpTestClient c = transaction()) {
            long start = System.nanoTime();
            assertEquals(451, c.command("RCPT TO:<slow@quarkus.example>").code());
            assertTrue(System.nanoTime() - start < Duration.ofSeconds(2).toNanos());
        }
    }

    @Test
    void relayControlStillComesFirst() throws Exception {
        int before = PolicyStubResource.policy.directoryRequests();
        try (SmtpTestClient c = transaction()) {
            assertEquals(List.of("550 5.7.1 Relaying denied"), c.command("RCPT TO:<x@not-ours.example>").lines());
        }
        assertEquals(before, PolicyStubResource.policy.directoryRequests(), "no look-up for a foreign domain");
    }

    @Test
    void anAcceptedDomainOutsideTheValidatedOnesIsAcceptedWithoutALookup() throws Exception {
        await().atMost(Duration.ofSeconds(10)).until(() -> acceptedDomains.acceptsDomain("unvalidated.example"));
        int before = PolicyStubResource.policy.directoryRequests();
        try (SmtpTestClient c = transaction()) {
            assertEquals(250, c.command("RCPT TO:<made-up-" + System.nanoTime() + "@unvalidated.example>").code());
            assertEquals(550, c.command("RCPT TO:<made-up@quarkus.example>").code(), "the listed domain is validated");
        }
        assertEquals(before + 1, PolicyStubResource.policy.directoryRequests(), "only the listed domain was looked up");
    }
}
