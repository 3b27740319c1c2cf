package io.portcullis.policy.rest;

import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasSize;
import static org.hamcrest.Matchers.not;
import static org.hamcrest.Matchers.nullValue;
import static org.hamcrest.Matchers.startsWith;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.portcullis.contracts.events.Action;
import io.portcullis.contracts.events.EventJson;
import io.portcullis.contracts.events.HeaderField;
import io.portcullis.contracts.policy.PolicyRule;
import io.portcullis.contracts.policy.PolicySnapshot;
import io.portcullis.contracts.scan.Category;
import io.portcullis.contracts.scan.Finding;
import io.portcullis.policy.InMemoryKafkaResource;
import io.portcullis.policy.PolicyDatabase;
import io.portcullis.policy.engine.CompiledPolicy;
import io.portcullis.policy.engine.Directory;
import io.portcullis.policy.engine.PolicyInput;
import io.portcullis.policy.engine.PolicyOutcome;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.path.json.JsonPath;
import jakarta.inject.Inject;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Rules in the full form through the REST API: storage, validation, migration of the seed, versions, audit. */
@QuarkusTest
@QuarkusTestResource(InMemoryKafkaResource.class)
class FullRuleResourceTest {
    static final String BASE = "/api/v1/policy";
    static final String ACTOR = "X-Portcullis-Actor";
    static final String FULL = """
            {"id":"big-outbound","name":"Hold large outbound mail from sales","priority":3,"direction":"OUTBOUND",
             "scope":{"senders":["*@sales.example.com","group:sales"],"exceptSenders":["boss@sales.example.com"]},
             "conditions":[{"type":"message-size","operator":">","threshold":10485760},
                           {"type":"attachment-extension","values":["zip","7z"],"negate":true}],
             "actions":[{"type":"quarantine","value":"large-mail"},
                        {"type":"notify","value":"held-large","addresses":["sender","admin"]},
                        {"type":"add-header","headers":[{"name":"X-Held","value":"size"}]}]}
            """;

    @Inject
    PolicyDatabase database;

    @BeforeEach
    void reset() {
        await().atMost(Duration.ofSeconds(30)).until(() -> database.count("outbox") == 0);
        database.resetToSeed();
    }

    @AfterEach
    void drain() {
        await().atMost(Duration.ofSeconds(30)).until(() -> database.count("outbox") == 0);
    }

    static PolicySnapshot snapshot() {
        return EventJson.read(given().get(BASE + "/snapshot").then().statusCode(200).extract().asByteArray(),
                PolicySnapshot.class);
    }

