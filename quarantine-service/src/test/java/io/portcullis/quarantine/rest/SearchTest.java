package io.portcullis.quarantine.rest;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.anyOf;
import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.containsInAnyOrder;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasSize;
import static org.hamcrest.Matchers.is;
import static org.hamcrest.Matchers.notNullValue;
import static org.hamcrest.Matchers.nullValue;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.portcullis.quarantine.InMemoryKafkaResource;
import io.portcullis.quarantine.QuarantineTestSupport;
import io.portcullis.quarantine.service.QuarantineProblem;
import io.portcullis.quarantine.service.QuarantineQueries;
import io.portcullis.quarantine.service.SearchPage;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.Response;
import jakarta.inject.Inject;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

@QuarkusTest
@QuarkusTestResource(InMemoryKafkaResource.class)
class SearchTest extends QuarantineTestSupport {
    @Inject
    QuarantineQueries queries;

    @Test
    void filtersByAreaSenderOwnersAndFreeText() {
        String invoice = quarantineIn("virus", "Your invoice 4711", "billing@evil.example.net", "bob@example.com");
        String pills = quarantineIn("spam", "Cheap pills today", "pills@spam.example.org", "Bob@Example.com",
                "carol@example.com");
        String report = quarantineIn("dlp", "Quarterly report", "alice@example.org", "robert@example.com");

        given().queryParam("area", "spam").when().get(API).then().statusCode(200).body("items.itemId", contains(pills));
        given().queryParam("area", "spam,dlp").when().get(API).then().body("items.itemId", contains(report, pills));
        given().queryParam("recipient", "bob@example.com").queryParam("recipient", "robert@example.com")
                .when().get(API).then().body("items.itemId", contains(report, pills, invoice));
        given().queryParam("q", "invoice").when().get(API).then().body("items.itemId", contains(invoice));
        given().queryParam("q", "PILLS").when().get(API).then().body("items.itemId", contains(pills));
        given().queryParam("q", "\"quarterly report\"").when().get(API).then().body("items.itemId", contains(report));
        given().queryParam("q", "report -quarterly").when().get(API).then().body("items", hasSize(0));
        // the sender whole, its local part and its domain are all words
        given().queryParam("q", "alice@example.org").when().get(API).then().body("items.itemId", contains(report));
        given().queryParam("q", "billing").when().get(API).then().body("items.itemId", contains(invoice));
        given().queryParam("q", "spam.example.org").when().get(API).then().body("items.itemId", contains(pills));
        given().queryParam("q", "cheap or invoice").when().get(API).then()
                .body("items.itemId", containsInAnyOrder(pills, invoice));
        given().queryParam("sender", "ALICE@example.org").when().get(API).then().body("items.itemId", contains(report));

        // the domain API with an owner set (what the end-user API uses)
        SearchPage bobs = queries.search(queries.defaultFilter().withOwners(Set.of("BOB@example.com")).withTotal(true));
        assertEquals(List.of(pills, invoice), bobs.items().stream().map(m -> m.itemId).toList());
        assertEquals(2L, bobs.total());
        assertEquals(0, queries.search(queries.defaultFilter().withOwners(Set.of())).items().size(),
                "an empty owner set owns nothing");
    }

    @Test
    void anItemAddressedToAUserAndItsAliasIsListedAndCountedOnce() {
        String both = quarantineIn("spam", "both", "x@example.org", "bob@example.com", "robert@example.com");
        String alias = quarantineIn("spam", "alias", "x@example.org", "robert@example.com");
        String other = quarantineIn("spam", "other", "x@example.org", "carol@example.com");
        SearchPage page = queries.search(queries.defaultFilter()
                .withOwners(Set.of("bob@example.com", "robert@example.com")).withTotal(true));
        assertEquals(List.of(alias, both), page.items().stream().map(m -> m.itemId).toList());
        assertEquals(2L, page.total());
        SearchPage held = queries.search(queries.defaultFilter().withOwners(Set.of("bob@example.com",
                "robert@example.com")).withStatus(io.portcullis.quarantine.entity.RecipientStatus.QUARANTINED)
                .withQuery("both").withTotal(true));
        assertEquals(List.of(both), held.items().stream().map(m -> m.itemId).toList());
        assertEquals(1L, held.total());
        SearchPage keyset = queries.search(queries.defaultFilter().withOwners(Set.of("bob@example.com",
                "robert@example.com")).withCursor(page.items().get(0) == null ? null
                : io.portcullis.quarantine.service.Cursor.after(page.items().get(0).quarantinedAt, alias)));
        assertEquals(List.of(both), keyset.items().stream().map(m -> m.itemId).toList());
        assertEquals(List.of(other), queries.search(queries.defaultFilter().withOwners(Set.of("CAROL@example.com")))
                .items().stream().map(m -> m.itemId).toList());
    }

