package io.portcullis.scanner.rest;

import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.startsWith;
import static org.hamcrest.Matchers.greaterThan;
import static org.hamcrest.Matchers.greaterThanOrEqualTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.hasItems;
import static org.hamcrest.Matchers.lessThan;
import static org.hamcrest.Matchers.matchesPattern;
import static org.hamcrest.Matchers.not;
import static org.hamcrest.Matchers.nullValue;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.portcullis.scanner.engine.EngineRunner;
import io.portcullis.scanner.engine.SpamRulesMessages;
import io.portcullis.scanner.support.KafkaTestResource;
import io.portcullis.scanner.support.TestMessages;
import io.quarkus.test.common.TestResourceScope;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.restassured.path.json.JsonPath;
import jakarta.inject.Inject;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The spam rule engine with the shipped rules and a site directory, through {@code POST /api/v1/scan} and
 * {@code GET /api/v1/spam/rules/status} (the %test profile turns the rules off for every other test).
 */
@QuarkusTest
@TestProfile(SpamRulesScanResourceTest.RulesOn.class)
@WithTestResource(value = KafkaTestResource.class, scope = TestResourceScope.MATCHING_RESOURCES)
class SpamRulesScanResourceTest {
    static final Path SITE_DIR;

    static {
        try {
            SITE_DIR = Files.createTempDirectory("portcullis-site-rules");
            Files.writeString(SITE_DIR.resolve("site.cf"), "body SITE_WORD /limited time/\nscore SITE_WORD 0.7\n"
                    + "describe SITE_WORD site rule\n");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Rules on (the default outside tests), one site directory checked every 200 ms. */
    public static class RulesOn implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("portcullis.scanner.rules.enabled", "true", "portcullis.scanner.rules.dirs",
                    SITE_DIR.toString(), "portcullis.scanner.rules.reload-interval", "200MS");
        }
    }

    @Inject
    EngineRunner runner;

    @Test
    void rulesRunByDefault() {
        assertTrue(runner.engines().stream().anyMatch(e -> e.name().equals("rules")));
    }

    @Test
    void bulkMailShowsRuleSymbolsAndTheirScoresAddUp() {
        JsonPath json = given().contentType("message/rfc822").body(SpamRulesMessages.BULK.getBytes(java.nio.charset.StandardCharsets.US_ASCII))
                .when().post("/api/v1/scan")
                .then().statusCode(200)
                .body("spam", equalTo(true))
                .body("symbols", hasItems("SUBJ_ADV", "MSGID_OUTLOOK_INVALID", "URI_IP_LITERAL",
                        "BODY_NOT_SPAM_CLAIM", "SITE_WORD"))
                .body("findings.find { it.symbol == 'SITE_WORD' }.detail", equalTo("site rule"))
                .body("findings.find { it.symbol == 'SUBJ_ADV' }.category", equalTo("SPAM"))
                .body("findings.find { it.symbol == 'SUBJ_ADV' }.score", equalTo(1.5f))
                .body("findings.find { it.symbol == 'URI_IP_LITERAL' }.detail",
                        equalTo("Link to a numeric IP address instead of a host name"))
                .body("engineVersions.rules", matchesPattern("rules-[0-9a-f]{12}"))
                .extract().jsonPath();
        List<Float> spamScores = json.getList("findings.findAll { it.category == 'SPAM' }.score", Float.class);
        double sum = spamScores.stream().mapToDouble(Float::doubleValue).sum();
        assertEquals(sum, json.getDouble("score"), 1e-3);
        List<Float> ruleScores = json.getList("findings.findAll { it.category == 'SPAM' && !it.symbol.startsWith("
                + "'BAYES_') }.score", Float.class);
        assertTrue(ruleScores.stream().mapToDouble(Float::doubleValue).sum() >= 5.0, ruleScores.toString());
    }

    @Test
    void gtubeStillWorksBesideTheRules() {
        given().contentType("message/rfc822").body(TestMessages.plain("test", TestMessages.GTUBE))
                .when().post("/api/v1/scan")
                .then().statusCode(200)
                .body("spam", equalTo(true))
                .body("symbols", hasItem("GTUBE"));
    }

    @Test
    void threadedReplyGetsANegativeRuleScore() {
        given().contentType("message/rfc822").body(SpamRulesMessages.REPLY.getBytes(java.nio.charset.StandardCharsets.US_ASCII))
                .when().post("/api/v1/scan")
                .then().statusCode(200)
                .body("spam", equalTo(false))
                .body("symbols", hasItem("REPLY_THREADED"))
                .body("findings.find { it.symbol == 'REPLY_THREADED' }.score", lessThan(0f));
    }

    @Test
    void statusShowsTheSetInUse() {
        given().when().get("/api/v1/spam/rules/status")
                .then().statusCode(200)
                .body("enabled", equalTo(true))
                .body("version", matchesPattern("rules-[0-9a-f]{12}"))
                .body("hash", matchesPattern("sha256:[0-9a-f]{64}"))
                .body("rules", greaterThan(40))
                .body("scoredRules", greaterThanOrEqualTo(30))
                .body("files[0]", equalTo("classpath:spam/rules/10-headers.cf"))
                .body("files", hasItem(SITE_DIR.resolve("site.cf").toString()))
                .body("lastError", nullValue())
                .body("loadedAt", not(nullValue()));
    }

    @Test
    void aBadSiteFileIsReportedAndTheSetInUseStays() throws Exception {
        String version = given().when().get("/api/v1/spam/rules/status").then().statusCode(200)
                .extract().path("version");
        Path bad = SITE_DIR.resolve("zz-bad.cf");
        Files.writeString(bad, "body OK_RULE /x/\nbody BROKEN /(?<=x)y/\n");
        try {
            await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> given().when()
                    .get("/api/v1/spam/rules/status").then()
                    .body("lastError.problems[0]", startsWith(bad + ":2: bad pattern"))
                    .body("failedReloads", greaterThanOrEqualTo(1))
                    .body("version", equalTo(version)));
            given().contentType("message/rfc822")
                    .body(SpamRulesMessages.BULK.getBytes(java.nio.charset.StandardCharsets.US_ASCII))
                    .when().post("/api/v1/scan")
                    .then().statusCode(200)
                    .body("symbols", hasItem("SITE_WORD"))
                    .body("symbols", not(hasItem("OK_RULE")))
                    .body("engineVersions.rules", equalTo(version));
        } finally {
            Files.delete(bad);
        }
        await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> given().when()
                .get("/api/v1/spam/rules/status").then().body("lastError", nullValue()));
    }
}
