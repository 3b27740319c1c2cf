package io.portcullis.admin;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.startsWith;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.security.TestSecurity;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** What the proxying does with statuses, bodies, queries and the actor header. */
@QuarkusTest
@QuarkusTestResource(value = DownstreamStubs.class, restrictToAnnotatedClass = true)
@QuarkusTestResource(value = OidcTestKeys.class, restrictToAnnotatedClass = true)
@TestSecurity(user = "root", roles = "admin")
class ProxyTest {

    @BeforeEach
    void reset() {
        DownstreamStubs.resetAll();
    }

    @Test
    void downstreamErrorStatusesAndJsonBodiesPassThroughUnchanged() {
        String notFound = "{\"status\":404,\"error\":\"Not Found\",\"message\":\"no quarantined message m404\"}";
        DownstreamStubs.quarantine.respond("GET", "/api/v1/quarantine/m404", 404, notFound);
        given().when().get("/api/v1/quarantine/m404").then().statusCode(404)
                .contentType(startsWith("application/json")).body(equalTo(notFound));

        String conflict = "{\"status\":409,\"error\":\"Conflict\",\"message\":\"message m1 is RELEASED\"}";
        DownstreamStubs.quarantine.respond("POST", "/api/v1/quarantine/m1/release", 409, conflict);
        given().when().post("/api/v1/quarantine/m1/release").then().statusCode(409).body(equalTo(conflict));

        String invalid = "{\"error\":\"invalid rule\",\"field\":\"priority\"}";
        DownstreamStubs.policy.respond("POST", "/api/v1/policy/rules", 400, invalid);
        given().contentType("application/json").body("{\"priority\":\"high\"}").when().post("/api/v1/policy/rules")
                .then().statusCode(400).body(equalTo(invalid));

        DownstreamStubs.report.respond("GET", "/api/v1/tracking/m500", 500, "{\"error\":\"boom\"}");
        given().when().get("/api/v1/tracking/m500").then().statusCode(500).body("error", equalTo("boom"));
    }

    @Test
    void successStatusesAndEmptyBodiesPassThrough() {
        DownstreamStubs.quarantine.respond("POST", "/api/v1/quarantine/m1/release", 202,
                "{\"messageId\":\"m1\",\"requested\":\"RELEASED\",\"actor\":\"root\"}");
        given().when().post("/api/v1/quarantine/m1/release").then().statusCode(202)
                .body("requested", equalTo("RELEASED"));
        DownstreamStubs.policy.respond("DELETE", "/api/v1/policy/domains/example.org", 204, null);
        given().when().delete("/api/v1/policy/domains/example.org").then().statusCode(204);
        DownstreamStubs.policy.respond("POST", "/api/v1/policy/domains", 201, "application/json",
                "{\"domain\":\"example.org\"}", Map.of("Location", "/api/v1/policy/domains/example.org"));
        given().contentType("application/json").body("{\"domain\":\"example.org\"}").when()
                .post("/api/v1/policy/domains").then().statusCode(201)
                .header("Location", equalTo("/api/v1/policy/domains/example.org"));
    }

    @Test
    void releaseAndDeleteCarryTheAuthenticatedUserAsActorNeverTheCallersHeader() {
        given().header("X-Portcullis-Actor", "someone-else").when().post("/api/v1/quarantine/m1/release")
                .then().statusCode(200);
        assertEquals("root", DownstreamStubs.quarantine.last().header("X-Portcullis-Actor"));
        given().header("X-Portcullis-Actor", "someone-else").when().delete("/api/v1/quarantine/m1")
                .then().statusCode(200);
        assertEquals("root", DownstreamStubs.quarantine.last().header("X-Portcullis-Actor"));
        assertEquals("DELETE", DownstreamStubs.quarantine.last().method());
    }

