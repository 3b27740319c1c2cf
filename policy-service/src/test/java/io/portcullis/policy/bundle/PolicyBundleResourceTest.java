package io.portcullis.policy.bundle;

import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.not;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.portcullis.contracts.events.EventJson;
import io.portcullis.contracts.policy.PolicySnapshot;
import io.portcullis.policy.InMemoryKafkaResource;
import io.portcullis.policy.PolicyDatabase;
import io.portcullis.policy.engine.CompiledPolicy;
import io.portcullis.policy.engine.Decision;
import io.portcullis.policy.engine.Directory;
import io.portcullis.policy.engine.PolicyInput;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.path.json.JsonPath;
import jakarta.inject.Inject;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Signed policy bundles: export, import, tampering, atomicity, sources, outbreak rules and their expiry. */
@QuarkusTest
@QuarkusTestResource(InMemoryKafkaResource.class)
class PolicyBundleResourceTest {
    static final String BASE = "/api/v1/policy";
    static final String BUNDLE = BASE + "/bundle";
    static final String ACTOR = "X-Portcullis-Actor";
    static final String FULL = """
            {"id":"big-outbound","name":"Hold large outbound mail from sales","priority":3,"direction":"OUTBOUND",
             "scope":{"senders":["*@sales.example.com","group:sales"],"exceptSenders":["boss@sales.example.com"]},
             "conditions":[{"type":"message-size","operator":">","threshold":10485760},
                           {"type":"time-of-day","values":["Mon-Fri 08:00-18:00"],"field":"Europe/Berlin"}],
             "actions":[{"type":"defer","value":"22:00-06:00 Europe/Berlin"},{"type":"tag-subject","value":"[late] "}],
             "enabled":false}
            """;

    @Inject
    PolicyDatabase database;

    @Inject
    BundleSigner signer;

    @Inject
    RuleExpiryJob expiry;

    @Inject
    ObjectMapper mapper;

    @BeforeEach
    void reset() {
        await().atMost(Duration.ofSeconds(30)).until(() -> database.count("outbox") == 0);
        database.resetToSeed();
    }

    @AfterEach
    void drain() {
        await().atMost(Duration.ofSeconds(30)).until(() -> database.count("outbox") == 0);
    }

    static PolicySnapshot snapshot() {
        return EventJson.read(given().get(BASE + "/snapshot").then().statusCode(200).extract().asByteArray(),
                PolicySnapshot.class);
    }

    static String export() {
        return given().get(BUNDLE).then().statusCode(200).body("format", equalTo(1))
                .body("source", equalTo("test-cluster")).body("signature.algorithm", equalTo("HMAC-SHA256"))
                .extract().asString();
    }

    static List<String> ruleIds() {
        return given().get(BASE + "/rules").then().statusCode(200).extract().jsonPath().getList("id");
    }

    String signed(String json) throws Exception {
        ObjectNode node = (ObjectNode) mapper.readTree(json);
        ObjectNode signature = node.putObject("signature");
        signature.put("algorithm", "HMAC-SHA256");
        signature.put("value", signer.sign(node));
        return mapper.writeValueAsString(node);
    }

    static JsonPath importBundle(String body, int status) {
        return given().contentType(ContentType.JSON).header(ACTOR, "central-admin").body(body).post(BUNDLE)
                .then().statusCode(status).extract().jsonPath();
    }

    @Test
    void exportImportOnAnEmptyPolicyExportGivesTheSameRules() {
        given().contentType(ContentType.JSON).body(FULL).post(BASE + "/rules").then().statusCode(201);
        String first = export();
        List<Map<String, Object>> rules = JsonPath.from(first).getList("rules");
        assertEquals(11, rules.size());
        assertEquals(false, JsonPath.from(first).get("rules.find { it.id == 'big-outbound' }.enabled"));

        for (String id : ruleIds()) {
            given().delete(BASE + "/rules/" + id).then().statusCode(204);
        }
        assertEquals(List.of(), ruleIds());
        long before = snapshot().version();

        JsonPath result = importBundle(first, 200);
        assertEquals(11, result.getInt("created"));
        assertEquals(0, result.getInt("replaced"));
        assertEquals(0, result.getInt("removed"));
        assertEquals(before + 1, result.getLong("policyVersion"), "one import, one version");
        assertEquals(before + 1, snapshot().version());

        String second = export();
        assertEquals(rules, JsonPath.from(second).getList("rules"), "the same rules round-trip");
        given().get(BASE + "/rules/big-outbound").then().statusCode(200).body("source", equalTo("test-cluster"))
                .body("enabled", equalTo(false)).body("conditions[1].field", equalTo("Europe/Berlin"));
        JsonPath audit = given().get(BASE + "/audit?limit=11").then().extract().jsonPath();
        assertTrue(audit.getList("operation").stream().allMatch("bundle.import"::equals));
        assertTrue(audit.getList("actor").stream().allMatch("central-admin"::equals));
        assertTrue(audit.getList("version", Long.class).stream().allMatch(v -> v == before + 1));

        JsonPath again = importBundle(second, 200);
        assertEquals(0, again.getInt("created"));
        assertEquals(11, again.getInt("replaced"));
    }