    @Test
    void fullRuleIsCreatedReadReplacedAndDeletedEachAVersionAndAnAuditEntryWithTheUser() {
        long v0 = snapshot().version();
        given().contentType(ContentType.JSON).header(ACTOR, "alice").body(FULL).post(BASE + "/rules")
                .then().statusCode(201)
                .body("direction", equalTo("OUTBOUND"))
                .body("scope.senders", equalTo(List.of("*@sales.example.com", "group:sales")))
                .body("scope.recipients", equalTo(List.of()))
                .body("conditions[0].type", equalTo("message-size"))
                .body("conditions[1].negate", equalTo(true))
                .body("actions[1].addresses", equalTo(List.of("sender", "admin")))
                .body("match", nullValue()).body("action", nullValue()).body("source", nullValue());

        PolicySnapshot s1 = snapshot();
        assertEquals(v0 + 1, s1.version());
        PolicyRule stored = s1.rules().get(0);
        assertEquals("big-outbound", stored.id());
        assertEquals(io.portcullis.contracts.policy.Direction.OUTBOUND, stored.direction());
        assertEquals(List.of("boss@sales.example.com"), stored.scope().exceptSenders());
        assertEquals(10485760.0, stored.conditions().get(0).threshold());
        assertEquals("large-mail", stored.actions().get(0).value());
        assertEquals(List.of(new HeaderField("X-Held", "size")), stored.actions().get(2).headers());
        assertNull(stored.match(), "no short form: scanners of the first releases skip it");
        CompiledPolicy.compile(s1); // what the scanners do with it

        String replaced = FULL.replace("\"priority\":3", "\"priority\":4").replace("large-mail", "held");
        given().contentType(ContentType.JSON).header(ACTOR, "bob").body(replaced).put(BASE + "/rules/big-outbound")
                .then().statusCode(200).body("priority", equalTo(4)).body("actions[0].value", equalTo("held"));
        given().header(ACTOR, "carol").delete(BASE + "/rules/big-outbound").then().statusCode(204);
        assertEquals(v0 + 3, snapshot().version());

        JsonPath audit = given().get(BASE + "/audit?limit=3").then().statusCode(200).body("$", hasSize(3))
                .extract().jsonPath();
        assertEquals(List.of("rule.delete", "rule.replace", "rule.create"), audit.getList("operation"));
        assertEquals(List.of("carol", "bob", "alice"), audit.getList("actor"));
        assertEquals(List.of(v0 + 3, v0 + 2, v0 + 1), audit.getList("version", Long.class));
        assertEquals(List.of("big-outbound", "big-outbound", "big-outbound"), audit.getList("target"));
        assertNull(audit.get("[2].before"));
        assertEquals("large-mail", audit.getString("[1].before.actions[0].value"));
        assertEquals("held", audit.getString("[1].after.actions[0].value"));
        assertEquals(4, audit.getInt("[0].before.priority"));
        assertNull(audit.get("[0].after"));

        // paging: before=<smallest id seen>
        long newest = audit.getLong("[0].id");
        given().get(BASE + "/audit?limit=1&before=" + newest).then().statusCode(200)
                .body("[0].operation", equalTo("rule.replace"));
        given().get(BASE + "/audit?limit=0").then().statusCode(400).body("field", equalTo("limit"));
        given().get(BASE + "/audit?limit=501").then().statusCode(400).body("field", equalTo("limit"));

        // the policy as it was at each version
        PolicySnapshot atV1 = EventJson.read(given().get(BASE + "/versions/" + (v0 + 1)).then().statusCode(200)
                .body("actor", equalTo("alice")).body("what", equalTo("rules")).extract().asByteArray(),
                VersionBody.class).snapshot();
        assertEquals(s1.rules(), atV1.rules());
        assertEquals(v0 + 1, atV1.version());
        given().get(BASE + "/versions/" + (v0 + 2)).then().statusCode(200)
                .body("snapshot.rules[0].priority", equalTo(4));
        given().get(BASE + "/versions/" + (v0 + 3)).then().statusCode(200)
                .body("snapshot.rules.id", not(org.hamcrest.Matchers.hasItem("big-outbound")));
        given().get(BASE + "/versions/1").then().statusCode(404).body("field", equalTo("version"));
    }

    record VersionBody(long version, Instant at, String actor, String what, PolicySnapshot snapshot) {
    }

    @Test
    void domainSettingsAndSenderListChangesAreAuditedWithTheirActorOrSystem() {
        given().contentType(ContentType.JSON).header(ACTOR, "dave").body("{\"domain\":\"audit.example\"}")
                .post(BASE + "/domains").then().statusCode(201);
        given().contentType(ContentType.JSON).body("{\"spamThreshold\":6.5,\"blockedExtensions\":[\"exe\"]}")
                .put(BASE + "/settings").then().statusCode(200);
        given().contentType(ContentType.JSON).header(ACTOR, "erin")
                .body("{\"owner\":\"*\",\"sender\":\"spam.example\",\"kind\":\"BLOCKED\"}")
                .post("/api/v1/sender-lists").then().statusCode(201);
        JsonPath audit = given().get(BASE + "/audit").then().statusCode(200).extract().jsonPath();
        assertEquals(List.of("sender-list.add", "settings.replace", "domain.add"), audit.getList("operation"));
        assertEquals(List.of("erin", "system", "dave"), audit.getList("actor"));
        assertEquals(5.0f, audit.getFloat("[1].before.spamThreshold"));
        assertEquals(6.5f, audit.getFloat("[1].after.spamThreshold"));
        assertEquals("audit.example", audit.getString("[2].target"));
        assertEquals("spam.example", audit.getString("[0].after.sender"));
        given().contentType(ContentType.JSON).header(ACTOR, "x".repeat(200)).body("{\"domain\":\"b.example\"}")
                .post(BASE + "/domains").then().statusCode(400).body("field", equalTo(ACTOR));
    }