    @Test
    void senderListChangesCarryTheAuthenticatedUserAsActorNeverTheCallersHeader() {
        DownstreamStubs.policy.respond("POST", "/api/v1/sender-lists", 201, "application/json",
                "{\"id\":7,\"createdBy\":\"root\"}", Map.of("Location", "/api/v1/sender-lists/7"));
        given().header("X-Portcullis-Actor", "someone-else").contentType("application/json")
                .body("{\"owner\":\"*\",\"sender\":\"spam.example\",\"kind\":\"BLOCKED\"}")
                .when().post("/api/v1/sender-lists").then().statusCode(201)
                .header("Location", equalTo("/api/v1/sender-lists/7")).body("id", equalTo(7));
        assertEquals("root", DownstreamStubs.policy.last().header("X-Portcullis-Actor"));
        given().header("X-Portcullis-Actor", "someone-else").contentType("application/json")
                .body("{\"entries\":[]}").when().post("/api/v1/sender-lists/import").then().statusCode(200);
        assertEquals("root", DownstreamStubs.policy.last().header("X-Portcullis-Actor"));
        given().header("X-Portcullis-Actor", "someone-else").when().delete("/api/v1/sender-lists/7").then()
                .statusCode(200);
        assertEquals("root", DownstreamStubs.policy.last().header("X-Portcullis-Actor"));
        assertEquals("DELETE", DownstreamStubs.policy.last().method());

        given().header("X-Portcullis-Actor", "someone-else").queryParam("owner", "example.com")
                .queryParam("kind", "SAFE").when().get("/api/v1/sender-lists").then().statusCode(200);
        assertEquals(null, DownstreamStubs.policy.last().header("X-Portcullis-Actor"));
        assertTrue(DownstreamStubs.policy.last().query().contains("owner=example.com"));
        assertTrue(DownstreamStubs.policy.last().query().contains("kind=SAFE"));

        String invalid = "{\"error\":\"sender: quoted local parts are not supported\",\"field\":\"sender\"}";
        DownstreamStubs.policy.respond("POST", "/api/v1/sender-lists", 400, invalid);
        given().contentType("application/json").body("{}").when().post("/api/v1/sender-lists").then()
                .statusCode(400).body(equalTo(invalid));
        given().urlEncodingEnabled(false).when().delete("/api/v1/sender-lists/..%2F..%2Fpolicy").then()
                .statusCode(400);
    }

    @Test
    void policyChangesAndBundleImportsCarryTheAuthenticatedUserAsActorNeverTheCallersHeader() {
        String rule = "{\"name\":\"n\",\"priority\":1,\"actions\":[{\"type\":\"deliver\"}]}";
        given().header("X-Portcullis-Actor", "someone-else").contentType("application/json").body(rule)
                .when().post("/api/v1/policy/rules").then().statusCode(200);
        assertEquals("root", DownstreamStubs.policy.last().header("X-Portcullis-Actor"));
        given().header("X-Portcullis-Actor", "someone-else").contentType("application/json").body(rule)
                .when().put("/api/v1/policy/rules/r1").then().statusCode(200);
        assertEquals("root", DownstreamStubs.policy.last().header("X-Portcullis-Actor"));
        given().header("X-Portcullis-Actor", "someone-else").when().delete("/api/v1/policy/rules/r1").then()
                .statusCode(200);
        assertEquals("root", DownstreamStubs.policy.last().header("X-Portcullis-Actor"));
        given().header("X-Portcullis-Actor", "someone-else").contentType("application/json")
                .body("{\"domain\":\"a.example\"}").when().post("/api/v1/policy/domains").then().statusCode(200);
        assertEquals("root", DownstreamStubs.policy.last().header("X-Portcullis-Actor"));
        given().header("X-Portcullis-Actor", "someone-else").contentType("application/json")
                .body("{\"spamThreshold\":5,\"blockedExtensions\":[]}").when().put("/api/v1/policy/settings").then()
                .statusCode(200);
        assertEquals("root", DownstreamStubs.policy.last().header("X-Portcullis-Actor"));

        String bundle = "{\"format\":1,\"source\":\"central\",\"rules\":[],\"signature\":{}}";
        String refused = "{\"error\":\"the signature does not match\",\"field\":\"signature\"}";
        DownstreamStubs.policy.respond("POST", "/api/v1/policy/bundle", 400, refused);
        given().header("X-Portcullis-Actor", "someone-else").contentType("application/json").body(bundle)
                .when().post("/api/v1/policy/bundle").then().statusCode(400).body(equalTo(refused));
        assertEquals("root", DownstreamStubs.policy.last().header("X-Portcullis-Actor"));
        assertEquals(bundle, DownstreamStubs.policy.last().bodyText(), "the signed bytes pass unchanged");
    }

