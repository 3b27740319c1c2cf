package io.portcullis.admin;

import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Signed, Keycloak-shaped bearer tokens through the real OIDC verification (no @TestSecurity). */
@QuarkusTest
@QuarkusTestResource(value = DownstreamStubs.class, restrictToAnnotatedClass = true)
@QuarkusTestResource(value = OidcTestKeys.class, restrictToAnnotatedClass = true)
class RealTokenTest {

    @BeforeEach
    void reset() {
        DownstreamStubs.resetAll();
    }

    @Test
    void realmRolesFromRealmAccessAndUserFromPreferredUsername() {
        String admin = OidcTestKeys.token("alice", List.of("admin", "default-roles-portcullis"));
        Endpoints.ME.call(admin).statusCode(200).body("user", equalTo("alice"))
                .body("roles", contains("admin", "default-roles-portcullis"));
        Endpoints.WRITES.get(6).call(admin).statusCode(200); // release
        assertEquals("alice", DownstreamStubs.quarantine.last().header("X-Portcullis-Actor"));
    }

    @Test
    void auditorTokenReadsButCannotWrite() {
        String auditor = OidcTestKeys.token("audrey", List.of("auditor"));
        Endpoints.READS.get(4).call(auditor).statusCode(200);
        Endpoints.WRITES.get(6).call(auditor).statusCode(403);
        Endpoints.WRITES.get(0).call(auditor).statusCode(403);
    }

    @Test
    void tokenWithoutRolesIsForbiddenNotUnauthorized() {
        String nobody = OidcTestKeys.token("nobody", List.of());
        Endpoints.READS.get(0).call(nobody).statusCode(403);
        Endpoints.ME.call(nobody).statusCode(200).body("user", equalTo("nobody"));
    }

    @Test
    void wrongAudienceIssuerKeyOrExpiryIs401() {
        Instant later = Instant.now().plusSeconds(300);
        List<String> admin = List.of("admin");
        Endpoints.ME.call(OidcTestKeys.token("a", admin, "account", OidcTestKeys.ISSUER, later, false))
                .statusCode(401);
        Endpoints.ME.call(OidcTestKeys.token("a", admin, OidcTestKeys.AUDIENCE, "https://evil.test/realms/x", later,
                false)).statusCode(401);
        Endpoints.ME.call(OidcTestKeys.token("a", admin, OidcTestKeys.AUDIENCE, OidcTestKeys.ISSUER, later, true))
                .statusCode(401);
        Endpoints.ME.call(OidcTestKeys.token("a", admin, OidcTestKeys.AUDIENCE, OidcTestKeys.ISSUER,
                Instant.now().minusSeconds(600), false)).statusCode(401);
        assertEquals(0, DownstreamStubs.quarantine.requests().size());
    }
}