    @Test
    void everyKindOfInvalidRuleIs400NamingTheFieldAndChangesNothing() {
        record Case(String body, String field) {
        }
        String head = "\"name\":\"n\",\"priority\":1,";
        String deliver = "\"actions\":[{\"type\":\"deliver\"}]";
        long before = snapshot().version();
        for (Case c : List.of(
                new Case("{" + head + "\"conditions\":[{\"type\":\"phase-of-moon\",\"values\":[\"full\"]}]," + deliver
                        + "}", "conditions[0].type"),
                new Case("{" + head + "\"conditions\":[{\"type\":\"message-size\",\"operator\":\"~\",\"threshold\":5}],"
                        + deliver + "}", "conditions[0].operator"),
                new Case("{" + head + "\"conditions\":[{\"type\":\"message-size\",\"values\":[\"5\"]}]," + deliver + "}",
                        "conditions[0].values"),
                new Case("{" + head + "\"conditions\":[{\"type\":\"header\",\"field\":\"Subject\",\"values\":[\"(a\"]}],"
                        + deliver + "}", "conditions[0].values[0]"),
                new Case("{" + head + "\"actions\":[{\"type\":\"deliver\"},{\"type\":\"quarantine\"}]}",
                        "actions[1].type"),
                new Case("{" + head + "\"actions\":[{\"type\":\"explode\"}]}", "actions[0].type"),
                new Case("{" + head + "\"scope\":{\"senders\":[\"not an address@@\"]}," + deliver + "}",
                        "scope.senders[0]"),
                new Case("{" + head + "\"scope\":{\"recipients\":[\"a@b.example\",\"x@-bad..example\"]}," + deliver
                        + "}", "scope.recipients[1]"),
                new Case("{" + head + "\"conditions\":[{\"type\":\"time-of-day\",\"values\":[\"Mon-Fri 25:00-26:00\"]}],"
                        + deliver + "}", "conditions[0].values[0]"),
                new Case("{" + head + "\"actions\":[{\"type\":\"defer\",\"value\":\"Someday\"}]}", "actions[0].value"),
                new Case("{" + head + "\"actions\":[{\"type\":\"bcc\",\"addresses\":[\"nobody\"]}]}",
                        "actions[0].addresses[0]"),
                new Case("{" + head + "\"actions\":[{\"type\":\"add-header\",\"headers\":[{\"name\":\"Bcc\",\"value\":"
                        + "\"v@example.com\"}]}]}", "actions[0].headers[0].name"),
                new Case("{" + head + "\"conditions\":[{\"type\":\"class\",\"values\":[\"VIRUS\"],\"bogus\":1}],"
                        + deliver + "}", "conditions[0].bogus"),
                new Case("{" + head + "\"direction\":\"SIDEWAYS\"," + deliver + "}", "direction"),
                new Case("{" + head + "\"expiresAt\":\"2001-01-01T00:00:00Z\"," + deliver + "}", "expiresAt"),
                new Case("{" + head + "\"expiresAt\":\"tomorrow\"," + deliver + "}", "expiresAt"),
                new Case("{" + head + "\"match\":\"VIRUS\"," + deliver + "}", "actions"),
                new Case("{" + head + "\"action\":\"DELETE\",\"conditions\":[]}", "conditions"),
                new Case("{" + head + "\"conditions\":[]}", "actions"),
                new Case("{" + head + "\"actions\":[]}", "actions"))) {
            given().contentType(ContentType.JSON).body(c.body()).post(BASE + "/rules")
                    .then().statusCode(400).body("field", equalTo(c.field())).body("error", not(nullValue()));
        }
        assertEquals(before, snapshot().version());
        assertEquals(0, database.count("outbox"));
        assertEquals(0, database.count("policy_audit"));
    }