    @Test
    void auditVersionAndExportQueriesAreForwarded() {
        given().queryParam("limit", 5).queryParam("before", 120).when().get("/api/v1/policy/audit").then()
                .statusCode(200);
        assertTrue(DownstreamStubs.policy.last().query().contains("limit=5"));
        assertTrue(DownstreamStubs.policy.last().query().contains("before=120"));
        given().queryParam("outbreak", true).queryParam("expiresAt", "2026-12-01T00:00:00Z")
                .queryParam("rule", "a").queryParam("rule", "b").when().get("/api/v1/policy/bundle").then()
                .statusCode(200);
        String query = DownstreamStubs.policy.last().query();
        assertTrue(query.contains("outbreak=true") && query.contains("rule=a") && query.contains("rule=b"), query);
        assertEquals(null, DownstreamStubs.policy.last().header("X-Portcullis-Actor"));
        given().when().get("/api/v1/policy/versions/42").then().statusCode(200);
        assertEquals("/api/v1/policy/versions/42", DownstreamStubs.policy.last().path());
        given().urlEncodingEnabled(false).when().get("/api/v1/policy/versions/..%2Fsnapshot").then()
                .statusCode(400);
        given().when().get("/api/v1/policy/versions/abc").then().statusCode(400);
    }

    @Test
    void readsDoNotCarryAnActor() {
        given().header("X-Portcullis-Actor", "someone-else").when().get("/api/v1/quarantine/m1").then()
                .statusCode(200);
        assertEquals(null, DownstreamStubs.quarantine.last().header("X-Portcullis-Actor"));
    }

    @Test
    void listQueriesAreForwarded() {
        given().queryParam("status", "QUARANTINED").queryParam("sender", "a@example.org").queryParam("limit", 5)
                .when().get("/api/v1/quarantine").then().statusCode(200);
        String query = DownstreamStubs.quarantine.last().query();
        assertTrue(query.contains("status=QUARANTINED"), query);
        assertTrue(query.contains("sender=a%40example.org") || query.contains("sender=a@example.org"), query);
        assertTrue(query.contains("limit=5"), query);

        given().queryParam("recipient", "b@example.com").when().get("/api/v1/tracking").then().statusCode(200);
        assertTrue(DownstreamStubs.report.last().query().contains("recipient=b"));
    }

    @Test
    void rawMessageKeepsItsBytesAndContentType() {
        String eml = "Subject: hi\r\n\r\nbody\r\n";
        DownstreamStubs.quarantine.respond("GET", "/api/v1/quarantine/m1/raw", 200, "message/rfc822", eml,
                Map.of("Content-Disposition", "attachment; filename=\"m1.eml\""));
        byte[] raw = given().when().get("/api/v1/quarantine/m1/raw").then().statusCode(200)
                .contentType(startsWith("message/rfc822"))
                .header("Content-Disposition", equalTo("attachment; filename=\"m1.eml\""))
                .extract().asByteArray();
        assertArrayEquals(eml.getBytes(StandardCharsets.UTF_8), raw);
    }

