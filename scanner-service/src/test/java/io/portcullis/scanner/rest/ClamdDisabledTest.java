package io.portcullis.scanner.rest;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;

import io.portcullis.scanner.engine.EngineRunner;
import io.portcullis.scanner.support.KafkaTestResource;
import io.quarkus.test.common.TestResourceScope;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.util.List;
import org.junit.jupiter.api.Assertions;
import org.junit.jupiter.api.Test;

/** By default the clamd engine is off: not run at all (no result, not a clean one), readiness says so. */
@QuarkusTest
@WithTestResource(value = KafkaTestResource.class, scope = TestResourceScope.MATCHING_RESOURCES)
class ClamdDisabledTest {

    @Inject
    EngineRunner runner;

    @Test
    void disabledClamdIsNotAmongTheEngines() {
        List<String> names = runner.engines().stream().map(e -> e.name()).toList();
        Assertions.assertFalse(names.contains("clamd"), names.toString());
        Assertions.assertTrue(names.contains("antivirus"), names.toString());
    }

    @Test
    void readinessReportsClamdDisabledAsUp() {
        given().when().get("/q/health/ready")
                .then().statusCode(200)
                .body("checks.find { it.name == 'clamd' }.status", equalTo("UP"))
                .body("checks.find { it.name == 'clamd' }.data.enabled", equalTo(false));
    }
}
