package io.portcullis.scanner.rest;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.not;
import static org.hamcrest.Matchers.nullValue;

import io.portcullis.scanner.engine.BayesMessages;
import io.portcullis.scanner.engine.EngineRunner;
import io.portcullis.scanner.support.KafkaTestResource;
import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import io.quarkus.test.common.TestResourceScope;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Assertions;
import org.junit.jupiter.api.Test;

/** {@code portcullis.scanner.bayes.enabled=false} (env PORTCULLIS_BAYES): the engine is not run at all. */
@QuarkusTest
@WithTestResource(value = KafkaTestResource.class, scope = TestResourceScope.MATCHING_RESOURCES)
@WithTestResource(value = BayesDisabledTest.Off.class, scope = TestResourceScope.MATCHING_RESOURCES)
class BayesDisabledTest {

    /** Turns the Bayes engine off. */
    public static class Off implements QuarkusTestResourceLifecycleManager {
        @Override
        public Map<String, String> start() {
            return Map.of("portcullis.scanner.bayes.enabled", "false");
        }

        @Override
        public void stop() {
        }
    }

    @Inject
    EngineRunner runner;

    @Test
    void disabledBayesIsNotAmongTheEngines() {
        List<String> names = runner.engines().stream().map(e -> e.name()).toList();
        Assertions.assertFalse(names.contains("bayes"), names.toString());
        Assertions.assertTrue(names.contains("gtube"), names.toString());
    }

    @Test
    void spamIsNotScoredWhenOff() {
        given().contentType("message/rfc822").body(BayesMessages.SPAM)
                .when().post("/api/v1/scan")
                .then().statusCode(200)
                .body("spam", equalTo(false))
                .body("symbols", not(hasItem("BAYES_99")))
                .body("engineVersions.bayes", nullValue());
    }
}
