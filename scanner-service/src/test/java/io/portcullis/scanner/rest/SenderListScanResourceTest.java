package io.portcullis.scanner.rest;

import static io.portcullis.scanner.support.TestMessages.EICAR;
import static io.portcullis.scanner.support.TestMessages.GTUBE;
import static io.portcullis.scanner.support.TestMessages.plain;
import static io.portcullis.scanner.support.TestMessages.withAttachment;
import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.hasItems;
import static org.hamcrest.Matchers.not;
import static org.hamcrest.Matchers.nullValue;
import static org.hamcrest.Matchers.startsWith;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.portcullis.scanner.engine.EngineRunner;
import io.portcullis.scanner.policy.PolicyCache;
import io.portcullis.scanner.support.KafkaTestResource;
import io.portcullis.scanner.support.SenderListPolicyResource;
import io.quarkus.test.common.TestResourceScope;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Sender lists end to end in the scanner: the snapshot with lists fetched from a stand-in policy-service, the engine,
 * the seeded rules, through {@code POST /api/v1/scan?mailFrom=&rcpt=}.
 */
@QuarkusTest
@WithTestResource(value = KafkaTestResource.class, scope = TestResourceScope.MATCHING_RESOURCES)
@WithTestResource(value = SenderListPolicyResource.class, scope = TestResourceScope.MATCHING_RESOURCES)
class SenderListScanResourceTest {

    @Inject
    PolicyCache cache;

    @Inject
    EngineRunner runner;

    @BeforeEach
    void snapshotLoaded() {
        await().atMost(Duration.ofSeconds(20)).until(() -> cache.state().fromService());
        assertEquals(SenderListPolicyResource.LISTS, cache.current().senderLists());
    }

    private static io.restassured.specification.RequestSpecification scan(byte[] message) {
        return given().contentType("message/rfc822").body(message);
    }

    @Test
    void theEngineRunsByDefault() {
        assertTrue(runner.engines().stream().anyMatch(e -> e.name().equals("sender-lists")));
    }

    @Test
    void aBlockedSenderIsQuarantined() {
        scan(plain("hello", "quarterly figures attached")).queryParam("mailFrom", "x@mail.SPAM.example")
                .queryParam("rcpt", "alice@example.com")
                .when().post("/api/v1/scan")
                .then().statusCode(200)
                .body("action", equalTo("quarantine"))
                .body("ruleId", equalTo("blocked-sender-quarantine"))
                .body("policyVersion", equalTo((int) SenderListPolicyResource.VERSION))
                .body("findings.find { it.symbol == 'BLOCKED_SENDER' }.category", equalTo("CONTENT"))
                .body("findings.find { it.symbol == 'BLOCKED_SENDER' }.detail",
                        equalTo("the recipient blocks the sender: envelope sender x***@mail.spam.example matched"
                                + " *.spam.example on the tenant list (*)"));
    }

    @Test
    void aSafeSenderWithGtubeIsDeliveredButStillReportedAsSpam() {
        scan(plain("newsletter", GTUBE)).queryParam("mailFrom", "news@partner.example")
                .queryParam("rcpt", "alice@example.com")
                .when().post("/api/v1/scan")
                .then().statusCode(200)
                .body("action", equalTo("deliver"))
                .body("ruleId", equalTo("safe-sender-deliver"))
                .body("spam", equalTo(true))
                .body("symbols", hasItems("SAFE_SENDER", "GTUBE"));
    }

    @Test
    void aSafeSenderWithEicarIsStillQuarantined() {
        scan(withAttachment("eicar.com.txt", EICAR.getBytes(StandardCharsets.US_ASCII)))
                .queryParam("mailFrom", "news@partner.example").queryParam("rcpt", "alice@example.com")
                .when().post("/api/v1/scan")
                .then().statusCode(200)
                .body("action", equalTo("quarantine"))
                .body("ruleId", equalTo("virus-quarantine"))
                .body("virus", equalTo(true))
                .body("symbols", hasItems("SAFE_SENDER", "AV_TEST"));
    }

    @Test
    void recipientsThatDisagreeGivePartialFindingsOnly() {
        scan(plain("hello", "see you tomorrow")).queryParam("mailFrom", "news@partner.example")
                .queryParam("rcpt", "alice@example.com").queryParam("rcpt", "bob@example.com")
                .queryParam("rcpt", "carol@example.org")
                .when().post("/api/v1/scan")
                .then().statusCode(200)
                .body("symbols", hasItems("SAFE_SENDER_PARTIAL", "BLOCKED_SENDER_PARTIAL"))
                .body("symbols", not(hasItem("SAFE_SENDER")))
                .body("symbols", not(hasItem("BLOCKED_SENDER")))
                .body("findings.find { it.symbol == 'BLOCKED_SENDER_PARTIAL' }.detail",
                        startsWith("1 of 3 recipients block the sender: envelope sender n***@partner.example matched"
                                + " partner.example on the list of b***@example.com"))
                .body("ruleId", not(equalTo("blocked-sender-quarantine")));
    }

    @Test
    void withoutAnEnvelopeTheTenantListAppliesToTheFromHeader() {
        byte[] message = ("From: Offers <deals@shop.spam.example>\r\nTo: <bob@example.com>\r\nSubject: deals\r\n\r\n"
                + "cheap\r\n").getBytes(StandardCharsets.US_ASCII);
        scan(message).when().post("/api/v1/scan")
                .then().statusCode(200)
                .body("action", equalTo("quarantine"))
                .body("ruleId", equalTo("blocked-sender-quarantine"));
        // the safe entry belongs to example.com: without recipients it does not apply
        scan(plain("hello", "see you")).when().post("/api/v1/scan").then().statusCode(200)
                .body("symbols", not(hasItem("SAFE_SENDER")));
    }

    @Test
    void implausibleEnvelopeParametersAre400() {
        given().contentType("message/rfc822").body(plain("x", "y")).urlEncodingEnabled(false)
                .queryParam("mailFrom", "a@b.example%0D%0ARCPT").queryParam("rcpt", "c@example.com")
                .when().post("/api/v1/scan").then().statusCode(400).body("error", startsWith("mailFrom: "));
        given().contentType("message/rfc822").body(plain("x", "y")).urlEncodingEnabled(false)
                .queryParam("rcpt", "c@example.com%00").when().post("/api/v1/scan").then().statusCode(400);
        scan(plain("x", "y")).queryParam("mailFrom", "").queryParam("rcpt", "c@example.com")
                .when().post("/api/v1/scan").then().statusCode(200).body("ruleId", nullValue());
    }
}
