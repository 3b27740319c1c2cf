package io.portcullis.policy.rest;

import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasSize;
import static org.hamcrest.Matchers.not;
import static org.hamcrest.Matchers.notNullValue;
import static org.hamcrest.Matchers.nullValue;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.portcullis.contracts.events.EventJson;
import io.portcullis.contracts.events.PolicyChanged;
import io.portcullis.contracts.policy.PolicyRule;
import io.portcullis.contracts.policy.PolicySnapshot;
import io.portcullis.contracts.policy.SenderListEntry;
import io.portcullis.contracts.policy.SenderListEntry.Kind;
import io.portcullis.policy.InMemoryKafkaResource;
import io.portcullis.policy.PolicyDatabase;
import io.portcullis.policy.messaging.OutboxRelay;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.smallrye.reactive.messaging.memory.InMemoryConnector;
import io.smallrye.reactive.messaging.memory.InMemorySink;
import jakarta.enterprise.inject.Any;
import jakarta.inject.Inject;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

@QuarkusTest
@QuarkusTestResource(InMemoryKafkaResource.class)
class SenderListResourceTest {
    private static final String BASE = "/api/v1/sender-lists";
    private static final String ACTOR = "X-Portcullis-Actor";

    @Inject
    @Any
    InMemoryConnector connector;

    @Inject
    PolicyDatabase database;

    private InMemorySink<byte[]> sink;

    @BeforeEach
    void reset() {
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
        byte[] json = given().get("/api/v1/policy/snapshot").then().statusCode(200).extract().asByteArray();
        return EventJson.read(json, PolicySnapshot.class);
    }

    private List<PolicyChanged> emitted() {
        return sink.received().stream().map(m -> EventJson.read(m.getPayload(), PolicyChanged.class)).toList();
    }

    private static String entry(String owner, String sender, String kind) {
        return "{\"owner\":\"" + owner + "\",\"sender\":\"" + sender + "\",\"kind\":\"" + kind + "\"}";
    }

    private static long add(String owner, String sender, String kind) {
        return given().contentType(ContentType.JSON).body(entry(owner, sender, kind)).post(BASE)
                .then().statusCode(201).extract().jsonPath().getLong("id");
    }

    @Test
    void addingAnEntryNormalisesItRecordsWhoAndWhenBumpsTheVersionAndEmitsPolicyChanged() {
        long before = snapshot().version();
        Instant start = Instant.now().minusSeconds(1);
        var created = given().contentType(ContentType.JSON).header(ACTOR, "alice")
                .body("{\"owner\":\"User@Example.COM\",\"sender\":\"*.Bücher.example\",\"kind\":\"blocked\","
                        + "\"note\":\" ticket 7 \"}")
                .post(BASE)
                .then().statusCode(201)
                .header("Location", containsString(BASE + "/"))
                .body("owner", equalTo("user@example.com"))
                .body("sender", equalTo("*.xn--bcher-kva.example"))
                .body("kind", equalTo("BLOCKED"))
                .body("note", equalTo("ticket 7"))
                .body("createdBy", equalTo("alice"))
                .body("createdAt", notNullValue())
                .extract().jsonPath();
        long id = created.getLong("id");
        assertTrue(Instant.parse(created.getString("createdAt")).isAfter(start));

        PolicySnapshot after = snapshot();
        assertEquals(before + 1, after.version());
        assertEquals(List.of(new SenderListEntry("user@example.com", "*.xn--bcher-kva.example", Kind.BLOCKED)),
                after.senderLists());

        await().atMost(Duration.ofSeconds(30)).until(() -> !sink.received().isEmpty());
        PolicyChanged changed = emitted().get(0);
        assertEquals(new PolicyChanged("default", changed.at(), before + 1, "sender-lists"), changed);

        given().get(BASE + "/" + id).then().statusCode(200).body("createdBy", equalTo("alice"));
    }

    @Test
    void withoutAnActorHeaderTheCreatorIsApi() {
        given().contentType(ContentType.JSON).body(entry("*", "partner.com", "SAFE")).post(BASE)
                .then().statusCode(201).body("createdBy", equalTo("api")).body("note", nullValue());
    }

