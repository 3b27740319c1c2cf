package io.portcullis.policy.rest;

import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.not;
import static org.hamcrest.Matchers.nullValue;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.portcullis.contracts.events.EventJson;
import io.portcullis.contracts.events.PolicyChanged;
import io.portcullis.contracts.policy.PolicySnapshot;
import io.portcullis.policy.InMemoryKafkaResource;
import io.portcullis.policy.PolicyDatabase;
import io.portcullis.policy.messaging.OutboxRelay;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.smallrye.reactive.messaging.kafka.api.OutgoingKafkaRecordMetadata;
import io.smallrye.reactive.messaging.memory.InMemoryConnector;
import io.smallrye.reactive.messaging.memory.InMemorySink;
import jakarta.enterprise.inject.Any;
import jakarta.inject.Inject;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.eclipse.microprofile.reactive.messaging.Message;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

@QuarkusTest
@QuarkusTestResource(InMemoryKafkaResource.class)
class PolicyResourceTest {
    private static final String BASE = "/api/v1/policy";

    @Inject
    @Any
    InMemoryConnector connector;

    @Inject
    PolicyDatabase database;

    private InMemorySink<byte[]> sink;

    @BeforeEach
    void reset() {
        // let the relay drain what an earlier test left, then start from the seed
        await().atMost(Duration.ofSeconds(30)).until(() -> database.count("outbox") == 0);
        database.resetToSeed();
        sink = connector.sink(OutboxRelay.CHANNEL);
        sink.clear();
    }

    @AfterEach
    void drain() {
        await().atMost(Duration.ofSeconds(30)).until(() -> database.count("outbox") == 0);
    }

    private static PolicySnapshot snapshot() {
        byte[] json = given().get(BASE + "/snapshot").then().statusCode(200).extract().asByteArray();
        return EventJson.read(json, PolicySnapshot.class);
    }

    private List<PolicyChanged> emitted() {
        return sink.received().stream().map(m -> EventJson.read(m.getPayload(), PolicyChanged.class)).toList();
    }

    @Test
    void snapshotHoldsTheSeed() {
        PolicySnapshot s = snapshot();
        assertEquals("default", s.tenant());
        assertTrue(s.version() >= 1);
        assertEquals(List.of("example.com", "example.org"), s.acceptedDomains());
        assertEquals(5.0, s.spamThreshold());
        assertEquals(List.of("exe", "scr", "pif", "com", "bat", "cmd", "vbs", "vbe", "js", "jse", "wsf", "hta",
                "jar", "lnk", "ps1", "msi", "cpl"), s.blockedExtensions());
        assertEquals(List.of("mass-mailer-delete", "virus-quarantine", "grayware-quarantine",
                "blocked-attachment-quarantine", "active-content-quarantine", "scan-failure-quarantine",
                "blocked-sender-quarantine", "dmarc-reject-quarantine", "safe-sender-deliver", "spam-tag"),
                s.rules().stream().map(r -> r.id()).toList());
        var massMailer = s.rules().get(0);
        assertEquals("MASS_MAILER", massMailer.match());
        assertEquals("DELETE", massMailer.action().name());
        var spam = s.rules().get(s.rules().size() - 1);
        assertEquals("SPAM", spam.match());
        assertEquals("TAG", spam.action().name());
        assertEquals("[SPAM] ", spam.subjectPrefix());
        assertEquals("X-Portcullis-Spam", spam.addHeaders().get(0).name());
        assertEquals("yes", spam.addHeaders().get(0).value());
        assertEquals(40, spam.priority());
    }

    @Test
    void addingADomainShowsInTheSnapshotBumpsTheVersionAndEmitsPolicyChanged() {
        long before = snapshot().version();
        given().contentType(ContentType.JSON).body("{\"domain\":\"Mail.Example.NET\"}")
                .post(BASE + "/domains")
                .then().statusCode(201)
                .header("Location", containsString("/api/v1/policy/domains/mail.example.net"))
                .body("domain", equalTo("mail.example.net"));

        PolicySnapshot after = snapshot();
        assertEquals(before + 1, after.version());
        assertTrue(after.acceptedDomains().contains("mail.example.net"));

        await().atMost(Duration.ofSeconds(30)).until(() -> !sink.received().isEmpty());
        Message<byte[]> record = sink.received().get(0);
        PolicyChanged changed = EventJson.read(record.getPayload(), PolicyChanged.class);
        assertEquals(new PolicyChanged("default", changed.at(), before + 1, "domains"), changed);
        Optional<OutgoingKafkaRecordMetadata> meta = record.getMetadata(OutgoingKafkaRecordMetadata.class);
        assertEquals("default", meta.orElseThrow().getKey());
        await().atMost(Duration.ofSeconds(30)).until(() -> database.count("outbox") == 0);
    }

    @Test
    void addingAnExistingDomainIsAConflictAndChangesNothing() {
        long before = snapshot().version();
        given().contentType(ContentType.JSON).body("{\"domain\":\"EXAMPLE.com\"}").post(BASE + "/domains")
                .then().statusCode(409).body("field", equalTo("domain"));
        assertEquals(before, snapshot().version());
        assertEquals(0, database.count("outbox"));
    }

