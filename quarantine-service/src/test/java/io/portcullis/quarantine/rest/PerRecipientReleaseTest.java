package io.portcullis.quarantine.rest;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.portcullis.contracts.events.QuarantineEvent;
import io.portcullis.quarantine.InMemoryKafkaResource;
import io.portcullis.quarantine.QuarantineTestSupport;
import io.portcullis.quarantine.entity.RecipientState;
import io.portcullis.quarantine.entity.RecipientStatus;
import io.portcullis.quarantine.service.AreaService;
import io.portcullis.quarantine.service.QuarantineCommands;
import io.portcullis.quarantine.service.QuarantineProblem;
import io.portcullis.quarantine.service.Role;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import jakarta.inject.Inject;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

@QuarkusTest
@QuarkusTestResource(InMemoryKafkaResource.class)
class PerRecipientReleaseTest extends QuarantineTestSupport {
    @Inject
    QuarantineCommands commands;
    @Inject
    AreaService areas;
    @Inject
    io.portcullis.quarantine.service.QuarantineQueries queries;

    @AfterEach
    void dropLegal() {
        resetQuarantine();
        given().when().delete("/api/v1/quarantine/areas/legal");
    }

    private Map<String, RecipientStatus> states(String itemId) {
        return repository.recipients(itemId).stream()
                .collect(Collectors.toMap(RecipientState::address, RecipientState::status));
    }

    @Test
    void anAdminReleasesASubsetAndTheEventCarriesOnlyThoseRecipients() {
        String id = quarantineIn("virus", "invoice", "alice@example.org", "bob@example.com", "Carol@Example.com");
        events.clear();

        given().contentType(ContentType.JSON).body("{\"recipients\":[\"carol@example.com\"]}")
                .when().post(API + "/" + id + "/release").then().statusCode(202)
                .body("recipients", equalTo(List.of("Carol@Example.com")));
        QuarantineEvent released = last(QuarantineEvent.Type.RELEASED);
        assertEquals(List.of("Carol@Example.com"), released.envelope().recipients(), "only the released recipient");
        feedState(released);
        assertEquals(Map.of("bob@example.com", RecipientStatus.QUARANTINED,
                "carol@example.com", RecipientStatus.RELEASED), states(id));
        given().when().get(API + "/" + id).then().body("status", equalTo("QUARANTINED"))
                .body("recipientStates.find { it.address == 'carol@example.com' }.status", equalTo("RELEASED"));

        // carol again: nothing held for her, nothing published (releasing twice delivers once)
        given().contentType(ContentType.JSON).body("{\"recipients\":[\"CAROL@example.com\"]}")
                .when().post(API + "/" + id + "/release").then().statusCode(409);
        assertEquals(1, published(QuarantineEvent.Type.RELEASED).size());

        // no body: the rest (bob only)
        given().when().post(API + "/" + id + "/release").then().statusCode(202);
        QuarantineEvent rest = last(QuarantineEvent.Type.RELEASED);
        assertEquals(List.of("bob@example.com"), rest.envelope().recipients());
        feedState(rest);
        given().when().get(API + "/" + id).then().body("status", equalTo("RELEASED"));
        feedState(released); // a redelivered first event changes nothing
        given().when().get(API + "/" + id).then().body("status", equalTo("RELEASED"));

        given().contentType(ContentType.JSON).body("{\"recipients\":[\"eve@example.com\"]}")
                .when().post(API + "/" + id + "/release").then().statusCode(400).body("field", equalTo("recipients"));
    }

    @Test
    void deletingSomeRecipientsKeepsTheObjectUntilTheLastOneGoes() {
        String id = quarantineIn("spam", "offer", "alice@example.org", "bob@example.com", "carol@example.com");
        String key = repository.find(id).orElseThrow().objectKey;
        given().contentType(ContentType.JSON).body("{\"recipients\":[\"bob@example.com\"]}")
                .when().delete(API + "/" + id).then().statusCode(202);
        feedState(last(QuarantineEvent.Type.DELETED));
        assertTrue(store.get(BUCKET, key).isPresent(), "carol's copy is still held");
        given().when().get(API + "/" + id).then().body("status", equalTo("QUARANTINED"));

        given().when().delete(API + "/" + id).then().statusCode(202);
        QuarantineEvent all = last(QuarantineEvent.Type.DELETED);
        assertEquals(List.of("carol@example.com"), all.envelope().recipients());
        feedState(all);
        assertTrue(store.get(BUCKET, key).isEmpty());
        given().when().get(API + "/" + id).then().body("status", equalTo("DELETED"));
    }

    @Test
    void aDeleteAppliedWhileS3IsDownIsRetriedUntilTheObjectIsGoneAndOnlyThenAcked() {
        String id = quarantineIn("spam", "offer", "alice@example.org", "bob@example.com");
        String key = repository.find(id).orElseThrow().objectKey;
        given().when().delete(API + "/" + id).then().statusCode(202);
        io.portcullis.quarantine.Tracked tracked = new io.portcullis.quarantine.Tracked(
                io.portcullis.contracts.events.EventJson.write(last(QuarantineEvent.Type.DELETED)));
        store.failing(true);
        connector.source(io.portcullis.quarantine.messaging.QuarantineStateConsumer.CHANNEL).send(tracked.message);
        org.awaitility.Awaitility.await().atMost(java.time.Duration.ofSeconds(10))
                .until(() -> store.failedCalls() >= 2);
        assertTrue(!tracked.settled(), "not acked while the object could not be deleted");
        given().when().get(API + "/" + id).then().body("status", equalTo("DELETED")); // rows first, object next
        store.failing(false);
        org.awaitility.Awaitility.await().atMost(java.time.Duration.ofSeconds(10)).until(tracked::settled);
        assertTrue(tracked.acked.get());
        assertTrue(store.get(BUCKET, key).isEmpty());
    }

