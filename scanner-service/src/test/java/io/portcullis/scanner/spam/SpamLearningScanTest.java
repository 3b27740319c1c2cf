package io.portcullis.scanner.spam;

import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.portcullis.contracts.events.EventJson;
import io.portcullis.contracts.events.SpamModelUpdated;
import io.portcullis.scanner.engine.BayesEngine;
import io.portcullis.scanner.messaging.SpamModelUpdatedConsumer;
import io.portcullis.scanner.support.KafkaTestResource;
import io.quarkus.test.common.TestResourceScope;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import io.smallrye.reactive.messaging.memory.InMemoryConnector;
import jakarta.enterprise.inject.Any;
import jakarta.inject.Inject;
import java.time.Duration;
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
