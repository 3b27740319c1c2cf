package io.portcullis.admin;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.startsWith;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The end-user API with signed tokens: the owner set comes from the token's verified email (plus directory aliases),
 * never from the caller; quarantine-service's 404 for someone else's item passes through unchanged.
 */
@QuarkusTest
@QuarkusTestResource(value = DownstreamStubs.class, restrictToAnnotatedClass = true)
@QuarkusTestResource(value = OidcTestKeys.class, restrictToAnnotatedClass = true)
class MyQuarantineTest {
    private static final String NOT_FOUND = "{\"status\":404,\"error\":\"Not Found\",\"message\":\"no quarantined message m-bob\"}";

    @BeforeEach
    void reset() {
        DownstreamStubs.resetAll();
        DownstreamStubs.policy.respond("GET", "/api/v1/directory/lookup", 503, "{\"error\":\"directory not configured\"}");
    }

    private static String alice() {
        return OidcTestKeys.endUser("alice", "Alice@Corp.Example", true);
    }

    @Test
    void ownerIsTheVerifiedEmailNeverTheCallersHeaders() {
        given().auth().oauth2(alice()).header("X-Portcullis-Owner", "bob@corp.example")
                .header("X-Portcullis-Owner-Source", "directory").header("X-Portcullis-Actor", "bob")
                .queryParam("q", "invoice").when().get("/api/v1/my/quarantine").then().statusCode(200);
        DownstreamStub.Request seen = DownstreamStubs.quarantine.last();
        assertEquals("/api/v1/user-quarantine/items", seen.path());
        assertEquals("alice@corp.example", seen.header("X-Portcullis-Owner"));
        assertEquals("no-directory", seen.header("X-Portcullis-Owner-Source"));
        assertEquals("alice", seen.header("X-Portcullis-Actor"));
        assertTrue(seen.query().contains("q=invoice"), seen.query());
    }

    @Test
    void directoryAliasesJoinTheOwnerSet() {
        DownstreamStubs.policy.respond("GET", "/api/v1/directory/lookup", 200,
                "{\"address\":\"alice@corp.example\",\"canonical\":\"alice.smith@corp.example\","
                        + "\"aliases\":[\"Alice@Sales.Corp.Example\",\"bad address\",\"x@y,z@w\"]}");
        given().auth().oauth2(alice()).when().get("/api/v1/my/quarantine/m1").then().statusCode(200);
        assertEquals("alice@corp.example,alice.smith@corp.example,alice@sales.corp.example",
                DownstreamStubs.quarantine.last().header("X-Portcullis-Owner"));
        assertEquals("directory", DownstreamStubs.quarantine.last().header("X-Portcullis-Owner-Source"));
        assertTrue(DownstreamStubs.policy.last().query().contains("address=alice%40corp.example")
                || DownstreamStubs.policy.last().query().contains("address=alice@corp.example"));
    }

    @Test
    void directoryDownOrUnknownMeansTheAddressAloneAndSaysSo() {
        DownstreamStubs.policy.respond("GET", "/api/v1/directory/lookup", 503,
                "{\"error\":\"directory unavailable: connect refused\"}");
        given().auth().oauth2(alice()).when().get("/api/v1/my/quarantine").then().statusCode(200);
        assertEquals("alice@corp.example", DownstreamStubs.quarantine.last().header("X-Portcullis-Owner"));
        assertEquals("directory-unavailable", DownstreamStubs.quarantine.last().header("X-Portcullis-Owner-Source"));
        DownstreamStubs.policy.respond("GET", "/api/v1/directory/lookup", 404, "{\"error\":\"unknown address\"}");
        given().auth().oauth2(alice()).when().get("/api/v1/my/quarantine").then().statusCode(200);
        assertEquals("alice@corp.example", DownstreamStubs.quarantine.last().header("X-Portcullis-Owner"));
        assertEquals("not-in-directory", DownstreamStubs.quarantine.last().header("X-Portcullis-Owner-Source"));
    }

    @Test
    void tokenWithoutVerifiedEmailIs403AndNothingIsProxied() {
        given().auth().oauth2(OidcTestKeys.endUser("mallory", "bob@corp.example", false)).when()
                .get("/api/v1/my/quarantine").then().statusCode(403).body("message", containsString("verified"));
        given().auth().oauth2(OidcTestKeys.token("admin", java.util.List.of("admin"))).when()
                .get("/api/v1/my/quarantine").then().statusCode(403);
        given().auth().oauth2(OidcTestKeys.endUser("eve", "a@b@c", true)).when()
                .post("/api/v1/my/quarantine/m1/release").then().statusCode(403);
        assertEquals(0, DownstreamStubs.quarantine.requests().size());
        given().when().get("/api/v1/my/quarantine").then().statusCode(401);
    }