    @Test
    void aUserReleasesItsOwnSpamButMayOnlyRequestAVirusRelease() {
        String spam = quarantineIn("spam", "cheap pills", "spammer@example.net", "bob@example.com", "carol@example.com");
        String virus = quarantineIn("virus", "invoice", "evil@example.net", "bob@example.com");
        events.clear();
        List<String> bob = List.of("BOB@example.com", "robert@example.com"); // address + alias

        QuarantineCommands.Accepted ok = commands.release(spam, "bob", Role.USER, bob);
        assertEquals(List.of("bob@example.com"), ok.recipients(), "never carol's copy");
        assertEquals(List.of("bob@example.com"), last(QuarantineEvent.Type.RELEASED).envelope().recipients());

        QuarantineProblem refused = assertThrows(QuarantineProblem.class,
                () -> commands.release(virus, "bob", Role.USER, bob));
        assertEquals(QuarantineProblem.Kind.FORBIDDEN, refused.kind());
        assertTrue(refused.getMessage().contains("request a release"), refused.getMessage());

        QuarantineCommands.Accepted requested = commands.requestRelease(virus, "bob", Role.USER, bob);
        assertEquals("RELEASE_REQUESTED", requested.requested());
        assertEquals(Map.of("bob@example.com", RecipientStatus.RELEASE_REQUESTED), states(virus));
        given().queryParam("status", "RELEASE_REQUESTED").when().get(API).then().statusCode(200)
                .body("items.itemId", equalTo(List.of(virus)));
        // a manager releases the requested copy
        given().header("X-Portcullis-Role", "MANAGER").header("X-Portcullis-Actor", "qmanager")
                .when().post(API + "/" + virus + "/release").then().statusCode(202);
        feedState(last(QuarantineEvent.Type.RELEASED));
        assertEquals(Map.of("bob@example.com", RecipientStatus.RELEASED), states(virus));
        assertEquals(2, published(QuarantineEvent.Type.RELEASED).size());
    }

    @Test
    void aUserCanNeitherReleaseNorRequestWhereTheRightIsNoneNorTouchOthersMail() {
        areas.create("legal", new AreaService.AreaInput(30, "NONE", "hold"), "admin");
        String legal = quarantineIn("legal", "contract", "alice@example.org", "bob@example.com");
        String spam = quarantineIn("spam", "offer", "alice@example.org", "carol@example.com");
        List<String> bob = List.of("bob@example.com");

        assertEquals(QuarantineProblem.Kind.FORBIDDEN, assertThrows(QuarantineProblem.class,
                () -> commands.release(legal, "bob", Role.USER, bob)).kind());
        assertEquals(QuarantineProblem.Kind.FORBIDDEN, assertThrows(QuarantineProblem.class,
                () -> commands.requestRelease(legal, "bob", Role.USER, bob)).kind());
        // carol's item is "not found" to bob, whatever the command
        for (var command : List.<Runnable>of(() -> commands.release(spam, "bob", Role.USER, bob),
                () -> commands.delete(spam, "bob", Role.USER, bob),
                () -> commands.requestRelease(spam, "bob", Role.USER, bob),
                () -> commands.release(spam, "bob", Role.USER, List.of()),
                () -> commands.release(spam, "bob", Role.USER, null))) {
            assertEquals(QuarantineProblem.Kind.NOT_FOUND, assertThrows(QuarantineProblem.class, command::run).kind());
        }
        assertTrue(published(QuarantineEvent.Type.RELEASED).isEmpty());
        assertTrue(published(QuarantineEvent.Type.DELETED).isEmpty());
        assertEquals(QuarantineProblem.Kind.NOT_FOUND, assertThrows(QuarantineProblem.class,
                () -> queries.getOwned(spam, bob)).kind(), "nor see it");
        assertEquals(spam, queries.getOwned(spam, List.of("Carol@example.com")).itemId);
        // a user may delete its own copy even where it may not release
        commands.delete(legal, "bob", Role.USER, bob);
        assertEquals(List.of("bob@example.com"), last(QuarantineEvent.Type.DELETED).envelope().recipients());
    }

    @Test
    void anItemInAnUnknownAreaHasThePolicyAreasRights() {
        String id = quarantineIn("gone-area", "x", "alice@example.org", "bob@example.com");
        QuarantineProblem refused = assertThrows(QuarantineProblem.class,
                () -> commands.release(id, "bob", Role.USER, List.of("bob@example.com")));
        assertEquals(QuarantineProblem.Kind.FORBIDDEN, refused.kind());
        assertTrue(refused.getMessage().contains("area policy"), refused.getMessage());
    }

    @Test
    void theRoleHeaderAdmitsAdminAndManagerOnly() {
        String id = quarantineIn("spam", "offer", "alice@example.org", "bob@example.com");
        given().header("X-Portcullis-Role", "USER").when().post(API + "/" + id + "/release").then().statusCode(403)
                .body("message", containsString("quarantine managers and admins"));
        given().header("X-Portcullis-Role", "USER").when().get(API).then().statusCode(403);
        given().header("X-Portcullis-Role", "ROOT").when().get(API).then().statusCode(400)
                .body("field", equalTo("X-Portcullis-Role"));
        given().header("X-Portcullis-Role", "manager").when().delete(API + "/" + id).then().statusCode(202);
        given().contentType(ContentType.JSON).body("{\"recipients\": 5}").when().post(API + "/" + id + "/release")
                .then().statusCode(400);
    }
}
