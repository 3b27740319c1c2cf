package io.portcullis.scanner.rest;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.hasItems;
import static org.hamcrest.Matchers.not;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.portcullis.contracts.events.Action;
import io.portcullis.contracts.events.Envelope;
import io.portcullis.contracts.scan.Finding;
import io.portcullis.mailauth.dkim.DkimKey;
import io.portcullis.mailauth.dkim.DkimSigner;
import io.portcullis.scanner.engine.EngineRunner;
import io.portcullis.scanner.service.ScanOutcome;
import io.portcullis.scanner.service.ScanService;
import io.portcullis.scanner.support.AuthDnsResource;
import io.portcullis.scanner.support.KafkaTestResource;
import io.quarkus.test.common.TestResourceScope;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.specification.RequestSpecification;
import jakarta.inject.Inject;
import java.nio.charset.StandardCharsets;
import java.security.KeyFactory;
import java.security.PrivateKey;
import java.security.spec.PKCS8EncodedKeySpec;
import java.util.Base64;
import java.util.List;
import org.eclipse.microprofile.config.ConfigProvider;
import org.junit.jupiter.api.Test;

/**
 * The SPF/DKIM/DMARC engine wired into the scanner against a local DNS zone, through {@code POST /api/v1/scan} with and
 * without the envelope query parameters, and the built-in default policy (no policy-service in tests).
 */
@QuarkusTest
@WithTestResource(value = KafkaTestResource.class, scope = TestResourceScope.MATCHING_RESOURCES)
@WithTestResource(value = AuthDnsResource.class, scope = TestResourceScope.MATCHING_RESOURCES)
class AuthScanResourceTest {

    @Inject
    EngineRunner runner;

    @Inject
    ScanService scanner;

    private static String mail(String from) {
        return "From: Someone <" + from + ">\r\nTo: bob@example.com\r\nSubject: lunch on friday\r\n"
                + "Date: Fri, 27 Nov 2026 08:00:00 +0000\r\nMessage-ID: <m1@test>\r\n\r\n"
                + "Hi Bob, are we still on for lunch on Friday at noon?\r\nAlice\r\n";
    }

    private static String signed(String message) throws Exception {
        byte[] der = Base64.getDecoder().decode(ConfigProvider.getConfig()
                .getValue(AuthDnsResource.KEY_PROPERTY, String.class));
        PrivateKey key = KeyFactory.getInstance("RSA").generatePrivate(new PKCS8EncodedKeySpec(der));
        return new String(new DkimSigner(List.of(), java.time.Clock.systemUTC()).sign(
                message.getBytes(StandardCharsets.ISO_8859_1), new DkimKey("signed.test", "s1", key),
                List.of("from", "to", "subject", "date")),
                StandardCharsets.ISO_8859_1);
    }

    private static RequestSpecification post(String body) {
        return given().contentType("message/rfc822").body(body.getBytes(StandardCharsets.ISO_8859_1));
    }

    @Test
    void authEngineRunsWhenEnabled() {
        assertTrue(runner.engines().stream().anyMatch(e -> e.name().equals("auth")));
    }

    @Test
    void dmarcRejectFromTheApiEnvelopeIsQuarantinedByTheDefaultPolicy() {
        post(mail("ceo@reject.test"))
                .queryParam("clientIp", "203.0.113.5").queryParam("helo", "mx.elsewhere.test")
                .queryParam("mailFrom", "billing@reject.test").queryParam("rcpt", "bob@example.com")
                .queryParam("rcpt", "carol@example.com")
                .when().post("/api/v1/scan")
                .then().statusCode(200)
                .body("action", equalTo("quarantine"))
                .body("ruleId", equalTo("dmarc-reject-quarantine"))
                .body("symbols", hasItems("SPF_FAIL", "DKIM_NONE", "DMARC_FAIL", "DMARC_REJECT"))
                .body("findings.find { it.symbol == 'SPF_FAIL' }.detail",
                        equalTo("mfrom=reject.test ip=203.0.113.5: matched -all"))
                .body("findings.find { it.symbol == 'DMARC_REJECT' }.category", equalTo("SPAM"));
    }

    @Test
    void theKafkaPathPassesTheEdgeEnvelopeToTheEngine() {
        Envelope edge = new Envelope("billing@reject.test", List.of("bob@example.com"), "mx.elsewhere.test",
                "203.0.113.5", true);
        ScanOutcome o = scanner.scan("auth-1", edge, mail("ceo@reject.test").getBytes(StandardCharsets.US_ASCII),
                List.of());
        assertEquals(Action.QUARANTINE, o.decision().action());
        assertEquals("dmarc-reject-quarantine", o.decision().ruleId());
        assertTrue(o.findings().stream().map(Finding::symbol).toList().containsAll(List.of("SPF_FAIL", "DMARC_REJECT")),
                o.findings().toString());
    }