    @Test
    void listingFiltersByOwnerAndKindInOwnerSenderOrder() {
        add("example.com", "spam.example", "BLOCKED");
        add("*", "partner.com", "SAFE");
        add("example.com", "alice@partner.com", "SAFE");
        add("bob@example.com", "news.example", "BLOCKED");

        given().get(BASE).then().statusCode(200)
                .body("owner", equalTo(List.of("*", "bob@example.com", "example.com", "example.com")))
                .body("sender", equalTo(List.of("partner.com", "news.example", "alice@partner.com", "spam.example")));
        given().queryParam("owner", "EXAMPLE.com").get(BASE).then().statusCode(200)
                .body("sender", equalTo(List.of("alice@partner.com", "spam.example")));
        given().queryParam("kind", "blocked").get(BASE).then().statusCode(200)
                .body("sender", equalTo(List.of("news.example", "spam.example")));
        given().queryParam("owner", "example.com").queryParam("kind", "SAFE").get(BASE).then().statusCode(200)
                .body("sender", equalTo(List.of("alice@partner.com")));
        given().queryParam("owner", "").queryParam("kind", " ").get(BASE).then().statusCode(200).body("$", hasSize(4));
        given().queryParam("kind", "maybe").get(BASE).then().statusCode(400).body("field", equalTo("kind"));
        given().queryParam("owner", "*.example.com").get(BASE).then().statusCode(400).body("field", equalTo("owner"));

        assertEquals(List.of(new SenderListEntry("*", "partner.com", Kind.SAFE),
                new SenderListEntry("bob@example.com", "news.example", Kind.BLOCKED),
                new SenderListEntry("example.com", "alice@partner.com", Kind.SAFE),
                new SenderListEntry("example.com", "spam.example", Kind.BLOCKED)), snapshot().senderLists());
    }

    @Test
    void theSameSenderForTheSameOwnerIsAConflictWhateverTheKind() {
        add("example.com", "partner.com", "SAFE");
        long version = snapshot().version();
        await().atMost(Duration.ofSeconds(30)).until(() -> database.count("outbox") == 0);
        given().contentType(ContentType.JSON).body(entry("EXAMPLE.COM", "Partner.com", "BLOCKED")).post(BASE)
                .then().statusCode(409).body("field", equalTo("sender"))
                .body("error", containsString("already listed for this owner as SAFE"));
        assertEquals(version, snapshot().version());
        assertEquals(0, database.count("outbox"));
        // another owner may list the same sender
        add("example.org", "partner.com", "BLOCKED");
    }

    @Test
    void deletingRemovesTheEntryBumpsTheVersionAndUnknownIdsAre404() {
        long id = add("*", "spam.example", "BLOCKED");
        long before = snapshot().version();
        given().header(ACTOR, "bob").delete(BASE + "/" + id).then().statusCode(204);
        PolicySnapshot after = snapshot();
        assertEquals(before + 1, after.version());
        assertEquals(List.of(), after.senderLists());
        await().atMost(Duration.ofSeconds(30)).until(() -> emitted().size() == 2);
        assertEquals("sender-lists", emitted().get(1).what());
        assertEquals(before + 1, emitted().get(1).version());

        for (String unknown : List.of(String.valueOf(id), "0", "-1", "abc", "99999999999999999999", "1%20OR%201=1")) {
            given().delete(BASE + "/" + unknown).then().statusCode(404).body("field", equalTo("id"));
            given().get(BASE + "/" + unknown).then().statusCode(404);
        }
        assertEquals(before + 1, snapshot().version());
    }

    private record Case(String body, String field) {
    }

    @Test
    void invalidEntriesAreRefusedNamingTheFieldAndChangeNothing() {
        long before = snapshot().version();
        String ok = "\"owner\":\"example.com\",\"sender\":\"partner.com\"";
        for (Case c : List.of(
                new Case("{\"sender\":\"partner.com\",\"kind\":\"SAFE\"}", "owner"),
                new Case(entry("*.example.com", "partner.com", "SAFE"), "owner"),
                new Case(entry("example.com", "*", "SAFE"), "sender"),
                new Case(entry("example.com", "*@partner.com", "SAFE"), "sender"),
                new Case(entry("example.com", "a@[192.0.2.1]", "SAFE"), "sender"),
                new Case(entry("example.com", "\\\"a b\\\"@partner.com", "SAFE"), "sender"),
                new Case(entry("example.com", "a@partner.com\\r\\nBcc: x@evil.example", "SAFE"), "sender"),
                new Case(entry("example.com", "x".repeat(5000) + ".com", "SAFE"), "sender"),
                new Case(entry("example.com", "evil\\u202emoc.example", "SAFE"), "sender"),
                new Case("{" + ok + "}", "kind"),
                new Case("{" + ok + ",\"kind\":\"ALLOW\"}", "kind"),
                new Case("{" + ok + ",\"kind\":1}", "kind"),
                new Case("{" + ok + ",\"kind\":\"SAFE\",\"note\":\"" + "n".repeat(501) + "\"}", "note"),
                new Case("{" + ok + ",\"kind\":\"SAFE\",\"note\":\"a\\u0000b\"}", "note"),
                new Case("{" + ok + ",\"kind\":\"SAFE\",\"createdBy\":\"mallory\"}", "createdBy"),
                new Case("[]", "body"))) {
            given().contentType(ContentType.JSON).body(c.body()).post(BASE)
                    .then().statusCode(400).body("field", equalTo(c.field())).body("error", not(nullValue()));
        }
        given().contentType(ContentType.JSON).header(ACTOR, "x".repeat(200))
                .body(entry("example.com", "partner.com", "SAFE")).post(BASE)
                .then().statusCode(400).body("field", equalTo(ACTOR));
        given().contentType(ContentType.JSON).body("null").post(BASE).then().statusCode(400)
                .body("field", equalTo("body"));
        assertEquals(before, snapshot().version());
        assertEquals(0, database.count("sender_list"));
        assertEquals(0, database.count("outbox"));
    }