    @Test
    void filtersByDateRange() {
        String a = quarantineIn("spam", "a", "x@example.org", "bob@example.com");
        Instant between = Instant.now();
        String b = quarantineIn("spam", "b", "x@example.org", "bob@example.com");
        given().queryParam("from", between.toString()).when().get(API).then().body("items.itemId", contains(b));
        given().queryParam("to", between.toString()).when().get(API).then().body("items.itemId", contains(a));
        given().queryParam("from", "yesterday").when().get(API).then().statusCode(400).body("field", equalTo("from"));
        given().queryParam("from", between.toString()).queryParam("to", between.toString()).when().get(API)
                .then().statusCode(400);
    }

    @Test
    void keysetPagesWalkEveryItemOnceNewestFirst() {
        List<String> ids = new ArrayList<>();
        for (int i = 0; i < 7; i++) {
            ids.add(0, quarantineIn("spam", "s" + i, "x@example.org", "bob@example.com"));
        }
        List<String> seen = new ArrayList<>();
        String cursor = null;
        for (int page = 0; page < 10; page++) {
            var request = given().queryParam("limit", 3);
            if (cursor != null) {
                request.queryParam("cursor", cursor);
            }
            Response r = request.when().get(API).then().statusCode(200).extract().response();
            seen.addAll(r.jsonPath().getList("items.itemId", String.class));
            if (cursor == null) {
                r.then().body("total", equalTo(7));
            } else {
                r.then().body("total", nullValue());
            }
            cursor = r.jsonPath().getString("nextCursor");
            if (cursor == null) {
                break;
            }
        }
        assertEquals(ids, seen);
        given().queryParam("cursor", "bm90LWEtY3Vyc29y").when().get(API).then().statusCode(400)
                .body("field", equalTo("cursor"));
        given().queryParam("cursor", "%%%").when().get(API).then().statusCode(400);
    }

    @Test
    void hostileQueriesAreRefusedOrSafeNeverA500() {
        quarantineIn("spam", "it's a \"quoted\" subject & more | stuff", "x@example.org", "bob@example.com");
        List<String> hostile = List.of("\"", "'", "\"unterminated", "a & | ! b", "!!!", "(((", "a <-> b", ":*",
                "-", "or", "' OR 1=1 --", "'); DROP TABLE quarantine.quarantined_message; --", "\\", "%_%",
                "漢字 テスト", "😀", "x".repeat(256), "a:b:c", "\"\"\"\"", "-\"-\"");
        for (String q : hostile) {
            given().queryParam("q", q).when().get(API).then().statusCode(200).body("items", notNullValue());
        }
        for (String q : List.of("x".repeat(300), "a\u0000b", "a\u0001b")) {
            given().queryParam("q", q).when().get(API).then().statusCode(400).body("field", equalTo("q"));
        }
        // 10 KB does not even fit the HTTP request line (414 from the server); the domain API refuses it too
        given().queryParam("q", "x".repeat(10_240)).when().get(API).then().statusCode(anyOf(is(400), is(414)));
        QuarantineProblem tooLong = assertThrows(QuarantineProblem.class,
                () -> queries.search(queries.defaultFilter().withQuery("x ".repeat(5_120))));
        assertEquals("q", tooLong.field());
        given().queryParam("q", "quoted").when().get(API).then().statusCode(200).body("items", hasSize(1));
        given().queryParam("recipient", "a\u0000b").when().get(API).then().statusCode(is(400));
        given().queryParam("area", "../etc").when().get(API).then().statusCode(anyOf(is(400)))
                .body("field", equalTo("area"));
        given().queryParam("status", "EXPLODED").when().get(API).then().statusCode(400)
                .body("field", equalTo("status"));
    }
}
