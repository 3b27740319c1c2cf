package io.portcullis.scanner.signatures;

import static io.portcullis.scanner.support.Bundles.BUCKET;
import static io.portcullis.scanner.support.Bundles.ascii;
import static io.portcullis.scanner.support.TestMessages.EICAR;
import static io.portcullis.scanner.support.TestMessages.withAttachment;
import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.greaterThan;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.not;
import static org.hamcrest.Matchers.nullValue;
import static org.hamcrest.Matchers.startsWith;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

import io.portcullis.contracts.events.Action;
import io.portcullis.contracts.events.BodyRef;
import io.portcullis.contracts.events.Envelope;
import io.portcullis.contracts.events.EventJson;
import io.portcullis.contracts.events.MailReceived;
import io.portcullis.contracts.events.SignatureBundleActivated;
import io.portcullis.contracts.events.VerdictIssued;
import io.portcullis.scanner.engine.BayesEngine;
import io.portcullis.scanner.support.Bundles;
import io.portcullis.scanner.support.FakeCentralResource;
import io.portcullis.scanner.support.InMemoryBodyStore;
import io.portcullis.scanner.support.KafkaTestResource;
import io.quarkus.test.common.TestResourceScope;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import io.smallrye.reactive.messaging.memory.InMemoryConnector;
import io.smallrye.reactive.messaging.memory.InMemorySink;
import jakarta.enterprise.inject.Any;
import jakarta.inject.Inject;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.eclipse.microprofile.config.ConfigProvider;
import org.eclipse.microprofile.reactive.messaging.Message;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * The scanner side of live signature updates and Smart Scan, through the application: in-memory Kafka, in-memory S3,
 * a fake policy-service (signatures and hash reputation). Ordered: each step builds on the bundle of the previous.
 */
