package io.portcullis.edge.listener;

import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.startsWith;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.portcullis.contracts.events.EventJson;
import io.portcullis.contracts.events.PolicyChanged;
import io.portcullis.edge.policy.AcceptedDomains;
import io.portcullis.edge.policy.StubPolicyService;
import io.portcullis.edge.smtp.AcceptedMessage;
import io.portcullis.edge.smtp.MessageSink;
import io.portcullis.edge.smtp.SmtpTestClient;
import io.portcullis.edge.spool.Spool;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.smallrye.reactive.messaging.memory.InMemoryConnector;
import jakarta.enterprise.inject.Any;
import jakarta.inject.Inject;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;

/** The wired application: listener on the configured port, relay control from policy-service, health. */
@QuarkusTest
@TestProfile(InMemorySpoolProfile.class)
@QuarkusTestResource(value = PolicyStubResource.class, restrictToAnnotatedClass = true)
class EdgeSmtpApplicationTest {

    @Inject
    EdgeSmtpListener listener;

    @Inject
    AcceptedDomains acceptedDomains;

    @Inject
    @Spool
    MessageSink sink;

    @Inject
    @Any
    InMemoryConnector connector;

    private InMemorySpoolSink spool() {
        return (InMemorySpoolSink) ((io.quarkus.arc.ClientProxy) sink).arc_contextualInstance();
    }

    private void awaitDomain(String domain) {
        await().atMost(Duration.ofSeconds(10)).until(() -> acceptedDomains.acceptsDomain(domain));
    }

    @Test
    void acceptsMailForPolicyDomainsAndHandsItToTheSpoolSink() throws Exception {
        awaitDomain("quarkus.example");
        assertTrue(listener.isListening());
        try (SmtpTestClient c = new SmtpTestClient(listener.port())) {
            assertEquals(220, c.reply().code());
            assertTrue(c.command("EHLO client.test").lines().contains("250-STARTTLS"), "self-signed TLS is on");
            c.command("MAIL FROM:<a@remote.test>");
            assertEquals(550, c.command("RCPT TO:<u@elsewhere.test>").code());
            assertEquals(250, c.command("RCPT TO:<u@Quarkus.Example>").code());
            c.command("DATA");
            c.send("Subject: wired\r\n\r\nhello\r\n.\r\n");
            String reply = c.reply().text();
            assertTrue(reply.startsWith("250 2.0.0 Ok: queued as "), reply);
            AcceptedMessage m = spool().messages.get(spool().messages.size() - 1);
            assertTrue(reply.endsWith(m.queueId()));
            assertTrue(new String(m.bytes()).startsWith("Received: from client.test ([127.0.0.1])\r\n\tby localhost"));
        }
    }

    @Test
    void startTlsWorksWithTheGeneratedCertificate() throws Exception {
        try (SmtpTestClient c = new SmtpTestClient(listener.port())) {
            c.reply();
            c.command("EHLO client.test");
            assertEquals(220, c.command("STARTTLS").code());
            c.startTls();
            assertEquals(250, c.command("EHLO client.test").code());
        }
    }

    @Test
    void policyChangedEventRefreshesTheAcceptedDomains() {
        awaitDomain("quarkus.example");
        StubPolicyService policy = PolicyStubResource.policy;
        policy.respond(200, StubPolicyService.snapshot(2, "quarkus.example", "added.example"));
        connector.source("policy-changed")
                .send(EventJson.write(new PolicyChanged("default", Instant.now(), 2, "domains")));
        awaitDomain("added.example");
        assertEquals(2, acceptedDomains.version());
    }

    @Test
    void livenessReflectsTheListenerAndReadinessReportsEachDependency() {
        given().when().get("/q/health/live").then().statusCode(200)
                .body("checks.name", hasItem("smtp listener"));
        given().when().get("/q/health/ready").then()
                .body("checks.find { it.name == 'edge-smtp acceptance' }.data.smtp", startsWith("listening on"));
    }
}