    @Test
    void shortFormInputIsStoredInTheFullFormAndStillShownInTheShortForm() {
        given().contentType(ContentType.JSON).body("""
                {"id":"gtube-tag","name":"Tag GTUBE","priority":2,"match":"SYMBOL:GTUBE","action":"TAG",
                 "subjectPrefix":"[GTUBE] ","addHeaders":[{"name":"X-Gtube","value":"1"}],
                 "scope":{"recipients":["*@example.com"]}}
                """).post(BASE + "/rules").then().statusCode(201)
                .body("conditions[0].type", equalTo("symbol")).body("conditions[0].values[0]", equalTo("GTUBE"))
                .body("actions.type", equalTo(List.of("deliver", "tag-subject", "add-header")))
                .body("actions[1].value", equalTo("[GTUBE] "))
                .body("scope.recipients[0]", equalTo("*@example.com"))
                .body("match", nullValue()); // scoped: no exact short form
        given().contentType(ContentType.JSON).body("""
                {"name":"Tag GTUBE","priority":2,"match":"SYMBOL:GTUBE","action":"TAG","subjectPrefix":"[GTUBE] "}
                """).put(BASE + "/rules/gtube-tag").then().statusCode(200)
                .body("match", equalTo("SYMBOL:GTUBE")).body("action", equalTo("TAG"))
                .body("subjectPrefix", equalTo("[GTUBE] ")).body("scope.recipients", hasSize(0));
        PolicyRule r = snapshot().rules().get(0);
        assertEquals("SYMBOL:GTUBE", r.match());
        assertEquals(Action.TAG, r.action());
    }

    /** The seed rules as the first releases stored them (V2, V3, V5, V6), read the way PolicyRule reads them. */
    static final List<PolicyRule> SEED_SHORT_FORM = List.of(
            new PolicyRule("mass-mailer-delete", "Delete mass-mailing worms without notifying the sender", 5,
                    "MASS_MAILER", Action.DELETE, null, List.of()),
            new PolicyRule("virus-quarantine", "Quarantine viruses", 10, "VIRUS", Action.QUARANTINE, null, List.of()),
            new PolicyRule("grayware-quarantine", "Quarantine spyware, adware and other grayware", 15, "GRAYWARE",
                    Action.QUARANTINE, null, List.of()),
            new PolicyRule("blocked-attachment-quarantine", "Quarantine blocked attachments", 20,
                    "BLOCKED_ATTACHMENT", Action.QUARANTINE, null, List.of()),
            new PolicyRule("active-content-quarantine",
                    "Quarantine macros, PDF JavaScript, ActiveX, applets and HTML smuggling", 25, "ACTIVE_CONTENT",
                    Action.QUARANTINE, null, List.of()),
            new PolicyRule("scan-failure-quarantine", "Quarantine when a scan failed", 30, "SCAN_FAILURE",
                    Action.QUARANTINE, null, List.of()),
            new PolicyRule("blocked-sender-quarantine", "Quarantine mail from blocked senders", 34,
                    "SYMBOL:BLOCKED_SENDER", Action.QUARANTINE, null, List.of()),
            new PolicyRule("dmarc-reject-quarantine", "Quarantine mail failing DMARC of a domain that asks for reject",
                    35, "SYMBOL:DMARC_REJECT", Action.QUARANTINE, null, List.of()),
            new PolicyRule("safe-sender-deliver", "Deliver mail from safe senders without spam filtering", 38,
                    "SYMBOL:SAFE_SENDER", Action.DELIVER, null, List.of()),
            new PolicyRule("spam-tag", "Tag spam", 40, "SPAM", Action.TAG, "[SPAM] ",
                    List.of(new HeaderField("X-Portcullis-Spam", "yes"))));

