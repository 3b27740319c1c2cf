package io.portcullis.systemtests;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.not;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.portcullis.systemtests.support.Messages;
import io.portcullis.systemtests.support.SmtpClient;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.restassured.http.ContentType;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * End users alice and bob (Keycloak password grant) each see only their own quarantined spam; bob cannot release
 * alice's; alice's release reaches the sink; a digest goes to the sink and its release link works once through
 * admin-api without login.
 */
class EndUserQuarantineE2ETest {
    private static final Duration PIPELINE = Duration.ofSeconds(90);
    private static final Pattern RELEASE_LINK = Pattern.compile("Release: (http\\S+/digest-links/[A-Za-z0-9_.-]+)");
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String RULE = "e2e-euq-quarantine-spam";
    private static final String SENDER = "spammer@example.net";
    private static final Stack stack = Stack.get();

    /** The default policy only tags spam: a rule quarantines spam to alice and bob (into the spam area). */
    @BeforeAll
    static void quarantineSpamToAliceAndBob() throws Exception {
        ObjectNode rule = JSON.createObjectNode().put("id", RULE).put("name", "e2e " + RULE).put("priority", 2);
        rule.putObject("scope").putArray("recipients").add("alice@corp.example").add("bob@corp.example");
        rule.putArray("conditions").addObject().put("type", "class").putArray("values").add("SPAM");
        rule.putArray("actions").addObject().put("type", "quarantine").put("value", "spam");
        HttpResponse<String> r = stack.post("PORTCULLIS_POLICY_URL", "/api/v1/policy/rules", "application/json",
                JSON.writeValueAsBytes(rule));
        assertEquals(201, r.statusCode(), r.body());
        byte[] probe = Messages.plain(SENDER, "bob@corp.example", "probe", "spam " + Messages.GTUBE);
        for (String scanner : List.of("PORTCULLIS_SCANNER_URL", "PORTCULLIS_SCANNER_URL_2")) {
            Awaitility.await().atMost(PIPELINE).pollInterval(Duration.ofMillis(500)).until(() -> {
                HttpResponse<String> s = stack.post(scanner, "/api/v1/scan?rcpt=bob@corp.example&mailFrom=" + SENDER,
                        "message/rfc822", probe);
                return s.statusCode() == 200 && s.body().contains("\"" + RULE + "\"");
            });
        }
    }

    @AfterAll
    static void removeRule() {
        stack.delete("PORTCULLIS_POLICY_URL", "/api/v1/policy/rules/" + RULE);
    }

    /**
     * The copy of a released message in a recipient's sink folder: a release is delivered as its rescan verdict
     * ({@code <id>.r<10 hex>}, ADR 0010), which the sink names without the dot.
     */
    private static Optional<Path> releasedCopy(String rcpt, String id) throws Exception {
        Path dir = stack.sinkDir().resolve("rcpt").resolve(rcpt);
        if (!Files.isDirectory(dir)) {
            return Optional.empty();
        }
        try (Stream<Path> files = Files.list(dir)) {
            return files.filter(f -> f.getFileName().toString().matches(id + "r[0-9a-f]{10}\\.eml")).findFirst();
        }
    }

    private String token(String user) {
        return given().formParam("grant_type", "password").formParam("client_id", "portcullis-cli")
                .formParam("username", user).formParam("password", user)
                .post(stack.value("PORTCULLIS_OIDC_URL") + "/protocol/openid-connect/token")
                .then().statusCode(200).extract().path("access_token");
    }

    private String admin() {
        return stack.value("PORTCULLIS_ADMIN_URL");
    }

    private String spamTo(String recipient, String subject) throws Exception {
        try (SmtpClient c = stack.smtp()) {
            SmtpClient.Reply r = c.send(SENDER, List.of(recipient),
                    Messages.plain(SENDER, recipient, subject, "spam " + Messages.GTUBE));
            assertEquals(250, r.code(), r.text());
            return r.queueId();
        }
    }

    private void awaitListed(String token, String id) {
        Awaitility.await().atMost(PIPELINE).pollInterval(Duration.ofMillis(500)).until(() -> given().auth()
                .oauth2(token).get(admin() + "/api/v1/my/quarantine").then().extract().jsonPath()
                .getList("items.messageId").contains(id));
    }