    @Test
    void aTamperedUnsignedOrForeignKeyedBundleIsRefusedAndNothingChanges() throws Exception {
        String bundle = export();
        long version = snapshot().version();
        List<String> ids = ruleIds();

        String tampered = bundle.replace("\"priority\":10,", "\"priority\":1,");
        assertNotEquals(bundle, tampered);
        given().contentType(ContentType.JSON).body(tampered).post(BUNDLE).then().statusCode(400)
                .body("field", equalTo("signature")).body("error", org.hamcrest.Matchers.containsString("changed"));

        ObjectNode unsigned = (ObjectNode) mapper.readTree(bundle);
        unsigned.remove("signature");
        given().contentType(ContentType.JSON).body(unsigned.toString()).post(BUNDLE).then().statusCode(400)
                .body("field", equalTo("signature"));

        ObjectNode foreign = (ObjectNode) mapper.readTree(bundle);
        foreign.remove("signature");
        Mac mac = Mac.getInstance("HmacSHA256");
        mac.init(new SecretKeySpec("another-cluster-key-0123456789-xyz".getBytes(StandardCharsets.UTF_8),
                "HmacSHA256"));
        String value = Base64.getEncoder().encodeToString(mac.doFinal(BundleSigner.canonical(foreign)));
        foreign.putObject("signature").put("algorithm", "HMAC-SHA256").put("value", value);
        given().contentType(ContentType.JSON).body(foreign.toString()).post(BUNDLE).then().statusCode(400)
                .body("field", equalTo("signature"));

        assertEquals(version, snapshot().version());
        assertEquals(ids, ruleIds());
        assertEquals(0, database.count("policy_audit"));

        // the signature covers content, not layout: re-indented with members reordered it still verifies
        ObjectNode original = (ObjectNode) mapper.readTree(bundle);
        ObjectNode reordered = mapper.createObjectNode();
        reordered.set("signature", original.get("signature"));
        reordered.set("rules", original.get("rules"));
        original.fieldNames().forEachRemaining(n -> reordered.set(n, original.get(n)));
        importBundle(mapper.writerWithDefaultPrettyPrinter().writeValueAsString(reordered), 200);
    }

    @Test
    void aBundleWithOneBadRuleChangesNothing() throws Exception {
        String bundle = signed("""
                {"format":1,"source":"central","created":"2026-11-27T10:00:00Z","policyVersion":7,"outbreak":false,
                 "rules":[{"id":"c-good","name":"good","priority":1,"actions":[{"type":"deliver"}]},
                          {"id":"c-bad","name":"bad","priority":2,
                           "conditions":[{"type":"message-size","operator":"~","threshold":1}],
                           "actions":[{"type":"delete"}]}]}
                """);
        long version = snapshot().version();
        given().contentType(ContentType.JSON).body(bundle).post(BUNDLE).then().statusCode(400)
                .body("field", equalTo("rules[1].conditions[0].operator"));
        assertEquals(version, snapshot().version());
        given().get(BASE + "/rules/c-good").then().statusCode(404);
        assertEquals(0, database.count("policy_audit"));

        given().contentType(ContentType.JSON).body(signed("""
                {"format":1,"source":"central","rules":[{"id":"x","name":"x","priority":1,"actions":[{"type":"deliver"}],
                 "surprise":1}]}
                """)).post(BUNDLE).then().statusCode(400).body("field", equalTo("rules[0].surprise"));
        given().contentType(ContentType.JSON).body(signed("""
                {"format":2,"source":"central","rules":[]}
                """)).post(BUNDLE).then().statusCode(400).body("field", equalTo("format"));
        given().contentType(ContentType.JSON).body(signed("""
                {"format":1,"source":"central","rules":[{"id":"d","name":"d","priority":1,"actions":[{"type":"deliver"}]},
                 {"id":"d","name":"d2","priority":2,"actions":[{"type":"deliver"}]}]}
                """)).post(BUNDLE).then().statusCode(400).body("field", equalTo("rules[1].id"));
        given().contentType(ContentType.JSON).body(signed("""
                {"format":1,"source":"central","expiresAt":"2030-01-01T00:00:00Z","rules":[]}
                """)).post(BUNDLE).then().statusCode(400).body("field", equalTo("expiresAt"));
        assertEquals(version, snapshot().version());
    }

