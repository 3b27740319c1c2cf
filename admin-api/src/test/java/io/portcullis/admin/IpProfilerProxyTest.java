package io.portcullis.admin;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import io.portcullis.admin.Endpoints.Endpoint;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.security.TestSecurity;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The IP Profiler endpoints: who may call them, what reaches policy-service, unsafe paths. */
@QuarkusTest
@QuarkusTestResource(value = DownstreamStubs.class, restrictToAnnotatedClass = true)
@QuarkusTestResource(value = OidcTestKeys.class, restrictToAnnotatedClass = true)
class IpProfilerProxyTest {
    static final List<Endpoint> READS = List.of(
            new Endpoint("GET", "/api/v1/ip-profiler/blocks", null, () -> DownstreamStubs.policy),
            new Endpoint("GET", "/api/v1/ip-profiler/allow", null, () -> DownstreamStubs.policy));
    static final List<Endpoint> WRITES = List.of(
            new Endpoint("POST", "/api/v1/ip-profiler/allow", "{\"ip\":\"198.51.100.0/24\",\"note\":\"partner\"}",
                    () -> DownstreamStubs.policy),
            new Endpoint("DELETE", "/api/v1/ip-profiler/allow/192.0.2.1", null, () -> DownstreamStubs.policy),
            new Endpoint("DELETE", "/api/v1/ip-profiler/allow/198.51.100.0/24", null, () -> DownstreamStubs.policy),
            new Endpoint("DELETE", "/api/v1/ip-profiler/allow/2001:db8::/32", null, () -> DownstreamStubs.policy),
            new Endpoint("POST", "/api/v1/ip-profiler/blocks/203.0.113.9/unblock", null, () -> DownstreamStubs.policy),
            new Endpoint("POST", "/api/v1/ip-profiler/blocks/::1/unblock", null, () -> DownstreamStubs.policy));

    @BeforeEach
    void reset() {
        DownstreamStubs.resetAll();
    }

    @Test
    void withoutTokenEverythingIs401AndNothingIsProxied() {
        for (Endpoint endpoint : READS) {
            endpoint.call().statusCode(401);
        }
        for (Endpoint endpoint : WRITES) {
            endpoint.call().statusCode(401);
        }
        assertEquals(0, DownstreamStubs.policy.requests().size());
    }

    @Test
    @TestSecurity(user = "audrey", roles = "auditor")
    void auditorMayReadButNotWrite() {
        for (Endpoint endpoint : READS) {
            endpoint.call().statusCode(200);
            assertEquals(endpoint.path(), DownstreamStubs.policy.last().path());
        }
        for (Endpoint endpoint : WRITES) {
            endpoint.call().statusCode(403);
        }
        assertEquals(READS.size(), DownstreamStubs.policy.requests().size());
    }

    @Test
    @TestSecurity(user = "nobody")
    void userWithoutRolesMayDoNothing() {
        for (Endpoint endpoint : READS) {
            endpoint.call().statusCode(403);
        }
        assertEquals(0, DownstreamStubs.policy.requests().size());
    }

    @Test
    @TestSecurity(user = "root", roles = "admin")
    void adminWritesReachPolicyServiceWithTheUserAsActor() {
        for (Endpoint endpoint : WRITES) {
            given().header("X-Portcullis-Actor", "someone-else").contentType("application/json")
                    .body(endpoint.body() == null ? "" : endpoint.body()).when()
                    .request(endpoint.method(), endpoint.path()).then().statusCode(200);
            DownstreamStub.Request seen = DownstreamStubs.policy.last();
            assertEquals(endpoint.method(), seen.method(), endpoint.toString());
            assertEquals(endpoint.path(), seen.path(), endpoint.toString());
            assertEquals("root", seen.header("X-Portcullis-Actor"), endpoint.toString());
            if (endpoint.body() != null) {
                assertEquals(endpoint.body(), seen.bodyText());
            }
        }
        for (Endpoint endpoint : READS) {
            given().header("X-Portcullis-Actor", "someone-else").when().get(endpoint.path()).then().statusCode(200);
            assertNull(DownstreamStubs.policy.last().header("X-Portcullis-Actor"));
        }
    }

    @Test
    @TestSecurity(user = "root", roles = "admin")
    void statusesAndBodiesOfPolicyServicePassThrough() {
        String invalid = "{\"error\":\"not an IP address (IPv4 dotted quad or IPv6) or CIDR block\",\"field\":\"ip\"}";
        DownstreamStubs.policy.respond("POST", "/api/v1/ip-profiler/allow", 400, invalid);
        given().contentType("application/json").body("{\"ip\":\"nope\"}").when().post("/api/v1/ip-profiler/allow")
                .then().statusCode(400).body(equalTo(invalid));
        DownstreamStubs.policy.respond("POST", "/api/v1/ip-profiler/blocks/192.0.2.5/unblock", 409,
                "{\"error\":\"192.0.2.5 is on the allow list\",\"field\":\"ip\"}");
        given().when().post("/api/v1/ip-profiler/blocks/192.0.2.5/unblock").then().statusCode(409)
                .body("field", equalTo("ip"));
        DownstreamStubs.policy.respond("POST", "/api/v1/ip-profiler/blocks/192.0.2.6/unblock", 202,
                "{\"type\":\"UNBLOCK\",\"ip\":\"192.0.2.6\"}");
        given().when().post("/api/v1/ip-profiler/blocks/192.0.2.6/unblock").then().statusCode(202)
                .body("type", equalTo("UNBLOCK"));
    }

    @Test
    @TestSecurity(user = "root", roles = "admin")
    void unsafePathSegmentsAre400AndNeverProxied() {
        given().urlEncodingEnabled(false).when().delete("/api/v1/ip-profiler/allow/..%2F..%2Fpolicy").then()
                .statusCode(400);
        given().urlEncodingEnabled(false).when().delete("/api/v1/ip-profiler/allow/1.2..3").then().statusCode(400);
        given().urlEncodingEnabled(false).when().delete("/api/v1/ip-profiler/allow/10.0.0.0/8x").then()
                .statusCode(400).body("message", equalTo("malformed prefix"));
        given().urlEncodingEnabled(false).when().post("/api/v1/ip-profiler/blocks/evil.example/unblock").then()
                .statusCode(400).body("message", equalTo("malformed ip"));
        given().urlEncodingEnabled(false).when().post("/api/v1/ip-profiler/blocks/%20x/unblock").then()
                .statusCode(400);
        assertEquals(0, DownstreamStubs.policy.requests().size());
    }
}