    @Test
    void eachUserSeesAndReleasesOnlyTheirOwnAndADigestLinkWorksOnce() throws Exception {
        String adminToken = token("admin");
        int added = given().auth().oauth2(adminToken).contentType(ContentType.JSON).body("{\"domain\":\"corp.example\"}")
                .post(admin() + "/api/v1/policy/domains").then().extract().statusCode();
        assertTrue(added == 201 || added == 409, "accepted domain corp.example: " + added);
        Awaitility.await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(500)).until(() -> {
            try (SmtpClient c = stack.smtp()) {
                c.command("MAIL FROM:<probe@example.net>");
                return c.command("RCPT TO:<alice@corp.example>").code() == 250;
            }
        });

        String alice = token("alice");
        String bob = token("bob");
        String alicesSpam = spamTo("alice@corp.example", "alice cheap pills");
        String bobsSpam = spamTo("bob@corp.example", "bob cheap pills");
        awaitListed(alice, alicesSpam);
        awaitListed(bob, bobsSpam);

        given().auth().oauth2(alice).get(admin() + "/api/v1/my/quarantine").then().statusCode(200)
                .body("items.messageId", not(hasItem(bobsSpam)));
        given().auth().oauth2(bob).get(admin() + "/api/v1/my/quarantine").then().statusCode(200)
                .body("items.messageId", not(hasItem(alicesSpam)));
        given().auth().oauth2(alice).get(admin() + "/api/v1/my/quarantine/" + bobsSpam).then().statusCode(404);
        given().auth().oauth2(alice).get(admin() + "/api/v1/my/quarantine/" + bobsSpam + "/preview").then()
                .statusCode(404);
        given().auth().oauth2(bob).post(admin() + "/api/v1/my/quarantine/" + alicesSpam + "/release").then()
                .statusCode(404);
        given().auth().oauth2(alice).get(admin() + "/api/v1/my/quarantine/" + alicesSpam + "/preview").then()
                .statusCode(200).header("Content-Security-Policy", containsString("default-src 'none'"))
                .body("text", containsString("GTUBE"));

        given().auth().oauth2(alice).post(admin() + "/api/v1/my/quarantine/" + alicesSpam + "/release").then()
                .statusCode(202);
        Awaitility.await().atMost(PIPELINE).pollInterval(Duration.ofMillis(500))
                .until(() -> releasedCopy("alice@corp.example", alicesSpam).isPresent());
        assertTrue(releasedCopy("bob@corp.example", bobsSpam).isEmpty(), "bob's spam stays held");
        assertTrue(!Files.exists(stack.sinkFile("bob@corp.example", bobsSpam)), "bob's spam stays held");

        // a digest: a new item for alice, then the admin run
        String second = spamTo("alice@corp.example", "alice second pills");
        awaitListed(alice, second);
        given().auth().oauth2(adminToken).queryParam("force", "true").post(admin() + "/api/v1/quarantine/digests/run")
                .then().statusCode(200);
        Path aliceDir = stack.sinkDir().resolve("rcpt").resolve("alice@corp.example");
        String[] digest = new String[1];
        Awaitility.await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(500)).until(() -> {
            digest[0] = findDigest(aliceDir).orElse(null);
            return digest[0] != null;
        });
        String text = digest[0].replace("=\r\n", "").replace("=\n", "").replace("=3D", "=");
        Matcher m = RELEASE_LINK.matcher(text);
        assertTrue(m.find(), "a release link in the digest:\n" + text);
        String link = m.group(1);

        given().get(link).then().statusCode(200).body(containsString("<form method=\"post\">"));
        given().get(link).then().statusCode(200); // a GET (a link scanner) never acts
        given().auth().oauth2(alice).get(admin() + "/api/v1/my/quarantine/" + second).then().statusCode(200)
                .body("recipients[0].status", org.hamcrest.Matchers.equalTo("QUARANTINED"));
        given().post(link).then().statusCode(200).body(containsString("released"));
        given().post(link).then().statusCode(409).body(containsString("already used"));
        Awaitility.await().atMost(PIPELINE).pollInterval(Duration.ofMillis(500))
                .until(() -> releasedCopy("alice@corp.example", second).isPresent());
    }

    private static Optional<String> findDigest(Path dir) throws Exception {
        if (!Files.isDirectory(dir)) {
            return Optional.empty();
        }
        try (Stream<Path> files = Files.list(dir)) {
            for (Path p : files.toList()) {
                String s = Files.readString(p, StandardCharsets.ISO_8859_1);
                if (s.contains("X-Portcullis-Digest:")) {
                    return Optional.of(s);
                }
            }
        }
        return Optional.empty();
    }
}
