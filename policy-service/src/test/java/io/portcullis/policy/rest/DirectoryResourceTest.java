package io.portcullis.policy.rest;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.greaterThanOrEqualTo;
import static org.hamcrest.Matchers.hasItem;

import io.portcullis.policy.InMemoryKafkaResource;
import io.portcullis.policy.directory.DirectoryServerResource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The directory endpoints of the running service against a real (in-memory) LDAP server. */
@QuarkusTest
@QuarkusTestResource(InMemoryKafkaResource.class)
@QuarkusTestResource(value = DirectoryServerResource.class, restrictToAnnotatedClass = true)
class DirectoryResourceTest {
    private static final String LOOKUP = "/api/v1/directory/lookup";

    @Test
    void knownAliasAnswers200WithCanonicalAliasesAndNestedGroups() {
        given().queryParam("address", "ALICE@example.com").get(LOOKUP).then().statusCode(200)
                .body("address", equalTo("ALICE@example.com"))
                .body("canonical", equalTo("Alice.Smith@example.com"))
                .body("aliases", equalTo(List.of("alice@example.com", "a.smith@example.org")))
                .body("dn", equalTo("uid=alice,ou=people,dc=example,dc=com"))
                .body("groups.name", equalTo(List.of("engineering", "rnd", "staff")))
                .body("groups.dn", hasItem("cn=rnd,ou=groups,dc=example,dc=com"))
                .body("groups.depth", equalTo(List.of(1, 2, 3)));
    }

    @Test
    void unknownAddressAnswers404() {
        given().queryParam("address", "nobody@example.com").get(LOOKUP).then().statusCode(404)
                .body("error", equalTo("unknown address"));
    }

    @Test
    void filterInjectionAnswers404NotAMatch() {
        given().queryParam("address", "*)(mail=*@example.com").get(LOOKUP).then().statusCode(404);
    }

    @Test
    void malformedAddressAnswers400NamingTheField() {
        given().get(LOOKUP).then().statusCode(400).body("field", equalTo("address"));
        given().queryParam("address", "no-at-sign").get(LOOKUP).then().statusCode(400)
                .body("field", equalTo("address"));
        given().queryParam("address", "a b@example.com").get(LOOKUP).then().statusCode(400);
    }

    @Test
    void stoppedDirectoryAnswers503NeverUnknownAndReadinessGoesDown() throws Exception {
        try {
            DirectoryServerResource.server.stop();
            // an address no other test looks up: a cached answer would (rightly) still be served
            given().queryParam("address", "a.smith@example.org").get(LOOKUP).then().statusCode(503)
                    .body("error", containsString("directory unavailable"));
            given().get("/api/v1/directory/status").then().statusCode(200)
                    .body("configured", equalTo(true)).body("reachable", equalTo(false));
            given().get("/q/health/ready").then().statusCode(503)
                    .body("checks.find { it.name == 'directory' }.status", equalTo("DOWN"));
        } finally {
            DirectoryServerResource.server.server().startListening();
        }
        given().queryParam("address", "a.smith@example.org").get(LOOKUP).then().statusCode(200)
                .body("canonical", equalTo("Alice.Smith@example.com"));
    }

    @Test
    void statusShowsTheDirectoryAndCacheCounts() {
        given().queryParam("address", "bob@example.com").get(LOOKUP).then().statusCode(200);
        given().queryParam("address", "bob@example.com").get(LOOKUP).then().statusCode(200);
        given().get("/api/v1/directory/status").then().statusCode(200)
                .body("configured", equalTo(true)).body("schema", equalTo("openldap"))
                .body("reachable", equalTo(true)).body("cacheHits", greaterThanOrEqualTo(1));
        given().get("/q/health/ready").then()
                .body("checks.find { it.name == 'directory' }.status", equalTo("UP"))
                .body("checks.find { it.name == 'directory' }.data.state", equalTo("reachable"));
    }

    @Test
    void metricsCountLookupsByOutcome() {
        given().queryParam("address", "nobody2@example.com").get(LOOKUP).then().statusCode(404);
        given().get("/q/metrics").then().statusCode(200)
                .body(containsString("portcullis_directory_lookups_total{outcome=\"not_found\",source=\"directory\"}"))
                .body(containsString("portcullis_directory_ldap_latency_seconds_count"));
    }

    @Test
    void openApiDocumentsTheEndpoints() {
        given().get("/q/openapi").then().statusCode(200)
                .body(containsString("/api/v1/directory/lookup"))
                .body(containsString("/api/v1/directory/status"));
    }
}
