package io.portcullis.admin;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.security.TestSecurity;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** {@code POST /api/v1/policy/simulate} is relayed to policy-service unchanged, both ways. */
@QuarkusTest
@QuarkusTestResource(value = DownstreamStubs.class, restrictToAnnotatedClass = true)
@QuarkusTestResource(value = OidcTestKeys.class, restrictToAnnotatedClass = true)
@TestSecurity(user = "root", roles = "admin")
class SimulationProxyTest {
    private static final String SIMULATE = "/api/v1/policy/simulate";

    @BeforeEach
    void reset() {
        DownstreamStubs.resetAll();
    }

    @Test
    void requestAndResultPassThroughUnchanged() {
        String request = "{\"rule\":{\"id\":\"quarantine-exe\",\"name\":\"x\",\"priority\":22,\"conditions\":"
                + "[{\"type\":\"attachment-extension\",\"values\":[\"exe\"]}],\"actions\":[{\"type\":\"quarantine\"}]},"
                + "\"limit\":500}";
        String result = "{\"policyVersion\":4,\"messages\":500,\"changed\":2,\"uncertain\":0}";
        DownstreamStubs.policy.respond("POST", SIMULATE, 200, result);
        given().contentType("application/json").body(request).when().post(SIMULATE).then().statusCode(200)
                .body(equalTo(result));
        assertEquals("POST", DownstreamStubs.policy.last().method());
        assertEquals(SIMULATE, DownstreamStubs.policy.last().path());
        assertEquals(request, DownstreamStubs.policy.last().bodyText());
    }

    @Test
    void badRuleAndReportServiceDownAnswersPassThrough() {
        String invalid = "{\"error\":\"rule.conditions[0].operator: unknown operator '~'\","
                + "\"field\":\"rule.conditions[0].operator\"}";
        DownstreamStubs.policy.respond("POST", SIMULATE, 400, invalid);
        given().contentType("application/json").body("{\"rule\":{}}").when().post(SIMULATE).then().statusCode(400)
                .body(equalTo(invalid));

        String down = "{\"error\":\"rule simulation needs the recorded verdicts of report-service: report-service is "
                + "unreachable\",\"field\":null}";
        DownstreamStubs.policy.respond("POST", SIMULATE, 503, down);
        given().contentType("application/json").body("{\"rule\":{}}").when().post(SIMULATE).then().statusCode(503)
                .body(equalTo(down));
    }
}
