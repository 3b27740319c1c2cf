package io.portcullis.admin;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.security.TestSecurity;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** {@code /api/v1/spam/...}: who may report what, and what reaches policy-service. */
@QuarkusTest
@QuarkusTestResource(value = DownstreamStubs.class, restrictToAnnotatedClass = true)
@QuarkusTestResource(value = OidcTestKeys.class, restrictToAnnotatedClass = true)
class SpamProxyTest {
    private static final byte[] EML = "Subject: cheap pills\r\n\r\nbuy now\r\n".getBytes(StandardCharsets.US_ASCII);
    private static final String ACCEPTED = "{\"feedbackId\":\"f1\",\"messageId\":\"m1\"}";

    @BeforeEach
    void reset() {
        DownstreamStubs.resetAll();
        DownstreamStubs.policy.respond("POST", "/api/v1/spam/feedback", 202, ACCEPTED);
    }

    private static io.restassured.response.ValidatableResponse report(String query) {
        return given().contentType("message/rfc822").body(EML).when().post("/api/v1/spam/feedback" + query).then();
    }

    @Test
    void withoutTokenReportingIs401() {
        report("?label=spam").statusCode(401);
        given().when().get("/api/v1/spam/learned").then().statusCode(401);
        assertEquals(0, DownstreamStubs.policy.requests().size());
    }

    @Test
    @TestSecurity(user = "ursula")
    void aUserWithoutRolesMayReportSpamAsThemselvesNeverAsSomeoneElse() {
        report("?label=spam&messageId=m1&actor=admin&source=admin").statusCode(202).body(equalTo(ACCEPTED));
        DownstreamStub.Request seen = DownstreamStubs.policy.last();
        assertArrayEquals(EML, seen.body());
        assertTrue(seen.query().contains("label=spam"), seen.query());
        assertTrue(seen.query().contains("messageId=m1"), seen.query());
        assertTrue(seen.query().contains("actor=ursula"), seen.query());
        assertTrue(seen.query().contains("source=user_report"), seen.query());
        assertTrue(!seen.query().contains("actor=admin") && !seen.query().contains("source=admin"), seen.query());
    }

    @Test
    @TestSecurity(user = "ursula")
    void aUserMayNotReportHamChooseTheTenantOrReadTheLearnedCounts() {
        report("?label=ham").statusCode(403).body("message", containsString("only admins may report ham"));
        report("?label=spam&label=HAM").statusCode(403);
        report("?label=spam&tenant=other").statusCode(403).body("message", containsString("tenant"));
        given().when().get("/api/v1/spam/learned").then().statusCode(403);
        assertEquals(0, DownstreamStubs.policy.requests().size(), "nothing refused reaches policy-service");
    }

    @Test
    @TestSecurity(user = "audrey", roles = "auditor")
    void anAuditorMayReadTheLearnedCountsAndReportSpamLikeAnyUser() {
        given().queryParam("tenant", "default").when().get("/api/v1/spam/learned").then().statusCode(200);
        assertEquals("tenant=default", DownstreamStubs.policy.last().query());
        report("?label=spam").statusCode(202);
        report("?label=ham").statusCode(403);
    }

    @Test
    @TestSecurity(user = "root", roles = "admin")
    void anAdminReportsHamForATenantAsAdminAndErrorsPassThrough() {
        report("?label=ham&tenant=acme").statusCode(202);
        String q = DownstreamStubs.policy.last().query();
        assertTrue(q.contains("label=ham") && q.contains("tenant=acme") && q.contains("actor=root")
                && q.contains("source=admin"), q);
        DownstreamStubs.policy.respond("POST", "/api/v1/spam/feedback", 413,
                "{\"error\":\"the message is larger than the limit\",\"field\":\"body\"}");
        report("?label=spam").statusCode(413).body("field", equalTo("body"));
        given().contentType("application/json").body("{}").when().post("/api/v1/spam/feedback?label=spam").then()
                .statusCode(415);
    }
}