    @Test
    void migratedSeedRulesAreTheFullFormOfTheShortOnesAndDecideExactlyAsBefore() {
        PolicySnapshot migrated = snapshot();
        // the full form only, as V8 stored it (drop the short form the snapshot adds for old scanners)
        List<PolicyRule> fullOnly = migrated.rules().stream().map(r -> new PolicyRule(r.id(), r.name(), r.priority(),
                null, null, null, null, r.direction(), r.scope(), r.conditions(), r.actions(), r.expiresAt()))
                .toList();
        assertEquals(SEED_SHORT_FORM.size(), fullOnly.size());
        for (int i = 0; i < fullOnly.size(); i++) {
            PolicyRule old = SEED_SHORT_FORM.get(i);
            PolicyRule now = fullOnly.get(i);
            assertEquals(old.id(), now.id());
            assertEquals(old.conditions(), now.conditions(), old.id());
            assertEquals(old.actions(), now.actions(), old.id());
            assertEquals(old.direction(), now.direction());
            assertEquals(old.scope(), now.scope());
            // and the short form shown to old scanners is the original one
            assertEquals(old.match(), migrated.rules().get(i).match(), old.id());
            assertEquals(old.action(), migrated.rules().get(i).action(), old.id());
            assertEquals(old.subjectPrefix(), migrated.rules().get(i).subjectPrefix(), old.id());
            assertEquals(old.addHeaders(), migrated.rules().get(i).addHeaders(), old.id());
        }
        CompiledPolicy before = CompiledPolicy.compile(new PolicySnapshot("default", 1, migrated.acceptedDomains(),
                migrated.spamThreshold(), migrated.blockedExtensions(), SEED_SHORT_FORM));
        CompiledPolicy after = CompiledPolicy.compile(new PolicySnapshot("default", 1, migrated.acceptedDomains(),
                migrated.spamThreshold(), migrated.blockedExtensions(), fullOnly));
        Map<String, List<Finding>> cases = Map.ofEntries(
                Map.entry("clean", List.of()),
                Map.entry("virus", List.of(new Finding("AV_EICAR", Category.VIRUS, 0, "eicar"))),
                Map.entry("mass-mailer", List.of(new Finding("AV_WORM_MASS_MAILER", Category.VIRUS, 0, "w"))),
                Map.entry("grayware", List.of(new Finding("AV_ADWARE", Category.GRAYWARE, 0, "a"))),
                Map.entry("blocked-attachment", List.of(new Finding("BANNED_EXTENSION", Category.BLOCKED_ATTACHMENT,
                        0, "exe"))),
                Map.entry("active-content", List.of(new Finding("OFFICE_MACRO", Category.ACTIVE_CONTENT, 0, "m"))),
                Map.entry("failure", List.of(new Finding("AV_FAIL", Category.FAILURE, 0, "timeout"))),
                Map.entry("spam", List.of(new Finding("BAYES_SPAM", Category.SPAM, 7.5, "b"))),
                Map.entry("spam-below-threshold", List.of(new Finding("BAYES_SPAM", Category.SPAM, 2.0, "b"))),
                Map.entry("blocked-sender", List.of(new Finding("BLOCKED_SENDER", Category.INFO, 0, "l"))),
                Map.entry("safe-sender-spam", List.of(new Finding("SAFE_SENDER", Category.INFO, 0, "l"),
                        new Finding("BAYES_SPAM", Category.SPAM, 9, "b"))),
                Map.entry("safe-sender-virus", List.of(new Finding("SAFE_SENDER", Category.INFO, 0, "l"),
                        new Finding("AV_EICAR", Category.VIRUS, 0, "e"))),
                Map.entry("dmarc", List.of(new Finding("DMARC_REJECT", Category.INFO, 0, "d"),
                        new Finding("BAYES_SPAM", Category.SPAM, 6, "b"))));
        Map<String, String> expected = Map.ofEntries(Map.entry("clean", "deliver"), Map.entry("virus", "quarantine"),
                Map.entry("mass-mailer", "delete"), Map.entry("grayware", "quarantine"),
                Map.entry("blocked-attachment", "quarantine"), Map.entry("active-content", "quarantine"),
                Map.entry("failure", "quarantine"), Map.entry("spam", "deliver"),
                Map.entry("spam-below-threshold", "deliver"), Map.entry("blocked-sender", "quarantine"),
                Map.entry("safe-sender-spam", "deliver"), Map.entry("safe-sender-virus", "quarantine"),
                Map.entry("dmarc", "quarantine"));
        Instant at = Instant.parse("2026-11-27T10:00:00Z");
        cases.forEach((name, findings) -> {
            PolicyInput input = new PolicyInput("a@sender.example", List.of("u@example.com", "v@elsewhere.example"),
                    1000, findings, Map.of(), List.of(), at);
            PolicyOutcome was = before.evaluate(input, Directory.NONE);
            PolicyOutcome is = after.evaluate(input, Directory.NONE);
            assertEquals(was.groups(), is.groups(), name);
            assertEquals(expected.get(name), is.groups().get(0).decision().action(), name);
        });
        PolicyInput spam = new PolicyInput("", List.of("u@example.com"), 10, cases.get("spam"), Map.of(), List.of(),
                at);
        var others = after.evaluate(spam, Directory.NONE).groups().get(0).decision().others();
        assertEquals(List.of("tag-subject", "add-header"), others.stream().map(a -> a.action().type()).toList());
        assertEquals("[SPAM] ", others.get(0).action().value());
    }