    @Test
    void theSameMailFromTheAuthorizedServerPassesAndIsDelivered() {
        post(mail("ceo@reject.test"))
                .queryParam("clientIp", "192.0.2.10").queryParam("helo", "mx.reject.test")
                .queryParam("mailFrom", "<billing@reject.test>")
                .when().post("/api/v1/scan")
                .then().statusCode(200)
                .body("action", equalTo("deliver"))
                .body("symbols", hasItems("SPF_PASS", "DMARC_PASS"))
                .body("symbols", not(hasItem("DMARC_REJECT")));
    }

    @Test
    void withoutEnvelopeSpfIsSkippedAndAValidSignaturePassesDmarc() throws Exception {
        post(signed(mail("alice@signed.test")))
                .when().post("/api/v1/scan")
                .then().statusCode(200)
                .body("action", equalTo("deliver"))
                .body("symbols", hasItems("SPF_SKIPPED", "DKIM_VALID", "DMARC_PASS"))
                .body("findings.find { it.symbol == 'DKIM_VALID' }.detail", equalTo("d=signed.test s=s1"))
                .body("findings.find { it.symbol == 'SPF_SKIPPED' }.detail",
                        equalTo("no envelope: SPF not evaluated"));
    }

    @Test
    void aBodyChangedAfterSigningFailsDkimAndDmarc() throws Exception {
        post(signed(mail("alice@signed.test")).replace("at noon", "at one"))
                .when().post("/api/v1/scan")
                .then().statusCode(200)
                .body("action", equalTo("quarantine"))
                .body("findings.find { it.symbol == 'DKIM_INVALID' }.detail",
                        equalTo("d=signed.test s=s1: body hash mismatch"))
                .body("symbols", hasItem("DMARC_REJECT"));
    }

    @Test
    void aDnsTimeoutIsTemperrorAndDoesNotHoldTheMessage() {
        post(mail("alice@slow.test"))
                .queryParam("clientIp", "192.0.2.10").queryParam("mailFrom", "alice@slow.test")
                .when().post("/api/v1/scan")
                .then().statusCode(200)
                .body("action", equalTo("deliver"))
                .body("symbols", hasItems("SPF_PASS", "DMARC_TEMPERROR"))
                .body("findings.find { it.symbol == 'DMARC_TEMPERROR' }.category", equalTo("INFO"));
    }

    @Test
    void badEnvelopeParametersAre400NamingTheParameter() {
        record Bad(String param, String value) {
        }
        for (Bad b : List.of(
                new Bad("clientIp", "999.1.1.1"), new Bad("clientIp", "mail.example.com"),
                new Bad("clientIp", "1.2.3.4; rm -rf /"), new Bad("clientIp", "fe80::1%eth0"),
                new Bad("clientIp", "1".repeat(3000)),
                new Bad("helo", "bad name"), new Bad("helo", "a..b"), new Bad("helo", "evil\r\nX-Injected: 1"),
                new Bad("helo", "[not-an-ip]"), new Bad("helo", "x".repeat(300)),
                new Bad("mailFrom", "no-at-sign"), new Bad("mailFrom", "a@"), new Bad("mailFrom", "@b.test"),
                new Bad("mailFrom", "a b@c.test"), new Bad("mailFrom", "a@b..test"),
                new Bad("mailFrom", "a@b.test>\r\nRCPT TO:<x@y.test"), new Bad("mailFrom", "<script>@x.test"),
                new Bad("mailFrom", "x".repeat(70) + "@b.test"), new Bad("mailFrom", "a@" + "b".repeat(300) + ".test"),
                new Bad("rcpt", "nobody"), new Bad("rcpt", "a@b.test\u0000"))) {
            String error = post(mail("a@b.test")).queryParam(b.param(), b.value())
                    .when().post("/api/v1/scan")
                    .then().statusCode(400).contentType("application/json").extract().path("error");
            assertTrue(error != null && error.startsWith(b.param() + ": "), b + " gave " + error);
        }
        RequestSpecification many = post(mail("a@b.test"));
        for (int i = 0; i <= 100; i++) {
            many.queryParam("rcpt", "r" + i + "@example.com");
        }
        many.when().post("/api/v1/scan").then().statusCode(400).body("error", containsString("more than 100"));
    }

    @Test
    void goodEnvelopeValuesAreAccepted() {
        post(mail("a@reject.test"))
                .queryParam("clientIp", "[2001:db8::1]").queryParam("helo", "[192.0.2.1]")
                .queryParam("mailFrom", "<>").queryParam("rcpt", "\"john doe\"@example.com")
                .when().post("/api/v1/scan")
                .then().statusCode(200)
                .body("findings.find { it.symbol.startsWith('SPF_') }.symbol", equalTo("SPF_NONE"));
    }
}
