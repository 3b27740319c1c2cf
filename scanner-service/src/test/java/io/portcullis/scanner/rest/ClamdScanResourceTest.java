package io.portcullis.scanner.rest;

import static io.portcullis.scanner.support.TestMessages.EICAR;
import static io.portcullis.scanner.support.TestMessages.plain;
import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsInAnyOrder;
import static org.hamcrest.Matchers.empty;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.startsWith;

import io.portcullis.scanner.engine.EngineRunner;
import io.portcullis.scanner.support.FakeClamdResource;
import io.portcullis.scanner.support.KafkaTestResource;
import io.quarkus.test.common.TestResourceScope;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.util.List;
import org.junit.jupiter.api.Assertions;
import org.junit.jupiter.api.Test;

/** The scan API with the clamd engine enabled against a fake clamd: its findings merged with the own engine's. */
@QuarkusTest
@WithTestResource(value = KafkaTestResource.class, scope = TestResourceScope.MATCHING_RESOURCES)
@WithTestResource(value = FakeClamdResource.class, scope = TestResourceScope.MATCHING_RESOURCES)
class ClamdScanResourceTest {

    @Inject
    EngineRunner runner;

    @Test
    void clamdRunsNextToTheOwnEngines() {
        List<String> names = runner.engines().stream().map(e -> e.name()).toList();
        Assertions.assertTrue(names.contains("clamd") && names.contains("antivirus"), names.toString());
    }

    @Test
    void eicarIsReportedByBothEnginesUnderTheSameSymbol() {
        given().contentType("message/rfc822").body(plain("test", EICAR))
                .when().post("/api/v1/scan")
                .then().statusCode(200)
                .body("action", equalTo("quarantine"))
                .body("ruleId", equalTo("virus-quarantine"))
                .body("symbols.findAll { !it.startsWith('BAYES_') }", equalTo(List.of("AV_TEST")))
                .body("findings.findAll { !it.symbol.startsWith('BAYES_') }.detail", containsInAnyOrder(
                        "Eicar-Test-Signature in raw",
                        "Eicar-Test-Signature in part/1", "clamd: Eicar-Signature"))
                .body("findings.findAll { !it.symbol.startsWith('BAYES_') }.category",
                        equalTo(List.of("VIRUS", "VIRUS", "VIRUS")));
    }

    @Test
    void aVirusOnlyClamdKnowsIsMergedIntoTheVerdict() {
        given().contentType("message/rfc822").body(plain("invoice", "see " + FakeClamdResource.TROJAN))
                .when().post("/api/v1/scan")
                .then().statusCode(200)
                .body("action", equalTo("quarantine"))
                .body("virus", equalTo(true))
                .body("ruleId", equalTo("virus-quarantine"))
                .body("symbols.findAll { !it.startsWith('BAYES_') }", equalTo(List.of("AV_TROJAN")))
                .body("findings.find { it.symbol == 'AV_TROJAN' }.detail", equalTo("clamd: Win.Trojan.FakeClamd-1"))
                .body("findings.find { it.symbol == 'AV_TROJAN' }.category", equalTo("VIRUS"));
    }

    @Test
    void cleanMessageIsDeliveredWhenClamdSaysOk() {
        given().contentType("message/rfc822").body(plain("hello", "nothing to see here"))
                .when().post("/api/v1/scan")
                .then().statusCode(200)
                .body("action", equalTo("deliver"))
                .body("findings.findAll { !it.symbol.startsWith('BAYES_') }", empty());
    }

    @Test
    void clamdErrorIsAScanFailureAndQuarantined() {
        given().contentType("message/rfc822").body(plain("hello", "x " + FakeClamdResource.ERROR))
                .when().post("/api/v1/scan")
                .then().statusCode(200)
                .body("action", equalTo("quarantine"))
                .body("ruleId", equalTo("scan-failure-quarantine"))
                .body("symbols.findAll { !it.startsWith('BAYES_') }", equalTo(List.of("CLAMD_FAIL")))
                .body("findings.find { it.symbol == 'CLAMD_FAIL' }.detail",
                        equalTo("clamd failed: error reply: stream: Can't allocate memory ERROR"));
    }

    @Test
    void readinessPingsClamd() {
        given().when().get("/q/health/ready")
                .then().statusCode(200)
                .body("checks.find { it.name == 'clamd' }.status", equalTo("UP"))
                .body("checks.find { it.name == 'clamd' }.data.enabled", equalTo(true))
                .body("checks.find { it.name == 'clamd' }.data.address", startsWith("tcp:127.0.0.1:"))
                .body("checks.find { it.name == 'clamd' }.data.version", equalTo(FakeClamdResource.VERSION));
    }
}
