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

    @Test
    void aListedLinkDomainAddsItsScoreAndTagsTheMessageAsSpam() {
        given().contentType("message/rfc822")
                .body(plain("offer", "cheap pills at https://shop." + LocalDnsResource.LISTED + "/buy now"))
                .when().post("/api/v1/scan")
                .then().statusCode(200)
                .body("spam", equalTo(true))
                .body("score", equalTo(6.0f))
                .body("action", equalTo("tag"))
                .body("ruleId", equalTo("spam-tag"))
                .body("symbols", hasItem("URIBL_DBL"))
                .body("findings.find { it.symbol == 'URIBL_DBL' }.category", equalTo("SPAM"))
                .body("findings.find { it.symbol == 'URIBL_DBL' }.detail",
                        equalTo("dbl.test: evil.com [127.0.1.2]"));
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
        assertEquals(3.5, ipOnly.decision().spamScore());
        assertFalse(ipOnly.decision().spam(), "3.5 is below the default threshold 5");
        assertTrue(ipOnly.findings().stream().map(Finding::symbol).toList().contains("RBL_ZEN"));

        ScanOutcome both = scanner.scan("dnsbl-2", from("1.2.3.4"),
                plain("hi", "https://" + LocalDnsResource.LISTED + "/"), List.of());
        assertEquals(9.5, both.decision().spamScore());
        assertTrue(both.decision().spam());
        assertEquals(Action.TAG, both.decision().action());

        ScanOutcome privateIp = scanner.scan("dnsbl-3", from("192.168.1.2"), plain("hi", "none"), List.of());
        assertEquals(0, privateIp.decision().spamScore());
        assertTrue(privateIp.findings().stream().noneMatch(f -> f.symbol().startsWith("RBL")));
    }
}