@QuarkusTest
@WithTestResource(value = KafkaTestResource.class, scope = TestResourceScope.MATCHING_RESOURCES)
@WithTestResource(value = FakeCentralResource.class, scope = TestResourceScope.MATCHING_RESOURCES)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class SignatureUpdateFlowTest {
    private static final byte[] ONLY_V1_KNOWS = ascii("PORTCULLIS-FLOW-MARKER-ONLY-IN-BUNDLE-2026112701");
    private static final byte[] ONLY_V2_KNOWS = ascii("PORTCULLIS-FLOW-MARKER-ONLY-IN-BUNDLE-2026112702");

    @Inject
    @Any
    InMemoryConnector connector;

    @Inject
    InMemoryBodyStore store;

    private static byte[] bundle(String name, byte[] marker) {
        return Bundles.tar(Map.of("daily.ndb", ascii(Bundles.ndb(name, marker))));
    }

    private void announce(SignatureBundleActivated event) {
        connector.source("signature-bundles").send(EventJson.write(event));
    }

    private SignatureBundleActivated publish(String version, byte[] tar, String reason) {
        store.put(BUCKET, Bundles.key(version), tar);
        return Bundles.event(version, tar, reason);
    }

    private static JsonPath status() {
        return given().when().get("/api/v1/signatures/status").then().statusCode(200).extract().jsonPath();
    }

    private static void awaitVersion(String version) {
        await().atMost(Duration.ofSeconds(20)).until(() -> {
            JsonPath s = status();
            return version.equals(s.getString("version")) && s.getString("loading") == null;
        });
    }

    /**
     * Neither a virus nor a scan failure. (Not "deliver": the attachment-only test message with two words of text is
     * spammy to the Bayes classifier, BAYES_95 with the shipped model, so the default policy tags it.)
     */
    private static void assertNotDetected(JsonPath r) {
        assertEquals(false, r.getBoolean("virus"), r.prettify());
        assertEquals(List.of(), r.getList("findings.findAll { it.category == 'VIRUS' || it.category == 'FAILURE' }"),
                r.prettify());
        assertNotEquals("quarantine", r.getString("action"));
    }

    private static JsonPath scan(byte[] attachment) {
        return given().contentType("message/rfc822").body(withAttachment("file.bin", attachment))
                .when().post("/api/v1/scan").then().statusCode(200).extract().jsonPath();
    }

    @Test
    @Order(1)
    void startsOnTheBaseSetWhenPolicyServiceHasNoBundle() {
        JsonPath s = status();
        assertEquals("base", s.getString("version"));
        assertEquals("bundled", s.getString("source"));
        assertEquals(true, s.getBoolean("updates"));
        assertEquals(true, s.getBoolean("smartScan.enabled"));
        assertEquals(0, s.getInt("signatures.md5"), "Smart Scan: no local hash signatures");
        assertEquals(1, s.getInt("signatures.body"), "the bundled EICAR body signature");
        JsonPath r = scan(ONLY_V1_KNOWS);
        assertNotDetected(r);
        assertEquals("base", r.getString("engineVersions.antivirus"));
    }

    @Test
    @Order(2)
    void bundleAnnouncedOnKafkaIsSwappedInAndDetectsWhatOnlyItKnows() {
        announce(publish("2026112701", bundle("Win.Trojan.FlowUpdate-1", ONLY_V1_KNOWS), "publish"));
        awaitVersion("2026112701");
        JsonPath s = status();
        assertEquals("bundle portcullis-signatures/bundles/2026112701.tar (publish)", s.getString("source"));
        assertEquals(2, s.getInt("signatures.body"));

        JsonPath r = scan(ONLY_V1_KNOWS);
        assertEquals("quarantine", r.getString("action"));
        assertEquals(List.of("AV_TROJAN"), r.getList("symbols.findAll { !it.startsWith('BAYES_') }"));
        assertEquals("Win.Trojan.FlowUpdate-1 in part/2", r.getString("findings[0].detail"));
        assertEquals("2026112701", r.getString("engineVersions.antivirus"));
        assertEquals(List.of("Eicar-Test-Signature in part/2"),
                scan(ascii(EICAR)).getList("findings.findAll { !it.symbol.startsWith('BAYES_') }.detail"),
                "the bundled base set is still part of it");
    }

    @Test
    @Order(3)
    void verdictsRecordTheSignatureVersionTheyWereScannedWith() throws Exception {
        InMemorySink<byte[]> verdicts = connector.sink("mail-verdict");
        verdicts.clear();
        byte[] body = withAttachment("file.bin", ONLY_V1_KNOWS);
        BodyRef ref = BodyRef.inline(body, Bundles.sha256(body));
        MailReceived mail = new MailReceived("Qflow1", "default", Instant.now(), "edge-1",
                new Envelope("a@example.net", List.of("b@example.com"), "c.example.net", "192.0.2.1", true), ref);
        connector.source("mail-received").send(Message.of(EventJson.write(mail)));
        await().atMost(Duration.ofSeconds(20)).until(() -> !verdicts.received().isEmpty());
        VerdictIssued v = EventJson.read(verdicts.received().get(0).getPayload(), VerdictIssued.class);
        assertEquals("Qflow1", v.messageId());
        assertEquals(Action.QUARANTINE, v.action());
        assertEquals(Map.of("antivirus", "2026112701", "bayes", BayesEngine.versionOf(BayesEngine.load(
                java.util.Optional.empty()))), v.engineVersions());
    }

    @Test
    @Order(4)
    void badBundleKeepsTheCurrentSetAndShowsTheError() {
        SignatureBundleActivated good = publish("2026112709", bundle("Win.Trojan.Never-1", ONLY_V2_KNOWS), "publish");
        announce(new SignatureBundleActivated(good.tenant(), good.version(), good.bucket(), good.objectKey(),
                "ab".repeat(32), good.size(), good.activatedAt(), "publish"));
        await().atMost(Duration.ofSeconds(20)).until(() -> {
            JsonPath s = status();
            return s.getString("lastError.message") != null && s.getInt("lastError.attempt") == 2
                    && s.getString("loading") == null;
        });
        JsonPath s = status();
        assertEquals("2026112701", s.getString("version"));
        assertEquals("2026112709", s.getString("lastError.version"));
        given().when().get("/api/v1/signatures/status").then()
                .body("lastError.message", containsString("SHA-256 mismatch"));
        assertNotDetected(scan(ONLY_V2_KNOWS));
        given().when().get("/q/health/ready").then().statusCode(200)
                .body("checks.find { it.name == 'signatures' }.status", equalTo("UP"))
                .body("checks.find { it.name == 'signatures' }.data.version", equalTo("2026112701"))
                .body("checks.find { it.name == 'signatures' }.data.lastError", containsString("SHA-256 mismatch"));
    }

    @Test
    @Order(5)
    void newerBundleThenRollbackToTheOlderOne() {
        SignatureBundleActivated v1 = Bundles.event("2026112701", bundle("Win.Trojan.FlowUpdate-1", ONLY_V1_KNOWS),
                "rollback");
        announce(publish("2026112702", bundle("Win.Trojan.FlowUpdate-2", ONLY_V2_KNOWS), "publish"));
        awaitVersion("2026112702");
        assertNotDetected(scan(ONLY_V1_KNOWS));
        assertEquals("quarantine", scan(ONLY_V2_KNOWS).getString("action"));
        announce(v1);
        awaitVersion("2026112701");
        given().when().get("/api/v1/signatures/status").then().body("source", containsString("(rollback)"))
                .body("lastError", nullValue());
        assertEquals("quarantine", scan(ONLY_V1_KNOWS).getString("action"));
        assertNotDetected(scan(ONLY_V2_KNOWS));
    }

    @Test
    @Order(6)
    void smartScanAsksTheCentralServiceAndCachesTheAnswer() {
        JsonPath r = scan(FakeCentralResource.CENTRAL_KNOWN);
        assertEquals("quarantine", r.getString("action"));
        assertEquals("AV_TROJAN", r.getString("findings[0].symbol"));
        assertEquals("Win.Trojan.CentralOnly-1 in part/2 (smart scan)", r.getString("findings[0].detail"));
        long hits = status().getLong("smartScan.hits");
        scan(FakeCentralResource.CENTRAL_KNOWN);
        given().when().get("/api/v1/signatures/status").then()
                .body("smartScan.hits", greaterThan((int) hits))
                .body("smartScan.failures", equalTo(0))
                .body("smartScan.centralVersion", equalTo("central-1"));
    }

    @Test
    @Order(7)
    void metricsShowTheVersionInUseAndTheLoads() {
        String metrics = given().when().get("/q/metrics").then().statusCode(200).extract().asString();
        assertThat(metrics, containsString("portcullis_signatures_info{"));
        assertThat(metrics, containsString("version=\"2026112701\""));
        assertThat(metrics, not(containsString("version=\"2026112702\"")));
        assertThat(metrics, containsString("portcullis_signatures_loaded_seconds"));
        assertThat(metrics, containsString("portcullis_signatures_load_failures_total 2.0"));
        assertThat(metrics, containsString("portcullis_signatures_load_duration_seconds_count 3"));
        assertThat(List.of(metrics.split("\n")), hasItem(
                startsWith("portcullis_signatures_info{source=\"bundle\",version=\"2026112701\"} 1")));
    }

    @Test
    @Order(8)
    void bundleActiveAtPolicyServiceIsFoundByPollingWithoutAnAnnouncement() {
        byte[] tar = bundle("Win.Trojan.FlowUpdate-3", ONLY_V2_KNOWS);
        store.put(BUCKET, Bundles.key("2026112703"), tar);
        String active = """
                {"version":"2026112703","bucket":"portcullis-signatures","objectKey":"bundles/2026112703.tar",
                 "sha256":"%s","size":%d,"files":["daily.ndb"],"signatures":{"ndb":1},"active":true,
                 "createdAt":"2026-11-27T06:00:00Z"}""".formatted(Bundles.sha256(tar), tar.length);
        String central = ConfigProvider.getConfig()
                .getValue("portcullis.policy.url", String.class);
        given().baseUri(central).body(active).when().post("/fake/active").then().statusCode(204);
        awaitVersion("2026112703");
        given().when().get("/api/v1/signatures/status").then()
                .body("source", equalTo("bundle portcullis-signatures/bundles/2026112703.tar (active)"));
        assertEquals("quarantine", scan(ONLY_V2_KNOWS).getString("action"));
    }
}
