package io.portcullis.edge.listener;

import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.hasItem;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.portcullis.contracts.events.EventJson;
import io.portcullis.contracts.events.IpBlock;
import io.portcullis.contracts.events.RecipientRejected;
import io.portcullis.contracts.events.Topics;
import io.portcullis.edge.ipblock.IpBlockMap;
import io.portcullis.edge.policy.AcceptedDomains;
import io.portcullis.edge.smtp.SmtpTestClient;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import jakarta.inject.Inject;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The wired edge: a RELAY_DENIED RCPT becomes a RecipientRejected record (captured from the SMTP events producer),
 * and blocks fed into the block map are enforced on the real SMTP port.
 */
@QuarkusTest
@TestProfile(InMemorySpoolProfile.class)
@QuarkusTestResource(value = PolicyStubResource.class, restrictToAnnotatedClass = true)
class IpProfilerEdgeTest {

    @Inject
    EdgeSmtpListener listener;

    @Inject
    AcceptedDomains acceptedDomains;

    @Inject
    IpBlockMap blocks;

    @AfterEach
    void liftBlocks() {
        blocks.clear(); // other tests of this application connect from 127.0.0.1 too
    }

    private static List<RecipientRejected> published() {
        return CapturingSmtpEventsProducer.PRODUCER.history().stream()
                .filter(r -> r.topic().equals(Topics.SMTP_EVENTS))
                .map(r -> EventJson.read(r.value(), RecipientRejected.class)).toList();
    }

    private void block(IpBlock.Response response, String reason) {
        IpBlock b = new IpBlock("127.0.0.1", IpBlock.Kind.HARVEST, 25, 600, Instant.now(),
                Instant.now().plusSeconds(600), response, reason);
        assertEquals(IpBlockMap.Outcome.BLOCKED, blocks.apply("127.0.0.1", EventJson.write(b)));
    }

    @Test
    void relayDeniedRcptIsPublishedAsRecipientRejected() throws Exception {
        await().atMost(Duration.ofSeconds(10)).until(() -> acceptedDomains.acceptsDomain("quarkus.example"));
        int before = published().size();
        try (SmtpTestClient c = new SmtpTestClient(listener.port())) {
            assertEquals(220, c.reply().code());
            c.command("EHLO client.test");
            c.command("MAIL FROM:<a@remote.test>");
            assertEquals(250, c.command("RCPT TO:<u@quarkus.example>").code());
            assertEquals(List.of("550 5.7.1 Relaying denied"),
                    c.command("RCPT TO:<Harvested.User@Not-Ours.Example>").lines());
        }
        await().atMost(Duration.ofSeconds(5)).until(() -> published().size() == before + 1);
        ProducerRecord<String, byte[]> record = CapturingSmtpEventsProducer.PRODUCER.history()
                .get(CapturingSmtpEventsProducer.PRODUCER.history().size() - 1);
        assertEquals("127.0.0.1", record.key());
        RecipientRejected event = published().get(before);
        assertEquals(RecipientRejected.Reason.RELAY_DENIED, event.reason());
        assertEquals("not-ours.example", event.recipientDomain());
        assertEquals("127.0.0.1", event.clientIp());
        assertEquals("edge-1", event.edgeNode());
        assertEquals(550, event.reply());
        assertTrue(event.eventId().matches("edge-1:[0-9A-Z]{18}:2"), event.eventId());
        given().when().get("/q/metrics").then().statusCode(200)
                .body(containsString("portcullis_smtp_events_published_total{reason=\"relay_denied\"}"));
    }

    @Test
    void tempfailBlockedIpGets421AtConnectOnTheSmtpPort() throws Exception {
        block(IpBlock.Response.TEMPFAIL, "Too many unknown recipients from your IP, try again later");
        try (SmtpTestClient c = new SmtpTestClient(listener.port())) {
            assertEquals(List.of("421 4.7.0 Too many unknown recipients from your IP, try again later"),
                    c.reply().lines());
            assertTrue(c.closedByServer());
        }
        given().when().get("/q/metrics").then().statusCode(200)
                .body(containsString("portcullis_ipblock_refusals_total{kind=\"harvest\",response=\"tempfail\"}"))
                .body(containsString("portcullis_ipblock_blocks"));
    }

    @Test
    void rejectBlockedIpGets550AtEveryRcptAndThatIsNotPublished() throws Exception {
        block(IpBlock.Response.REJECT, "Directory harvest from your IP");
        int before = published().size();
        try (SmtpTestClient c = new SmtpTestClient(listener.port())) {
            assertEquals(220, c.reply().code());
            c.command("EHLO client.test");
            c.command("MAIL FROM:<a@remote.test>");
            assertEquals(List.of("550 5.7.1 Directory harvest from your IP"),
                    c.command("RCPT TO:<u@quarkus.example>").lines());
            assertEquals(List.of("550 5.7.1 Directory harvest from your IP"),
                    c.command("RCPT TO:<u@not-ours.example>").lines());
            assertEquals(221, c.command("QUIT").code());
        }
        blocks.apply("127.0.0.1", null);
        try (SmtpTestClient c = new SmtpTestClient(listener.port())) {
            assertEquals(220, c.reply().code());
            c.command("EHLO client.test");
            c.command("MAIL FROM:<a@remote.test>");
            assertEquals(250, c.command("RCPT TO:<u@quarkus.example>").code(), "the tombstone lifted the block");
        }
        Thread.sleep(200); // a wrongly published event would have been sent by now
        assertEquals(before, published().size(), "block refusals are never RecipientRejected");
    }

    @Test
    void validationOffByDefaultAcceptsAnyRecipientOfAnAcceptedDomainWithoutALookup() throws Exception {
        await().atMost(Duration.ofSeconds(10)).until(() -> acceptedDomains.acceptsDomain("quarkus.example"));
        int before = PolicyStubResource.policy.directoryRequests();
        try (SmtpTestClient c = new SmtpTestClient(listener.port())) {
            assertEquals(220, c.reply().code());
            c.command("EHLO client.test");
            c.command("MAIL FROM:<a@remote.test>");
            assertEquals(250, c.command("RCPT TO:<not-in-any-directory@quarkus.example>").code());
        }
        assertEquals(before, PolicyStubResource.policy.directoryRequests());
    }

    @Test
    void readinessHasTheIpBlocklistCheck() {
        given().when().get("/q/health/ready").then()
                .body("checks.name", hasItem("ip-blocklist"))
                .body("checks.find { it.name == 'ip-blocklist' }.data.state", containsString("disabled"));
    }
}