    @Test
    void noChangeCommitsWhileTheResultingPolicyDoesNotCompileButTheBadRuleCanBeRemoved() {
        // a rule the API would refuse (e.g. stored before a stricter policy-engine): the whole policy is checked
        database.execute("INSERT INTO rule (id, name, priority, conditions, actions) VALUES ('legacy-bad', 'bad', 1,"
                + " '[{\"type\":\"message-size\",\"operator\":\"~\",\"threshold\":1}]', '[{\"type\":\"delete\"}]')");
        long version = snapshot().version();
        given().contentType(ContentType.JSON).body("{\"domain\":\"new.example\"}").post(BASE + "/domains")
                .then().statusCode(400).body("field", equalTo("rules[0].conditions[0].operator"));
        assertEquals(version, snapshot().version());
        given().get(BASE + "/domains").then().body("domain", not(org.hamcrest.Matchers.hasItem("new.example")));
        given().delete(BASE + "/rules/legacy-bad").then().statusCode(204);
        given().contentType(ContentType.JSON).body("{\"domain\":\"new.example\"}").post(BASE + "/domains")
                .then().statusCode(201);
    }

    @Test
    void openApiDocumentDescribesTheNewEndpoints() {
        String doc = given().get("/q/openapi").then().statusCode(200).extract().asString();
        for (String path : List.of("/api/v1/policy/bundle", "/api/v1/policy/audit",
                "/api/v1/policy/versions/{version}", "/api/v1/policy/rules/{id}")) {
            assertTrue(doc.contains(path + ":"), path);
        }
        assertTrue(doc.contains("Import a signed bundle"));
    }

    @Test
    void unknownPropertiesInNestedRulePartsAreRefusedByName() {
        given().contentType(ContentType.JSON).body("{\"name\":\"n\",\"priority\":1,\"scope\":{\"who\":[]},"
                + "\"actions\":[{\"type\":\"deliver\"}]}").post(BASE + "/rules")
                .then().statusCode(400).body("field", equalTo("scope.who"));
        given().contentType(ContentType.JSON).body("{\"name\":\"n\",\"priority\":1,"
                + "\"actions\":[{\"type\":\"deliver\",\"extra\":true}]}").post(BASE + "/rules")
                .then().statusCode(400).body("field", startsWith("actions[0].extra"));
        assertNotEquals(0, snapshot().rules().size());
        assertTrue(snapshot().rules().stream().noneMatch(r -> r.name().equals("n")));
    }
}
