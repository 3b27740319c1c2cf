package io.portcullis.scanner.rest;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.greaterThan;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.lessThanOrEqualTo;
import static org.hamcrest.Matchers.matchesPattern;
import static org.hamcrest.Matchers.startsWith;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.portcullis.scanner.engine.BayesMessages;
import io.portcullis.scanner.engine.EngineRunner;
import io.portcullis.scanner.support.KafkaTestResource;
import io.quarkus.test.common.TestResourceScope;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import org.junit.jupiter.api.Test;

/** The Bayes engine with the shipped model, on by default, through {@code POST /api/v1/scan}. */
@QuarkusTest
@WithTestResource(value = KafkaTestResource.class, scope = TestResourceScope.MATCHING_RESOURCES)
class BayesScanResourceTest {

    @Inject
    EngineRunner runner;

    @Test
    void bayesRunsByDefault() {
        assertTrue(runner.engines().stream().anyMatch(e -> e.name().equals("bayes")));
    }

    @Test
    void spammyMessageIsSpamOnTheClassifierAlone() {
        given().contentType("message/rfc822").body(BayesMessages.SPAM)
                .when().post("/api/v1/scan")
                .then().statusCode(200)
                .body("spam", equalTo(true))
                .body("action", equalTo("tag"))
                .body("ruleId", equalTo("spam-tag"))
                .body("symbols", hasItem("BAYES_99"))
                .body("score", greaterThan(5.0f))
                .body("findings.find { it.symbol == 'BAYES_99' }.category", equalTo("SPAM"))
                .body("findings.find { it.symbol == 'BAYES_99' }.detail", matchesPattern(
                        "p=0\\.99\\d{4} top:( \\S+=0\\.\\d{3}){5}"))
                .body("engineVersions.bayes", matchesPattern("[0-9a-f]{8}-\\d{4}-\\d{2}-\\d{2}"));
    }

    @Test
    void plainHamIsNotSpam() {
        given().contentType("message/rfc822").body(BayesMessages.HAM)
                .when().post("/api/v1/scan")
                .then().statusCode(200)
                .body("spam", equalTo(false))
                .body("action", equalTo("deliver"))
                .body("symbols", equalTo(java.util.List.of("BAYES_00")))
                .body("score", lessThanOrEqualTo(0.0f))
                .body("findings[0].detail", startsWith("p=0.00"));
    }
}