    @Test
    void someoneElsesItemIs404ForEveryOperation() {
        for (String[] call : new String[][] {{"GET", "/m-bob"}, {"GET", "/m-bob/preview"},
                {"GET", "/m-bob/preview/html"}, {"GET", "/m-bob/attachments/1"}, {"POST", "/m-bob/release"},
                {"POST", "/m-bob/request-release"}, {"POST", "/m-bob/approve-sender"}, {"DELETE", "/m-bob"}}) {
            String downstreamPath = "/api/v1/user-quarantine/items" + call[1];
            DownstreamStubs.quarantine.respond(call[0], downstreamPath, 404, NOT_FOUND);
            given().auth().oauth2(alice()).when().request(call[0], "/api/v1/my/quarantine" + call[1]).then()
                    .statusCode(404).body("message", equalTo("no quarantined message m-bob"));
            assertEquals(downstreamPath, DownstreamStubs.quarantine.last().path());
            assertEquals("alice@corp.example", DownstreamStubs.quarantine.last().header("X-Portcullis-Owner"));
        }
    }

    @Test
    void previewAndAttachmentsCarryHeadersThatKeepBrowsersFromRunningAnything() {
        DownstreamStubs.quarantine.respond("GET", "/api/v1/user-quarantine/items/m1/preview/html", 200, "text/html",
                "<!DOCTYPE html><p>hi</p>", Map.of());
        given().auth().oauth2(alice()).when().get("/api/v1/my/quarantine/m1/preview/html").then().statusCode(200)
                .contentType(startsWith("text/html"))
                .header("Content-Security-Policy", containsString("default-src 'none'"))
                .header("Content-Security-Policy", containsString("sandbox"))
                .header("X-Content-Type-Options", "nosniff");
        DownstreamStubs.quarantine.respond("GET", "/api/v1/user-quarantine/items/m1/attachments/2", 200, "text/html",
                "<script>alert(1)</script>", Map.of());
        given().auth().oauth2(alice()).when().get("/api/v1/my/quarantine/m1/attachments/2").then().statusCode(200)
                .contentType(startsWith("application/octet-stream"))
                .header("Content-Disposition", startsWith("attachment"))
                .header("X-Content-Type-Options", "nosniff");
        given().auth().oauth2(alice()).when().get("/api/v1/my/quarantine/m1/attachments/1x").then().statusCode(400);
    }

    @Test
    void digestSettingsAreTheUsersOwn() {
        given().auth().oauth2(alice()).contentType("application/json").body("{\"schedule\":\"weekly\"}").when()
                .put("/api/v1/my/digest").then().statusCode(200);
        assertEquals("PUT", DownstreamStubs.quarantine.last().method());
        assertEquals("/api/v1/user-quarantine/digest", DownstreamStubs.quarantine.last().path());
        assertEquals("alice@corp.example", DownstreamStubs.quarantine.last().header("X-Portcullis-Owner"));
        assertEquals("{\"schedule\":\"weekly\"}", DownstreamStubs.quarantine.last().bodyText());
    }

    @Test
    void digestRunIsForAdminsOnly() {
        given().auth().oauth2(alice()).when().post("/api/v1/quarantine/digests/run").then().statusCode(403);
        given().auth().oauth2(OidcTestKeys.token("root", java.util.List.of("admin"))).queryParam("force", "true")
                .when().post("/api/v1/quarantine/digests/run").then().statusCode(200);
        assertEquals("/api/v1/quarantine/digests/run", DownstreamStubs.quarantine.last().path());
        assertEquals("force=true", DownstreamStubs.quarantine.last().query());
        assertEquals("root", DownstreamStubs.quarantine.last().header("X-Portcullis-Actor"));
    }

    @Test
    void digestLinkGetOnlyDescribesAndPostActsWithoutLogin() {
        String token = "eyJhbGciOiJIUzI1NiJ9abc." + "A".repeat(43);
        DownstreamStubs.quarantine.respond("GET", "/api/v1/digest-links/" + token, 200,
                "{\"action\":\"release\",\"label\":\"Release this message to you\",\"itemId\":\"m1\","
                        + "\"subject\":\"<script>alert(1)</script>\",\"sender\":\"s@x.example\",\"area\":\"spam\"}");
        String page = given().when().get("/digest-links/" + token).then().statusCode(200)
                .contentType(startsWith("text/html"))
                .header("Content-Security-Policy", containsString("default-src 'none'"))
                .header("Referrer-Policy", "no-referrer")
                .extract().asString();
        assertTrue(page.contains("<form method=\"post\">"), page);
        assertTrue(page.contains("&lt;script&gt;") && !page.contains("<script>"), page);
        assertEquals(1, DownstreamStubs.quarantine.requests().size());
        assertEquals("GET", DownstreamStubs.quarantine.last().method(), "a GET never reaches the acting endpoint");

        DownstreamStubs.quarantine.respond("POST", "/api/v1/digest-links/" + token, 409,
                "{\"status\":409,\"reason\":\"USED\",\"message\":\"This link was used already.\"}");
        given().when().post("/digest-links/" + token).then().statusCode(409)
                .body(containsString("Link already used"));
        assertEquals("POST", DownstreamStubs.quarantine.last().method());
        assertNull(DownstreamStubs.quarantine.last().header("X-Portcullis-Actor"));

        given().when().get("/digest-links/not-a-token").then().statusCode(403).body(containsString("not valid"));
        assertEquals(2, DownstreamStubs.quarantine.requests().size(), "a malformed token is refused locally");
    }
}