    @Test
    void aBundleReplacesOnlyTheRulesOfEarlierBundlesFromTheSameSource() throws Exception {
        String v1 = """
                {"format":1,"source":"central","rules":[
                 {"id":"c1","name":"c1","priority":1,"conditions":[{"type":"symbol","values":["GTUBE"]}],
                  "actions":[{"type":"delete"}]},
                 {"id":"c2","name":"c2","priority":2,"conditions":[{"type":"attachment-extension","values":["iso"]}],
                  "actions":[{"type":"quarantine","value":"iso"}]}]}
                """;
        JsonPath first = importBundle(signed(v1), 200);
        assertEquals(2, first.getInt("created"));
        importBundle(signed("""
                {"format":1,"source":"branch","rules":[{"id":"b1","name":"b1","priority":3,
                 "actions":[{"type":"bcc","addresses":["archive@example.com"]}]}]}
                """), 200);
        JsonPath second = importBundle(signed("""
                {"format":1,"source":"central","rules":[
                 {"id":"c1","name":"c1 v2","priority":1,"conditions":[{"type":"symbol","values":["GTUBE"]}],
                  "actions":[{"type":"reject","value":"not here"}]}]}
                """), 200);
        assertEquals(0, second.getInt("created"));
        assertEquals(1, second.getInt("replaced"));
        assertEquals(1, second.getInt("removed"));
        List<String> ids = ruleIds();
        assertTrue(ids.containsAll(List.of("c1", "b1", "virus-quarantine", "spam-tag")), ids.toString());
        assertTrue(!ids.contains("c2"), ids.toString());
        given().get(BASE + "/rules/c1").then().body("actions[0].type", equalTo("reject"))
                .body("source", equalTo("central"));
        given().get(BASE + "/audit?limit=2").then().body("operation", equalTo(List.of("bundle.import",
                "bundle.import"))).body("target", hasItem("c2"));
    }

    @Test
    void anOutbreakRuleAppliesUntilItExpiresAndIsThenRemovedByTheJob() {
        given().contentType(ContentType.JSON).body("""
                {"id":"outbreak-zip","name":"Outbreak: delete zipped executables","priority":1,
                 "conditions":[{"type":"attachment-name","values":["invoice*.zip"]}],"actions":[{"type":"delete"}]}
                """).post(BASE + "/rules").then().statusCode(201);
        Instant expires = Instant.now().plus(1, ChronoUnit.HOURS).truncatedTo(ChronoUnit.SECONDS);
        given().get(BUNDLE + "?outbreak=true").then().statusCode(400).body("field", equalTo("expiresAt"));
        given().get(BUNDLE + "?rule=no-such-rule").then().statusCode(404);
        String outbreak = given().get(BUNDLE + "?outbreak=true&expiresAt=" + expires + "&rule=outbreak-zip").then()
                .statusCode(200).body("outbreak", equalTo(true)).body("expiresAt", equalTo(expires.toString()))
                .body("rules.id", equalTo(List.of("outbreak-zip"))).extract().asString();
        long beforeRefused = snapshot().version();
        given().contentType(ContentType.JSON).body(outbreak).post(BUNDLE).then().statusCode(409)
                .body("field", equalTo("rules[0].id"));
        assertEquals(beforeRefused, snapshot().version(), "an outbreak never replaces a permanent rule");
        given().get(BASE + "/rules/outbreak-zip").then().statusCode(200).body("outbreak", equalTo(false));
        given().delete(BASE + "/rules/outbreak-zip").then().statusCode(204);
        int seeded = ruleIds().size();

        JsonPath result = importBundle(outbreak, 200);
        assertEquals(true, result.getBoolean("outbreak"));
        assertEquals(1, result.getInt("created"));
        assertEquals(seeded + 1, ruleIds().size(), "an outbreak bundle adds; it removes nothing");
        given().get(BASE + "/rules/outbreak-zip").then().statusCode(200).body("outbreak", equalTo(true))
                .body("expiresAt", equalTo(expires.toString())).body("source", equalTo("test-cluster"));

        // scanners apply it until it expires, and ignore it afterwards even before it is removed
        CompiledPolicy policy = CompiledPolicy.compile(snapshot());
        List<io.portcullis.policy.engine.AttachmentInfo> zip = List.of(
                new io.portcullis.policy.engine.AttachmentInfo("part/2", "invoice-77.zip", "application/zip", 900));
        Decision now = policy.evaluate(new PolicyInput("a@b.example", List.of("u@example.com"), 1000, List.of(),
                Map.of(), zip, Instant.now()), Directory.NONE).groups().get(0).decision();
        assertEquals("outbreak-zip", now.main().ruleId());
        assertEquals("delete", now.action());
        Decision later = policy.evaluate(new PolicyInput("a@b.example", List.of("u@example.com"), 1000, List.of(),
                Map.of(), zip, expires.plusSeconds(1)), Directory.NONE).groups().get(0).decision();
        assertEquals("deliver", later.action());

        long version = snapshot().version();
        assertEquals(0, expiry.removeExpired(expires.minusSeconds(1)), "not yet");
        assertEquals(version, snapshot().version());
        assertEquals(1, expiry.removeExpired(expires));
        given().get(BASE + "/rules/outbreak-zip").then().statusCode(404);
        assertEquals(version + 1, snapshot().version());
        given().get(BASE + "/audit?limit=1").then().body("[0].operation", equalTo("rule.expire"))
                .body("[0].actor", equalTo("system")).body("[0].target", equalTo("outbreak-zip"))
                .body("[0].before.expiresAt", equalTo(expires.toString()));
        assertEquals(0, expiry.removeExpired(expires.plusSeconds(60)));
        assertEquals(version + 1, snapshot().version());
        given().get(BASE + "/snapshot").then().body("rules.id", not(hasItem("outbreak-zip")));
        assertTrue(snapshot().rules().stream().noneMatch(r -> r.id().equals("outbreak-zip")));
    }
}
