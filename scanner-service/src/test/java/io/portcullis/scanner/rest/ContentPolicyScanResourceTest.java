package io.portcullis.scanner.rest;

import static io.portcullis.scanner.support.TestMessages.plain;
import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.not;
import static org.hamcrest.Matchers.containsString;

import io.portcullis.scanner.policy.PolicyCache;
import io.portcullis.scanner.support.ContentPolicyResource;
import io.portcullis.scanner.support.KafkaTestResource;
import io.quarkus.test.common.TestResourceScope;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.time.Duration;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Full-form rules in the running scanner: content rules read extracted text, DLP runs only the templates a rule
 * names and reports redacted samples, a group scope asks the directory, and recipients with different decisions split.
 */
@QuarkusTest
@WithTestResource(value = KafkaTestResource.class, scope = TestResourceScope.MATCHING_RESOURCES)
@WithTestResource(value = ContentPolicyResource.class, scope = TestResourceScope.MATCHING_RESOURCES)
class ContentPolicyScanResourceTest {

    @Inject
    PolicyCache cache;

    @BeforeEach
    void snapshotLoaded() {
        await().atMost(Duration.ofSeconds(20)).until(() -> cache.current().version() == ContentPolicyResource.VERSION);
    }

    private static io.restassured.specification.RequestSpecification scan(byte[] message) {
        return given().contentType("message/rfc822").body(message).queryParam("mailFrom", "x@outside.test");
    }

    @Test
    void aKeywordRuleQuarantinesIntoItsArea() {
        scan(plain("status", "Notes on Project   Bluebird for the board")).queryParam("rcpt", "alice@example.com")
                .when().post("/api/v1/scan")
                .then().statusCode(200)
                .body("action", equalTo("quarantine"))
                .body("ruleId", equalTo("bluebird"))
                .body("decisions[0].quarantineArea", equalTo("confidential"))
                .body("policyVersion", equalTo((int) ContentPolicyResource.VERSION));
    }

    @Test
    void dlpFindsCardNumbersAndNeverReportsThemWhole() {
        scan(plain("order", "please charge 4111 1111 1111 1111 today")).queryParam("rcpt", "alice@example.com")
                .when().post("/api/v1/scan")
                .then().statusCode(200)
                .body("action", equalTo("quarantine"))
                .body("ruleId", equalTo("cards"))
                .body("findings.find { it.symbol == 'DLP_CREDIT_CARD' }.score", equalTo(1.0f))
                .body("findings.find { it.symbol == 'DLP_CREDIT_CARD' }.detail", containsString("1111"))
                .body("findings.find { it.symbol == 'DLP_CREDIT_CARD' }.detail",
                        not(containsString("4111 1111 1111 1111")))
                .body("symbols", not(hasItem("DLP_IBAN")));
    }

    @Test
    void aGroupScopeResolvesAliasesInTheDirectoryAndSplitsTheMessage() {
        scan(plain("contract", "see you tomorrow")).queryParam("rcpt", "alice@example.com")
                .queryParam("rcpt", "counsel@example.com")
                .when().post("/api/v1/scan")
                .then().statusCode(200)
                .body("decisions.size()", equalTo(2))
                .body("decisions[0].recipients", equalTo(java.util.List.of("alice@example.com")))
                .body("decisions[0].action", equalTo("DELIVER"))
                .body("decisions[1].recipients", equalTo(java.util.List.of("counsel@example.com")))
                .body("decisions[1].modifications.subjectPrefix", equalTo("[LEGAL] "))
                .body("matchedRules", equalTo(java.util.List.of("legal-tag")));
    }

    @Test
    void cleanMailDeliversAndNamesNoRule() {
        scan(plain("lunch", "pizza at noon?")).queryParam("rcpt", "alice@example.com")
                .when().post("/api/v1/scan")
                .then().statusCode(200)
                .body("action", equalTo("deliver"))
                .body("decisions.size()", equalTo(1))
                .body("matchedRules.size()", equalTo(0));
    }
}
