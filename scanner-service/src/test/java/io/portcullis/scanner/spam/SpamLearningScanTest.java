package io.portcullis.scanner.spam;

import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.portcullis.contracts.events.BodyRef;
import io.portcullis.contracts.events.Envelope;
import io.portcullis.contracts.events.EventJson;
import io.portcullis.contracts.events.MailReceived;
import io.portcullis.contracts.events.VerdictIssued;
import io.portcullis.contracts.events.SpamModelUpdated;
import io.portcullis.scanner.engine.BayesEngine;
import io.portcullis.scanner.messaging.SpamModelUpdatedConsumer;
import io.portcullis.scanner.support.KafkaTestResource;
import io.quarkus.test.common.TestResourceScope;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import io.smallrye.reactive.messaging.memory.InMemoryConnector;
import io.smallrye.reactive.messaging.memory.InMemorySink;
import jakarta.enterprise.inject.Any;
import jakarta.inject.Inject;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.Test;

/**
 * A scanner with learning on: start-up fetch from (fake) policy-service, updates followed on the spam-model channel in
 * sequence, a gap fetched whole; {@code POST /api/v1/scan} shows the learned sequence in the Bayes version.
 */
@QuarkusTest
@WithTestResource(value = KafkaTestResource.class, scope = TestResourceScope.MATCHING_RESOURCES)
@WithTestResource(value = FakeLearnedCountsResource.class, scope = TestResourceScope.MATCHING_RESOURCES)
class SpamLearningScanTest {
    private static final byte[] SIMILAR = LearnedModelsTest.newsletter(42);

    @Inject
    @Any
    InMemoryConnector connector;

    @ConfigProperty(name = "portcullis.policy.url")
    String policyUrl;

    private static JsonPath scan() {
        return given().contentType("message/rfc822").body(SIMILAR).when().post("/api/v1/scan").then()
                .statusCode(200).extract().jsonPath();
    }

    private static String bayesVersion() {
        return scan().getString("engineVersions.bayes");
    }

    private static double bayesScore() {
        return scan().getList("findings", java.util.Map.class).stream()
                .filter(f -> String.valueOf(f.get("symbol")).startsWith("BAYES_"))
                .mapToDouble(f -> ((Number) f.get("score")).doubleValue()).findFirst().orElseThrow();
    }

    private void publish(SpamModelUpdated u) {
        connector.source(SpamModelUpdatedConsumer.CHANNEL).send(EventJson.write(u));
    }

    @Test
    void aQueuedMessageIsScoredWithItsOwnTenantsLearnedCounts() throws Exception {
        String model = BayesEngine.versionOf(BayesEngine.load(Optional.empty()));
        await().atMost(Duration.ofSeconds(20)).until(() -> !bayesVersion().equals(model + "+0"));
        InMemorySink<byte[]> verdicts = connector.sink("mail-verdict");
        String sha = java.util.HexFormat.of().formatHex(java.security.MessageDigest.getInstance("SHA-256")
                .digest(SIMILAR));
        Envelope env = new Envelope("news@sailing-club.test", List.of("member@example.com"), "mx", "192.0.2.7",
                false);
        for (String tenant : List.of("default", "other")) {
            connector.source("mail-received").send(EventJson.write(new MailReceived("learn-" + tenant, tenant,
                    Instant.now(), "edge-1", env, BodyRef.inline(SIMILAR, sha))));
        }
        await().atMost(Duration.ofSeconds(20)).until(() -> verdicts.received().stream()
                .filter(m -> EventJson.read(m.getPayload(), VerdictIssued.class).messageId().startsWith("learn-"))
                .count() == 2);
        java.util.Map<String, String> versions = new java.util.HashMap<>();
        verdicts.received().stream().map(m -> EventJson.read(m.getPayload(), VerdictIssued.class))
                .filter(v -> v.messageId().startsWith("learn-"))
                .forEach(v -> versions.put(v.tenant(), v.engineVersions().get("bayes")));
        assertTrue(versions.get("default").startsWith(model + "+") && !versions.get("default").equals(model + "+0"),
                versions.toString());
        assertEquals(model + "+0", versions.get("other"), "another tenant's mail is not scored with default's");
    }

    @Test
    void theScanApiScoresWithTheNamedTenantsCountsAndRefusesABadTenant() {
        String model = BayesEngine.versionOf(BayesEngine.load(Optional.empty()));
        await().atMost(Duration.ofSeconds(20)).until(() -> !bayesVersion().equals(model + "+0"));
        given().contentType("message/rfc822").body(SIMILAR).queryParam("tenant", "other").when()
                .post("/api/v1/scan").then().statusCode(200).body("engineVersions.bayes", equalTo(model + "+0"));
        for (String bad : List.of("Other", "a/b", "x".repeat(65), "t\u0000")) {
            given().contentType("message/rfc822").body(SIMILAR).queryParam("tenant", bad).when()
                    .post("/api/v1/scan").then().statusCode(400)
                    .body("error", org.hamcrest.Matchers.startsWith("tenant:"));
        }
    }

    @Test
    void startUpFetchThenUpdatesInSequenceThenAGapFetchesWholeAndTheVerdictShowsTheSequence() {
        String model = BayesEngine.versionOf(BayesEngine.load(Optional.empty()));
        await().atMost(Duration.ofSeconds(20)).until(() -> bayesVersion().equals(model + "+3"));
        given().when().get("/q/health/ready").then().body("checks.find { it.name == 'spam-learning' }.status",
                equalTo("UP")).body("checks.find { it.name == 'spam-learning' }.data.'sequence.default'", equalTo(3));
        double at3 = bayesScore();

        List<SpamModelUpdated> updates = FakeLearnedCountsResource.updates();
        publish(updates.get(2)); // a redelivery of 3: ignored
        publish(updates.get(3));
        publish(updates.get(4));
        await().atMost(Duration.ofSeconds(10)).until(() -> bayesVersion().equals(model + "+5"));
        assertTrue(bayesScore() <= at3, "more released newsletters never make similar mail spammier");

        // 6 is lost; policy-service is at 7: the gap makes the scanner fetch the tenant whole
        given().body(FakeLearnedCountsResource.json(7)).post(policyUrl + "/fake/learned").then().statusCode(204);
        int fetches = Integer.parseInt(given().get(policyUrl + "/fake/fetches").asString());
        publish(updates.get(6));
        await().atMost(Duration.ofSeconds(10)).until(() -> bayesVersion().equals(model + "+7"));
        assertTrue(Integer.parseInt(given().get(policyUrl + "/fake/fetches").asString()) > fetches);

        // an invalid record is skipped, nothing changes
        connector.source(SpamModelUpdatedConsumer.CHANNEL).send("{nope".getBytes());
        assertEquals(model + "+7", bayesVersion());
    }
}
