package io.portcullis.systemtests;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsInAnyOrder;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.portcullis.systemtests.support.Messages;
import io.portcullis.systemtests.support.SmtpClient;
import io.restassured.response.Response;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Keycloak's LDAP user federation against the development directory (deploy/ldap/portcullis-dev.ldif): users who
 * exist only in the directory (dave, carol: no local Keycloak user) log in with their directory password, their
 * token carries the directory mail as a verified {@code email}, and their own quarantine (owner = mail + aliases from
 * the directory) works through admin-api.
 */
class KeycloakDirectoryE2ETest {
    private static final Duration PIPELINE = Duration.ofSeconds(90);
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String ALIAS = "dave.davis@corp.example";
    private static final String RULE = "e2e-kcldap-spam";
    private static final String SENDER = "spammer@example.net";
    private static final Stack stack = Stack.get();

    /** The default policy only tags spam: a rule for dave's alias quarantines it (like ReleaseE2ETest's). */
    @BeforeAll
    static void quarantineSpamToDavesAlias() throws Exception {
        ObjectNode rule = JSON.createObjectNode().put("id", RULE).put("name", "e2e " + RULE).put("priority", 2);
        rule.putObject("scope").putArray("recipients").add(ALIAS);
        rule.putArray("conditions").addObject().put("type", "class").putArray("values").add("SPAM");
        rule.putArray("actions").addObject().put("type", "quarantine");
        HttpResponse<String> r = stack.post("PORTCULLIS_POLICY_URL", "/api/v1/policy/rules", "application/json",
                JSON.writeValueAsBytes(rule));
        assertEquals(201, r.statusCode(), r.body());
        byte[] probe = Messages.plain(SENDER, ALIAS, "probe", "spam " + Messages.GTUBE);
        for (String scanner : List.of("PORTCULLIS_SCANNER_URL", "PORTCULLIS_SCANNER_URL_2")) {
            Awaitility.await().atMost(PIPELINE).pollInterval(Duration.ofMillis(500)).until(() -> {
                HttpResponse<String> s = stack.post(scanner, "/api/v1/scan?rcpt=" + ALIAS + "&mailFrom=" + SENDER,
                        "message/rfc822", probe);
                return s.statusCode() == 200 && s.body().contains("\"" + RULE + "\"");
            });
        }
    }

    @AfterAll
    static void removeRule() {
        stack.delete("PORTCULLIS_POLICY_URL", "/api/v1/policy/rules/" + RULE);
    }

    private Response tokenResponse(String user, String password) {
        return given().formParam("grant_type", "password").formParam("client_id", "portcullis-cli")
                .formParam("username", user).formParam("password", password)
                .post(stack.value("PORTCULLIS_OIDC_URL") + "/protocol/openid-connect/token");
    }

    private String token(String user, String password) {
        return tokenResponse(user, password).then().statusCode(200).extract().path("access_token");
    }

    private static JsonNode claims(String jwt) throws Exception {
        String[] parts = jwt.split("\\.");
        return JSON.readTree(new String(Base64.getUrlDecoder().decode(parts[1]), StandardCharsets.UTF_8));
    }

    private String admin() {
        return stack.value("PORTCULLIS_ADMIN_URL");
    }

    @Test
    void aDirectoryOnlyUserLogsInWithTheDirectoryPasswordAndSeesTheirOwnQuarantine() throws Exception {
        String dave = token("dave", "dave");
        JsonNode claims = claims(dave);
        assertEquals("dave", claims.path("preferred_username").asText(), claims.toString());
        assertEquals("dave@corp.example", claims.path("email").asText(), claims.toString());
        assertTrue(claims.path("email_verified").asBoolean(false), "trusted directory mail: " + claims);
        assertEquals("Dave", claims.path("given_name").asText(), "cn split by the full-name mapper: " + claims);
        assertEquals("Davis", claims.path("family_name").asText(), claims.toString());

        given().auth().oauth2(dave).get(admin() + "/api/v1/me").then().statusCode(200)
                .body("user", equalTo("dave"));
        given().auth().oauth2(dave).get(admin() + "/api/v1/my/quarantine").then().statusCode(200)
                .body("owner.address", equalTo("dave@corp.example"))
                .body("owner.source", equalTo("directory"))
                .body("owner.addresses", containsInAnyOrder("dave@corp.example", ALIAS));

        // spam to dave's directory alias lands in dave's own quarantine
        String id;
        try (SmtpClient c = stack.smtp()) {
            SmtpClient.Reply r = c.send(SENDER, List.of(ALIAS),
                    Messages.plain(SENDER, ALIAS, "dave alias pills", "spam " + Messages.GTUBE));
            assertEquals(250, r.code(), r.text());
            id = r.queueId();
        }
        Awaitility.await().atMost(PIPELINE).pollInterval(Duration.ofMillis(500)).until(() -> given().auth()
                .oauth2(dave).get(admin() + "/api/v1/my/quarantine").then().extract().jsonPath()
                .getList("items.messageId").contains(id));
        given().auth().oauth2(dave).get(admin() + "/api/v1/my/quarantine/" + id).then().statusCode(200)
                .body("recipients.address", hasItem(ALIAS));

        // another directory user does not see it
        String carol = token("carol", "carol");
        assertEquals("carol@corp.example", claims(carol).path("email").asText());
        given().auth().oauth2(carol).get(admin() + "/api/v1/my/quarantine").then().statusCode(200)
                .body("owner.address", equalTo("carol@corp.example"));
        given().auth().oauth2(carol).get(admin() + "/api/v1/my/quarantine/" + id).then().statusCode(404);
    }

    @Test
    void aWrongDirectoryPasswordOrAnUnknownUserIsRefused() {
        Response wrong = tokenResponse("carol", "not-carols-password");
        assertEquals(401, wrong.statusCode(), wrong.asString());
        assertEquals("invalid_grant", wrong.jsonPath().getString("error"), wrong.asString());
        Response unknown = tokenResponse("mallory", "mallory");
        assertEquals(401, unknown.statusCode(), unknown.asString());
        // the right password still works afterwards (one failure does not lock the account)
        assertFalse(token("carol", "carol").isBlank());
    }

    @Test
    void theDirectoryTwinsOfTheLocalEndUsersComeFromTheDirectory() throws Exception {
        // alice exists in the directory: the realm imported with it has no local alice, so her token is the
        // directory's (verified mail; the alias accounts@ joins her owner set through policy-service's look-up)
        String alice = token("alice", "alice");
        assertEquals("alice@corp.example", claims(alice).path("email").asText());
        assertEquals("Adams", claims(alice).path("family_name").asText(), "the directory's cn, not the local user's");
        given().auth().oauth2(alice).get(admin() + "/api/v1/my/quarantine").then().statusCode(200)
                .body("owner.addresses", containsInAnyOrder("alice@corp.example", "accounts@corp.example"));
        // the operators stay local Keycloak users
        assertEquals(200, tokenResponse("admin", "admin").statusCode());
    }
}