    @Test
    void invalidDomainsAreRefusedNamingTheField() {
        for (String body : List.of("{\"domain\":\"not a domain\"}", "{\"domain\":\"bücher.example\"}",
                "{\"domain\":\"" + "a".repeat(10_000) + ".com\"}", "{\"domain\":null}", "{}",
                "{\"domain\":\"x.com'; DROP TABLE policy.accepted_domain; --\"}")) {
            given().contentType(ContentType.JSON).body(body).post(BASE + "/domains")
                    .then().statusCode(400).body("field", equalTo("domain"));
        }
        given().get(BASE + "/domains").then().statusCode(200).body("domain", contains("example.com", "example.org"));
    }

    @Test
    void deletingADomainRemovesItAndUnknownIs404() {
        given().delete(BASE + "/domains/example.org").then().statusCode(204);
        assertEquals(List.of("example.com"), snapshot().acceptedDomains());
        given().delete(BASE + "/domains/example.org").then().statusCode(404).body("field", equalTo("domain"));
        given().delete(BASE + "/domains/nowhere.invalid").then().statusCode(404);
    }

    @Test
    void ruleLifecycleCreateReadReplaceDisableDelete() {
        long before = snapshot().version();
        String rule = """
                {"id":"gtube-delete","name":"Drop GTUBE","priority":1,"match":"SYMBOL:GTUBE","action":"DELETE"}
                """;
        given().contentType(ContentType.JSON).body(rule).post(BASE + "/rules")
                .then().statusCode(201).header("Location", containsString("/api/v1/policy/rules/gtube-delete"))
                .body("enabled", equalTo(true)).body("subjectPrefix", nullValue());
        given().get(BASE + "/rules/gtube-delete").then().statusCode(200)
                .body("match", equalTo("SYMBOL:GTUBE")).body("action", equalTo("DELETE"));
        assertEquals("gtube-delete", snapshot().rules().get(0).id());

        String disabled = """
                {"name":"Drop GTUBE","priority":1,"match":"SYMBOL:GTUBE","action":"DELETE","enabled":false}
                """;
        given().contentType(ContentType.JSON).body(disabled).put(BASE + "/rules/gtube-delete")
                .then().statusCode(200).body("enabled", equalTo(false));
        PolicySnapshot s = snapshot();
        assertTrue(s.rules().stream().noneMatch(r -> r.id().equals("gtube-delete")), "disabled rules stay out");
        given().get(BASE + "/rules").then().statusCode(200).body("id", hasItem("gtube-delete"));

        given().delete(BASE + "/rules/gtube-delete").then().statusCode(204);
        given().get(BASE + "/rules/gtube-delete").then().statusCode(404);
        assertEquals(before + 3, snapshot().version());

        await().atMost(Duration.ofSeconds(30)).until(() -> emitted().size() == 3);
        assertEquals(List.of(before + 1, before + 2, before + 3),
                emitted().stream().map(PolicyChanged::version).toList());
        assertTrue(emitted().stream().allMatch(e -> e.what().equals("rules")));
    }

    @Test
    void createAnExistingRuleIs409AndUnknownRuleIs404() {
        given().contentType(ContentType.JSON)
                .body("{\"id\":\"spam-tag\",\"name\":\"x\",\"priority\":1,\"match\":\"SPAM\",\"action\":\"DELIVER\"}")
                .post(BASE + "/rules").then().statusCode(409).body("field", equalTo("id"));
        given().contentType(ContentType.JSON)
                .body("{\"name\":\"x\",\"priority\":1,\"match\":\"SPAM\",\"action\":\"DELIVER\"}")
                .put(BASE + "/rules/no-such-rule").then().statusCode(404);
        given().delete(BASE + "/rules/no-such-rule").then().statusCode(404).body("error", equalTo("no such rule"));
        given().get(BASE + "/rules/no-such-rule").then().statusCode(404);
    }

