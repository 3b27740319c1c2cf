package io.portcullis.admin;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.empty;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.portcullis.admin.Endpoints.Endpoint;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.security.TestSecurity;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Who may call what: the role matrix, with @TestSecurity identities. */
@QuarkusTest
@QuarkusTestResource(value = DownstreamStubs.class, restrictToAnnotatedClass = true)
@QuarkusTestResource(value = OidcTestKeys.class, restrictToAnnotatedClass = true)
class AuthorizationTest {

    @BeforeEach
    void reset() {
        DownstreamStubs.resetAll();
    }

    private static int downstreamCalls() {
        return DownstreamStubs.policy.requests().size() + DownstreamStubs.quarantine.requests().size()
                + DownstreamStubs.report.requests().size();
    }

    @Test
    void withoutTokenEveryEndpointIs401AndNothingIsProxied() {
        List<Endpoint> all = new ArrayList<>(Endpoints.READS);
        all.addAll(Endpoints.WRITES);
        all.add(Endpoints.ME);
        for (Endpoint endpoint : all) {
            endpoint.call().statusCode(401);
        }
        assertEquals(0, downstreamCalls());
    }

    @Test
    void garbageTokenIs401() {
        Endpoints.READS.get(0).call("not-a-jwt").statusCode(401);
        Endpoints.ME.call("eyJhbGciOiJub25lIn0.eyJzdWIiOiJ4In0.").statusCode(401);
        assertEquals(0, downstreamCalls());
    }

    @Test
    @TestSecurity(user = "audrey", roles = "auditor")
    void auditorIsRefusedEveryWrite() {
        for (Endpoint endpoint : Endpoints.WRITES) {
            endpoint.call().statusCode(403);
        }
        assertEquals(0, downstreamCalls(), "a refused write never reaches a downstream");
    }

    @Test
    @TestSecurity(user = "audrey", roles = "auditor")
    void auditorMayReadEverything() {
        for (Endpoint endpoint : Endpoints.READS) {
            endpoint.call().statusCode(200);
            DownstreamStub.Request seen = endpoint.downstream().get().last();
            assertEquals(endpoint.method(), seen.method(), endpoint.toString());
            assertEquals(endpoint.path(), seen.path(), endpoint.toString());
        }
    }

    @Test
    @TestSecurity(user = "root", roles = "admin")
    void adminWritesPassThroughToTheRightDownstream() {
        for (Endpoint endpoint : Endpoints.WRITES) {
            endpoint.call().statusCode(200);
            DownstreamStub.Request seen = endpoint.downstream().get().last();
            assertEquals(endpoint.method(), seen.method(), endpoint.toString());
            assertEquals(endpoint.path(), seen.path(), endpoint.toString());
            if (endpoint.body() != null) {
                assertEquals(endpoint.body(), seen.bodyText(), endpoint.toString());
                assertTrue(seen.header("Content-Type").startsWith(endpoint.contentType()), endpoint.toString());
            }
        }
        assertEquals(Endpoints.WRITES.size(), downstreamCalls());
    }

    @Test
    @TestSecurity(user = "root", roles = "admin")
    void adminMayReadToo() {
        for (Endpoint endpoint : Endpoints.READS) {
            endpoint.call().statusCode(200);
        }
    }

    @Test
    @TestSecurity(user = "nobody")
    void userWithoutRolesMayOnlyAskWhoTheyAre() {
        for (Endpoint endpoint : Endpoints.READS) {
            endpoint.call().statusCode(403);
        }
        for (Endpoint endpoint : Endpoints.WRITES) {
            endpoint.call().statusCode(403);
        }
        Endpoints.ME.call().statusCode(200).body("user", equalTo("nobody")).body("roles", empty());
        assertEquals(0, downstreamCalls());
    }

    @Test
    @TestSecurity(user = "root", roles = {"auditor", "admin"})
    void meListsUserAndRoles() {
        Endpoints.ME.call().statusCode(200).body("user", equalTo("root")).body("roles", contains("admin", "auditor"));
    }

    @Test
    @TestSecurity(user = "qmanager", roles = "quarantine-manager")
    void aQuarantineManagerReadsTheQuarantineAndReleasesOrDeletesButChangesNothingElse() {
        for (Endpoint endpoint : Endpoints.READS) {
            boolean quarantine = endpoint.path().startsWith("/api/v1/quarantine");
            endpoint.call().statusCode(quarantine ? 200 : 403);
        }
        for (Endpoint endpoint : Endpoints.QUARANTINE_ACTIONS) {
            endpoint.call().statusCode(200);
            DownstreamStub.Request seen = DownstreamStubs.quarantine.last();
            assertEquals(endpoint.method(), seen.method(), endpoint.toString());
            assertEquals("qmanager", seen.header("X-Portcullis-Actor"));
            assertEquals("MANAGER", seen.header("X-Portcullis-Role"));
            if (endpoint.body() != null) {
                assertEquals(endpoint.body(), seen.bodyText(), "the recipients pass through");
            }
        }
        int before = downstreamCalls();
        for (Endpoint endpoint : Endpoints.WRITES) {
            boolean action = Endpoints.QUARANTINE_ACTIONS.stream().anyMatch(a -> a.method().equals(endpoint.method())
                    && a.path().equals(endpoint.path()));
            if (!action) {
                endpoint.call().statusCode(403); // policy, signatures, sender lists and quarantine areas
            }
        }
        assertEquals(before, downstreamCalls(), "a refused change never reaches a downstream");
    }

    @Test
    @TestSecurity(user = "root", roles = "admin")
    void anAdminsReleaseCarriesTheAdminRoleNeverTheCallersHeader() {
        given().header("X-Portcullis-Role", "USER").header("X-Portcullis-Actor", "x")
                .when().post("/api/v1/quarantine/m1/release").then().statusCode(200);
        assertEquals("ADMIN", DownstreamStubs.quarantine.last().header("X-Portcullis-Role"));
        assertEquals("root", DownstreamStubs.quarantine.last().header("X-Portcullis-Actor"));
    }
}