    @Test
    void importAddsEverythingInOneVersionOrNothing() {
        add("*", "partner.com", "SAFE");
        long before = snapshot().version();
        String body = "{\"entries\":[" + entry("*", "Partner.com", "SAFE") + "," + entry("example.com",
                "spam.example", "BLOCKED") + "," + entry("u@example.com", "*.news.example", "BLOCKED") + "]}";
        given().contentType(ContentType.JSON).header(ACTOR, "carol").body(body).post(BASE + "/import")
                .then().statusCode(200)
                .body("created", equalTo(2)).body("unchanged", equalTo(1))
                .body("policyVersion", equalTo((int) before + 1));
        assertEquals(3, snapshot().senderLists().size());
        given().queryParam("owner", "u@example.com").get(BASE).then().body("createdBy", equalTo(List.of("carol")));
        await().atMost(Duration.ofSeconds(30)).until(() -> emitted().size() == 2);

        // the same import again changes nothing: no new version, no event
        given().contentType(ContentType.JSON).body(body).post(BASE + "/import").then().statusCode(200)
                .body("created", equalTo(0)).body("unchanged", equalTo(3))
                .body("policyVersion", equalTo((int) before + 1));

        // one bad entry: nothing of the import is added
        String bad = "{\"entries\":[" + entry("*", "fresh.example", "BLOCKED") + "," + entry("*", "other.example",
                "SAFE") + "," + entry("*", "bad*.example", "SAFE") + "]}";
        given().contentType(ContentType.JSON).body(bad).post(BASE + "/import").then().statusCode(400)
                .body("field", equalTo("entries[2].sender"));
        String conflicting = "{\"entries\":[" + entry("*", "fresh.example", "BLOCKED") + "," + entry("*",
                "partner.com", "BLOCKED") + "]}";
        given().contentType(ContentType.JSON).body(conflicting).post(BASE + "/import").then().statusCode(409)
                .body("field", equalTo("entries[1].sender"));
        String twice = "{\"entries\":[" + entry("*", "fresh.example", "BLOCKED") + "," + entry("*",
                "FRESH.example", "SAFE") + "]}";
        given().contentType(ContentType.JSON).body(twice).post(BASE + "/import").then().statusCode(400)
                .body("field", equalTo("entries[1].sender"));
        given().contentType(ContentType.JSON).body("{\"entries\":[]}").post(BASE + "/import").then()
                .statusCode(400).body("field", equalTo("entries"));
        given().contentType(ContentType.JSON).body("{\"entries\":[null]}").post(BASE + "/import").then()
                .statusCode(400).body("field", equalTo("entries[0]"));
        assertEquals(before + 1, snapshot().version());
        assertEquals(3, database.count("sender_list"));
        assertEquals(2, emitted().size());
    }

    @Test
    void theListsHaveALimit() {
        // %test max-entries is 40
        List<String> entries = new ArrayList<>();
        for (int i = 0; i < 40; i++) {
            entries.add(entry("*", "s" + i + ".example", "BLOCKED"));
        }
        given().contentType(ContentType.JSON).body("{\"entries\":[" + String.join(",", entries) + "]}")
                .post(BASE + "/import").then().statusCode(200).body("created", equalTo(40));
        given().contentType(ContentType.JSON).body(entry("*", "one-more.example", "BLOCKED")).post(BASE)
                .then().statusCode(413).body("field", equalTo("sender")).body("error", containsString("limit"));
        given().get(BASE).then().body("$", hasSize(40));
    }

    @Test
    void seededSenderRulesRankAfterEveryMalwareAndFailureRuleAndBeforeSpam() {
        List<PolicyRule> rules = snapshot().rules();
        PolicyRule blocked = rules.stream().filter(r -> r.id().equals("blocked-sender-quarantine")).findFirst()
                .orElseThrow();
        PolicyRule safe = rules.stream().filter(r -> r.id().equals("safe-sender-deliver")).findFirst().orElseThrow();
        assertEquals("SYMBOL:BLOCKED_SENDER", blocked.match());
        assertEquals("QUARANTINE", blocked.action().name());
        assertEquals("SYMBOL:SAFE_SENDER", safe.match());
        assertEquals("DELIVER", safe.action().name());
        Set<String> mustComeFirst = Set.of("MASS_MAILER", "VIRUS", "GRAYWARE", "BLOCKED_ATTACHMENT",
                "ACTIVE_CONTENT", "SCAN_FAILURE");
        for (PolicyRule r : rules) {
            if (mustComeFirst.contains(r.match())) {
                assertTrue(r.priority() < safe.priority(), r.id() + " must be decided before a safe sender");
            }
            if (r.match().equals("SPAM")) {
                assertTrue(blocked.priority() < r.priority() && safe.priority() < r.priority(), r.id());
            }
        }
        assertTrue(blocked.priority() < safe.priority());
    }
}