    @Test
    void unsafePathSegmentsAre400AndNeverProxied() {
        given().urlEncodingEnabled(false).when().get("/api/v1/quarantine/..%2F..%2Fpolicy").then().statusCode(400);
        given().urlEncodingEnabled(false).when().post("/api/v1/quarantine/a..b/release").then().statusCode(400);
        given().urlEncodingEnabled(false).when().delete("/api/v1/policy/rules/%20x").then().statusCode(400);
        given().urlEncodingEnabled(false).when().get("/api/v1/tracking/-x").then().statusCode(400)
                .body("status", equalTo(400));
        assertEquals(0, DownstreamStubs.quarantine.requests().size() + DownstreamStubs.policy.requests().size()
                + DownstreamStubs.report.requests().size());
    }

    @Test
    void aSignatureUploadIsStreamedThroughWithItsBytesContentTypeAndVersion() {
        byte[] bundle = new byte[3 << 20]; // far above any input buffer: must be streamed, not held
        new java.util.Random(3).nextBytes(bundle);
        String created = "{\"version\":\"v1\",\"active\":true}";
        DownstreamStubs.policy.respond("POST", "/api/v1/signatures", 201, created);
        given().contentType("application/gzip").queryParam("version", "v1").body(bundle).when()
                .post("/api/v1/signatures").then().statusCode(201).body(equalTo(created));
        DownstreamStub.Request seen = DownstreamStubs.policy.last();
        assertArrayEquals(bundle, seen.body());
        assertTrue(seen.header("Content-Type").startsWith("application/gzip"), seen.header("Content-Type"));
        assertEquals("version=v1", seen.query());
        // sent as it was read, not collected first (a buffered body would carry a Content-Length)
        assertEquals("chunked", seen.header("Transfer-Encoding"));
    }

    @Test
    void signatureUploadErrorsPassThrough() {
        String tooLarge = "{\"error\":\"the upload is larger than the limit of 536870912 bytes\",\"field\":\"body\"}";
        DownstreamStubs.policy.respond("POST", "/api/v1/signatures", 413, tooLarge);
        given().contentType("application/x-tar").body(new byte[2048]).when().post("/api/v1/signatures").then()
                .statusCode(413).body(equalTo(tooLarge));
        String badLine = "{\"error\":\"bad.ndb:2: bad hex\",\"field\":\"body\"}";
        DownstreamStubs.policy.respond("POST", "/api/v1/signatures", 400, badLine);
        given().contentType("application/x-tar").body(new byte[2048]).when().post("/api/v1/signatures").then()
                .statusCode(400).body("error", equalTo("bad.ndb:2: bad hex"));
        DownstreamStubs.policy.respond("POST", "/api/v1/signatures/v9/activate", 404, "{\"error\":\"no such signature bundle\"}");
        given().when().post("/api/v1/signatures/v9/activate").then().statusCode(404);
    }

    @Test
    void aSignatureUploadOfAnotherContentTypeIs415AndNotProxied() {
        given().contentType("application/json").body("{}").when().post("/api/v1/signatures").then().statusCode(415);
        assertEquals(0, DownstreamStubs.policy.requests().size());
    }

    @Test
    void unsafeBundleVersionsAre400AndNeverProxied() {
        given().urlEncodingEnabled(false).when().post("/api/v1/signatures/..%2F..%2Fpolicy/activate").then()
                .statusCode(400);
        given().urlEncodingEnabled(false).when().post("/api/v1/signatures/a%20b/activate").then().statusCode(400);
        given().when().post("/api/v1/signatures/" + "x".repeat(65) + "/activate").then().statusCode(400)
                .body("message", equalTo("malformed version"));
        assertEquals(0, DownstreamStubs.policy.requests().size());
        given().when().post("/api/v1/signatures/daily-27120_v1.2/activate").then().statusCode(200);
        assertEquals("/api/v1/signatures/daily-27120_v1.2/activate", DownstreamStubs.policy.last().path());
    }
}