    @Test
    void invalidRulesAreRefusedNamingTheField() {
        record Case(String body, String field) {
        }
        String ok = "\"name\":\"n\",\"priority\":1,\"match\":\"SPAM\"";
        for (Case c : List.of(
                new Case("{" + ok + ",\"action\":\"EXPLODE\"}", "action"),
                new Case("{\"name\":\"n\",\"priority\":1,\"match\":\"MALWARE\",\"action\":\"TAG\"}", "match"),
                new Case("{\"name\":\"n\",\"priority\":\"high\",\"match\":\"SPAM\",\"action\":\"TAG\"}", "priority"),
                new Case("{\"name\":\"n\",\"priority\":1.5,\"match\":\"SPAM\",\"action\":\"TAG\"}", "priority"),
                new Case("{\"name\":\"n\",\"priority\":\"1\",\"match\":\"SPAM\",\"action\":\"TAG\"}", "priority"),
                new Case("{\"priority\":1,\"match\":\"SPAM\",\"action\":\"TAG\"}", "name"),
                new Case("{\"name\":12,\"priority\":1,\"match\":\"SPAM\",\"action\":\"TAG\"}", "name"),
                new Case("{" + ok + ",\"action\":\"TAG\",\"subjectPrefix\":\"[S]\\r\\nBcc: v@example.com\"}",
                        "subjectPrefix"),
                new Case("{" + ok + ",\"action\":\"TAG\",\"addHeaders\":[{\"name\":\"X-S\",\"value\":\"a\\r\\nB: c\"}]}",
                        "addHeaders[0].value"),
                new Case("{" + ok + ",\"action\":\"TAG\",\"addHeaders\":[{\"name\":\"X S\",\"value\":\"a\"}]}",
                        "addHeaders[0].name"),
                new Case("{" + ok + ",\"action\":\"TAG\",\"addHeaders\":[{\"name\":\"X-S\",\"value\":\"a\",\"x\":1}]}",
                        "addHeaders[0].x"),
                new Case("{" + ok + ",\"action\":\"TAG\",\"enabled\":\"yes\"}", "enabled"),
                new Case("{" + ok + ",\"action\":\"TAG\",\"sneaky\":true}", "sneaky"),
                new Case("{\"id\":\"BAD ID\"," + ok + ",\"action\":\"TAG\"}", "id"))) {
            given().contentType(ContentType.JSON).body(c.body()).post(BASE + "/rules")
                    .then().statusCode(400).body("field", equalTo(c.field())).body("error", not(nullValue()));
        }
        assertEquals(10, snapshot().rules().size());
        assertEquals(0, database.count("outbox"));
    }

    @Test
    void malformedJsonIs400NotServerError() {
        for (String body : List.of("{\"domain\":", "not json", "[1,2", "{\"domain\":\"a.com\"} trailing")) {
            given().contentType(ContentType.JSON).body(body).post(BASE + "/domains")
                    .then().statusCode(400).contentType(ContentType.JSON).body("error", not(nullValue()));
        }
        given().contentType(ContentType.JSON).body("{\"name\":").post(BASE + "/rules").then().statusCode(400);
        given().contentType(ContentType.JSON).body("{]").put(BASE + "/settings").then().statusCode(400);
        given().contentType(ContentType.JSON).post(BASE + "/rules").then().statusCode(400).body("field", equalTo("body"));
    }

    @Test
    void settingsAreReplacedAndShowInTheSnapshot() {
        given().get(BASE + "/settings").then().statusCode(200).body("spamThreshold", equalTo(5.0f));
        given().contentType(ContentType.JSON).body("{\"spamThreshold\":7.5,\"blockedExtensions\":[\"EXE\",\"iso\"]}")
                .put(BASE + "/settings").then().statusCode(200).body("blockedExtensions", contains("exe", "iso"));
        PolicySnapshot s = snapshot();
        assertEquals(7.5, s.spamThreshold());
        assertEquals(List.of("exe", "iso"), s.blockedExtensions());
        given().contentType(ContentType.JSON).body("{\"spamThreshold\":-1,\"blockedExtensions\":[]}")
                .put(BASE + "/settings").then().statusCode(400).body("field", equalTo("spamThreshold"));
        given().contentType(ContentType.JSON).body("{\"spamThreshold\":5,\"blockedExtensions\":[\"a.b\"]}")
                .put(BASE + "/settings").then().statusCode(400).body("field", equalTo("blockedExtensions[0]"));
        given().contentType(ContentType.JSON).body("{\"spamThreshold\":5,\"blockedExtensions\":[]}")
                .put(BASE + "/settings").then().statusCode(200);
        assertEquals(List.of(), snapshot().blockedExtensions());
    }

    @Test
    void concurrentChangesGetDistinctMonotonicVersionsPublishedInOrder() throws Exception {
        long before = snapshot().version();
        int writers = 8;
        ExecutorService pool = Executors.newFixedThreadPool(writers);
        try {
            List<Callable<Integer>> calls = new ArrayList<>();
            for (int i = 0; i < writers; i++) {
                String body = "{\"domain\":\"concurrent" + i + ".example\"}";
                calls.add(() -> given().contentType(ContentType.JSON).body(body).post(BASE + "/domains")
                        .then().extract().statusCode());
            }
            for (Future<Integer> f : pool.invokeAll(calls)) {
                assertEquals(201, f.get());
            }
        } finally {
            pool.shutdownNow();
        }
        assertEquals(before + writers, snapshot().version());
        await().atMost(Duration.ofSeconds(30)).until(() -> emitted().size() == writers);
        List<Long> versions = emitted().stream().map(PolicyChanged::version).toList();
        List<Long> expected = new ArrayList<>();
        for (long v = before + 1; v <= before + writers; v++) {
            expected.add(v);
        }
        assertEquals(expected, versions, "published in outbox order, one version per change, none skipped");
    }

    @Test
    void readinessIncludesTheDatabase() {
        given().get("/q/health/ready").then().body("checks.name", hasItem(containsString("Database")));
    }
}
