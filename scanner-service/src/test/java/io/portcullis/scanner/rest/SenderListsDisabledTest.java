package io.portcullis.scanner.rest;

import static io.portcullis.scanner.support.TestMessages.plain;
import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.not;
import static org.junit.jupiter.api.Assertions.assertFalse;

import io.portcullis.scanner.engine.EngineRunner;
import io.portcullis.scanner.policy.PolicyCache;
import io.portcullis.scanner.support.KafkaTestResource;
import io.portcullis.scanner.support.SenderListPolicyResource;
import io.quarkus.test.common.TestResourceScope;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** {@code portcullis.scanner.sender-lists.enabled=false}: the engine is not run, the lists in the snapshot are not applied. */
@QuarkusTest
@WithTestResource(value = KafkaTestResource.class, scope = TestResourceScope.MATCHING_RESOURCES)
@WithTestResource(value = SenderListsDisabledTest.Off.class, scope = TestResourceScope.MATCHING_RESOURCES)
class SenderListsDisabledTest {

    /** The stand-in policy-service with the lists, and the engine turned off. */
    public static class Off extends SenderListPolicyResource {
        @Override
        protected Map<String, String> extraConfig() {
            return Map.of("portcullis.scanner.sender-lists.enabled", "false");
        }
    }

    @Inject
    EngineRunner runner;

    @Inject
    PolicyCache cache;

    @Test
    void disabledSenderListsAreNotRunAndNotApplied() {
        assertFalse(runner.engines().stream().anyMatch(e -> e.name().equals("sender-lists")));
        await().atMost(Duration.ofSeconds(20)).until(() -> cache.state().fromService());
        given().contentType("message/rfc822").body(plain("hello", "quarterly figures"))
                .queryParam("mailFrom", "x@mail.spam.example").queryParam("rcpt", "alice@example.com")
                .when().post("/api/v1/scan")
                .then().statusCode(200)
                .body("symbols", not(hasItem("BLOCKED_SENDER")))
                .body("ruleId", not(equalTo("blocked-sender-quarantine")));
    }
}
