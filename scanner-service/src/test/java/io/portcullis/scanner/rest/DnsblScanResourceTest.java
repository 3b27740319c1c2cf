package io.portcullis.scanner.rest;

import static io.portcullis.scanner.support.TestMessages.plain;
import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.portcullis.contracts.events.Action;
import io.portcullis.contracts.events.Envelope;
import io.portcullis.contracts.scan.Finding;
import io.portcullis.scanner.engine.EngineRunner;
import io.portcullis.scanner.service.ScanOutcome;
import io.portcullis.scanner.service.ScanService;
import io.portcullis.scanner.support.KafkaTestResource;
import io.portcullis.scanner.support.LocalDnsResource;
import io.quarkus.test.common.TestResourceScope;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The DNSBL engine wired into the scanner against a local DNS server: URIBL through {@code POST /api/v1/scan} (the
 * API has no envelope, hence no client IP), the client IP through {@link ScanService} with an envelope, as the Kafka
 * consumer calls it.
 */
@QuarkusTest
@WithTestResource(value = KafkaTestResource.class, scope = TestResourceScope.MATCHING_RESOURCES)
@WithTestResource(value = LocalDnsResource.class, scope = TestResourceScope.MATCHING_RESOURCES)
class DnsblScanResourceTest {

    @Inject
    EngineRunner runner;

    @Inject
    ScanService scanner;

    private static Envelope from(String ip) {
        return new Envelope("a@example.net", List.of("b@example.com"), "helo.example.net", ip, false);
    }

    @Test
    void dnsblRunsWhenEnabled() {
        assertTrue(runner.engines().stream().anyMatch(e -> e.name().equals("dnsbl")));
    }

    /** The Bayes engine's contribution (one BAYES_xx SPAM finding per message), added to every spam score. */
    private static double bayes(List<Finding> findings) {
        List<Finding> b = findings.stream().filter(f -> f.symbol().startsWith("BAYES_")).toList();
        assertEquals(1, b.size(), findings.toString());
        return b.get(0).score();
    }

    @Test
    void aListedLinkDomainAddsItsScoreAndTagsTheMessageAsSpam() {
        io.restassured.path.json.JsonPath json = given().contentType("message/rfc822")
                .body(plain("offer", "cheap pills at https://shop." + LocalDnsResource.LISTED + "/buy now"))
                .when().post("/api/v1/scan")
                .then().statusCode(200)
                .body("spam", equalTo(true))
                .body("action", equalTo("tag"))
                .body("ruleId", equalTo("spam-tag"))
                .body("symbols", hasItem("URIBL_DBL"))
                .body("findings.find { it.symbol == 'URIBL_DBL' }.category", equalTo("SPAM"))
                .body("findings.find { it.symbol == 'URIBL_DBL' }.score", equalTo(6.0f))
                .body("findings.find { it.symbol == 'URIBL_DBL' }.detail",
                        equalTo("dbl.test: evil.com [127.0.1.2]"))
                .extract().jsonPath();
        double bayes = json.getDouble("findings.find { it.symbol.startsWith('BAYES_') }.score");
        assertEquals(6.0 + bayes, json.getDouble("score"), 1e-9, "the zone's score plus the classifier's");
    }

    @Test
    void aSlowBlocklistIsRecordedButDoesNotHoldTheMessage() {
        given().contentType("message/rfc822")
                .body(plain("hello", "see http://www." + LocalDnsResource.SLOW + "/ for the agenda"))
                .when().post("/api/v1/scan")
                .then().statusCode(200)
                .body("action", equalTo("deliver"))
                .body("spam", equalTo(false))
                .body("findings.find { it.symbol == 'DNSBL_TIMEOUT' }.category", equalTo("INFO"));
    }

    @Test
    void aListedClientIpIsSummedWithTheLinkScoreAgainstTheThreshold() {
        ScanOutcome ipOnly = scanner.scan("dnsbl-1", from("1.2.3.4"), plain("hi", "no links here"), List.of());
        assertEquals(3.5 + bayes(ipOnly.findings()), ipOnly.decision().spamScore());
        assertFalse(ipOnly.decision().spam(), "3.5 and a neutral Bayes score are below the threshold 5");
        assertTrue(ipOnly.findings().stream().map(Finding::symbol).toList().contains("RBL_ZEN"));

        ScanOutcome both = scanner.scan("dnsbl-2", from("1.2.3.4"),
                plain("hi", "https://" + LocalDnsResource.LISTED + "/"), List.of());
        assertEquals(9.5 + bayes(both.findings()), both.decision().spamScore());
        assertTrue(both.decision().spam());
        assertEquals(Action.TAG, both.decision().action());

        ScanOutcome privateIp = scanner.scan("dnsbl-3", from("192.168.1.2"), plain("hi", "none"), List.of());
        assertEquals(bayes(privateIp.findings()), privateIp.decision().spamScore());
        assertTrue(privateIp.findings().stream().noneMatch(f -> f.symbol().startsWith("RBL")));
    }
}
