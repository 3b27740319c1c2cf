package io.portcullis.policy.rest;

import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.portcullis.contracts.policy.NotificationTemplate;
import io.portcullis.policy.PolicyDatabase;
import io.portcullis.policy.InMemoryKafkaResource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.path.json.JsonPath;
import jakarta.inject.Inject;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Editable notice texts: stored, versioned, audited, in the snapshot; bad ones refused naming the field. */
@QuarkusTest
@QuarkusTestResource(InMemoryKafkaResource.class)
class TemplateResourceTest {
    static final String BASE = "/api/v1/policy";

    @Inject
    PolicyDatabase database;

    @BeforeEach
    void reset() {
        await().atMost(Duration.ofSeconds(30)).until(() -> database.count("outbox") == 0);
        database.resetToSeed();
    }

    @AfterEach
    void drain() {
        await().atMost(Duration.ofSeconds(30)).until(() -> database.count("outbox") == 0);
    }

    private static io.restassured.response.ValidatableResponse put(String id, String json, String actor) {
        return given().contentType(ContentType.JSON).header("X-Portcullis-Actor", actor).body(json)
                .put(BASE + "/templates/" + id).then();
    }

    @Test
    void aTemplateIsSavedVersionedAuditedAndCarriedInTheSnapshot() {
        long v0 = FullRuleResourceTest.snapshot().version();
        put("dlp-held", "{\"subject\":\"Held: {subject}\",\"body\":\"Your mail {messageId} to {recipients} was held"
                + " by rule {rule}.\\nAsk the help desk.\"}", "alice").statusCode(200).body("id", equalTo("dlp-held"));
        put("dlp-held", "{\"subject\":\"Held by policy: {subject}\",\"body\":\"{action} by {rule}\"}", "bob")
                .statusCode(200);
        var snap = FullRuleResourceTest.snapshot();
        assertEquals(v0 + 2, snap.version());
        assertEquals(List.of(new NotificationTemplate("dlp-held", "Held by policy: {subject}", "{action} by {rule}")),
                snap.notificationTemplates());
        given().get(BASE + "/templates").then().statusCode(200).body("id", equalTo(List.of("dlp-held")));
        JsonPath audit = given().get(BASE + "/audit?limit=2").then().statusCode(200).extract().jsonPath();
        assertEquals(List.of("template.replace", "template.create"), audit.getList("operation"));
        assertEquals(List.of("bob", "alice"), audit.getList("actor"));
        given().header("X-Portcullis-Actor", "carol").delete(BASE + "/templates/dlp-held").then().statusCode(204);
        given().get(BASE + "/templates/dlp-held").then().statusCode(404);
        assertEquals(List.of(), FullRuleResourceTest.snapshot().notificationTemplates());
    }

    @Test
    void badTemplatesAreRefusedNamingTheFieldAndChangeNothing() {
        long v0 = FullRuleResourceTest.snapshot().version();
        put("x", "{\"subject\":\"Held {subjekt}\",\"body\":\"b\"}", "a").statusCode(400).body("field", equalTo("subject"));
        put("x", "{\"subject\":\"s\",\"body\":\"{messageId} {password}\"}", "a").statusCode(400)
                .body("field", equalTo("body"));
        put("x", "{\"subject\":\"two\\r\\nBcc: evil@x.test\",\"body\":\"b\"}", "a").statusCode(400)
                .body("field", equalTo("subject"));
        put("-bad", "{\"subject\":\"s\",\"body\":\"b\"}", "a").statusCode(400).body("field", equalTo("id"));
        put("x", "{\"subject\":\"s\",\"body\":\"" + "b".repeat(20_001) + "\"}", "a").statusCode(400)
                .body("field", equalTo("body"));
        put("x", "{\"subject\":\"s\"}", "a").statusCode(400).body("field", equalTo("body"));
        put("x", "{\"subject\":\"s\",\"body\":\"b\",\"extra\":1}", "a").statusCode(400);
        given().delete(BASE + "/templates/none").then().statusCode(404);
        assertEquals(v0, FullRuleResourceTest.snapshot().version(), "nothing changed");
    }
}
