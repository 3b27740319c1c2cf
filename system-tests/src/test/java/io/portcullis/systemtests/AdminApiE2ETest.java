package io.portcullis.systemtests;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.notNullValue;

import io.portcullis.systemtests.support.SmtpClient;
import io.restassured.http.ContentType;
import java.time.Duration;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;

/** The admin API behind the real Keycloak: tokens from the imported realm, roles admin and auditor. */
class AdminApiE2ETest {
    private final Stack stack = Stack.get();

    private String token(String user, String password) {
        return given().formParam("grant_type", "password").formParam("client_id", "portcullis-cli")
                .formParam("username", user).formParam("password", password)
                .post(stack.value("PORTCULLIS_OIDC_URL") + "/protocol/openid-connect/token")
                .then().statusCode(200).extract().path("access_token");
    }

    private int rcptCode(String recipient) throws Exception {
        try (SmtpClient c = stack.smtp()) {
            c.command("MAIL FROM:<policy-check@example.net>");
            return c.command("RCPT TO:<" + recipient + ">").code();
        }
    }

    private String admin() {
        return stack.value("PORTCULLIS_ADMIN_URL");
    }

    @Test
    void answers401WithoutAToken() {
        given().get(admin() + "/api/v1/policy/snapshot").then().statusCode(401);
        given().get(admin() + "/api/v1/quarantine").then().statusCode(401);
        given().get(admin() + "/api/v1/tracking").then().statusCode(401);
        given().auth().oauth2("not-a-token").get(admin() + "/api/v1/policy/snapshot").then().statusCode(401);
    }

    @Test
    void answers403WhenTheRoleIsWrong() {
        String auditor = token("auditor", "auditor");
        given().auth().oauth2(auditor).contentType(ContentType.JSON).body("{\"domain\":\"auditor-may-not.example\"}")
                .post(admin() + "/api/v1/policy/domains").then().statusCode(403);
        given().auth().oauth2(auditor).post(admin() + "/api/v1/quarantine/NOPE/release").then().statusCode(403);
        String nobody = token("nobody", "nobody");
        given().auth().oauth2(nobody).get(admin() + "/api/v1/policy/snapshot").then().statusCode(403);
    }

    @Test
    void auditorReadsAndAdminChangesPolicyThroughTheApi() {
        String auditor = token("auditor", "auditor");
        given().auth().oauth2(auditor).get(admin() + "/api/v1/policy/snapshot").then().statusCode(200)
                .body("acceptedDomains", hasItem("example.com"));
        given().auth().oauth2(auditor).get(admin() + "/api/v1/tracking").then().statusCode(200);

        String admin = token("admin", "admin");
        String domain = "e2e-" + System.nanoTime() + ".example";
        given().auth().oauth2(admin).contentType(ContentType.JSON).body("{\"domain\":\"" + domain + "\"}")
                .post(admin() + "/api/v1/policy/domains").then().statusCode(201);
        given().auth().oauth2(admin).get(admin() + "/api/v1/policy/snapshot").then().statusCode(200)
                .body("acceptedDomains", hasItem(domain)).body("version", notNullValue());
        // The change reaches the edge through the outbox and the policy-changed topic: relay to it is now accepted.
        Awaitility.await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(500))
                .until(() -> rcptCode("someone@" + domain) == 250);
        given().auth().oauth2(admin).delete(admin() + "/api/v1/policy/domains/" + domain).then().statusCode(204);
        Awaitility.await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(500))
                .until(() -> rcptCode("someone@" + domain) == 550);
    }
}
