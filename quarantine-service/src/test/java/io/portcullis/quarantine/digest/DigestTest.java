package io.portcullis.quarantine.digest;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.portcullis.contracts.events.EventJson;
import io.portcullis.contracts.events.QuarantineEvent;
import io.portcullis.quarantine.InMemoryKafkaResource;
import io.portcullis.quarantine.messaging.QuarantineEventPublisher;
import io.portcullis.quarantine.repository.QuarantineRepository;
import io.portcullis.quarantine.storage.InMemoryObjectStore;
import io.portcullis.quarantine.user.UserQuarantineTest;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.smallrye.reactive.messaging.memory.InMemoryConnector;
import jakarta.enterprise.inject.Any;
import jakarta.inject.Inject;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Digests are sent once per item and address; their links act once, and only on POST. */
@QuarkusTest
@QuarkusTestResource(InMemoryKafkaResource.class)
class DigestTest {
    private static final String KEY = "portcullis-test-digest-link-key-000000000001";
    private static final Pattern LINK = Pattern.compile("(Release|Request release|Approve sender|Delete): \\S+/digest-links/(\\S+)");

    @Inject
    QuarantineRepository repository;
    @Inject
    InMemoryObjectStore store;
    @Inject
    @Any
    InMemoryConnector connector;
    @Inject
    CapturingDigestMailer mailer;
    @Inject
    DigestRunner runner;

    @BeforeEach
    void reset() {
        mailer.sent().clear();
        mailer.failing(false);
        connector.sink(QuarantineEventPublisher.CHANNEL).clear();
        QuarkusTransaction.requiringNew().run(() -> {
            for (String table : List.of("digest_item", "digest_batch", "digest_link_use", "digest_subscription",
                    "quarantine_recipient")) {
                repository.getEntityManager().createNativeQuery("DELETE FROM quarantine." + table).executeUpdate();
            }
            repository.deleteAll();
        });
    }

    private String link(DigestMail mail, String label) {
        Matcher m = LINK.matcher(mail.text());
        while (m.find()) {
            if (m.group(1).equals(label)) {
                return m.group(2);
            }
        }
        throw new AssertionError("no " + label + " link in " + mail.text());
    }

    private long released() {
        return connector.<byte[]>sink(QuarantineEventPublisher.CHANNEL).received().stream()
                .map(m -> EventJson.read(m.getPayload(), QuarantineEvent.class))
                .filter(e -> e.type() == QuarantineEvent.Type.RELEASED).count();
    }

    @Test
    void aDigestListsNewItemsOnceWithLinksByAreaRight() {
        UserQuarantineTest.item(repository, store, "spam", "pills", "alice@corp.example");
        UserQuarantineTest.item(repository, store, "virus", "eicar", "alice@corp.example");
        UserQuarantineTest.item(repository, store, "spam", "for bob", "bob@corp.example");
        given().contentType("application/json").body("{\"schedule\":\"off\"}")
                .header("X-Portcullis-Owner", "bob@corp.example").put("/api/v1/user-quarantine/digest").then()
                .statusCode(200);

        given().post("/api/v1/quarantine/digests/run").then().statusCode(200).body("ran", equalTo(true))
                .body("sent", equalTo(1));
        assertEquals(1, mailer.sent().size(), "bob chose off");
        DigestMail mail = mailer.sent().get(0);
        assertEquals("alice@corp.example", mail.to());
        assertTrue(mail.text().contains("pills") && mail.text().contains("eicar"), mail.text());
        Matcher m = LINK.matcher(mail.text());
        List<String> labels = new java.util.ArrayList<>();
        while (m.find()) {
            labels.add(m.group(1));
        }
        assertEquals(List.of("Release", "Approve sender", "Delete", "Request release", "Approve sender", "Delete"),
                labels, "spam: release; virus: request release");

        given().queryParam("force", true).post("/api/v1/quarantine/digests/run").then().statusCode(200)
                .body("sent", equalTo(0));
        assertEquals(1, mailer.sent().size(), "items already listed are never listed again");
        UserQuarantineTest.item(repository, store, "spam", "newer", "alice@corp.example");
        given().post("/api/v1/quarantine/digests/run").then().body("sent", equalTo(0));
        assertEquals(1, mailer.sent().size(), "not due yet: daily");
        given().queryParam("force", true).post("/api/v1/quarantine/digests/run").then().body("sent", equalTo(1));
        assertEquals(2, mailer.sent().size());
        assertTrue(mailer.sent().get(1).text().contains("newer") && !mailer.sent().get(1).text().contains("pills"));
    }

    @Test
    void aLinkReleasesOnceAndAGetNeverActs() {
        UserQuarantineTest.item(repository, store, "spam", "pills", "alice@corp.example");
        DigestRunner.RunResult result = runner.run(true);
        assertEquals(1, result.sent(), result.toString());
        String token = link(mailer.sent().get(0), "Release");

        for (int i = 0; i < 3; i++) {
            given().get("/api/v1/digest-links/" + token).then().statusCode(200).body("action", equalTo("release"))
                    .body("subject", equalTo("pills")).body("recipient", equalTo("alice@corp.example"));
        }
        assertEquals(0, released(), "GET never acts");

        given().post("/api/v1/digest-links/" + token).then().statusCode(200).body("action", equalTo("release"));
        assertEquals(1, released());
        given().post("/api/v1/digest-links/" + token).then().statusCode(409).body("reason", equalTo("USED"));
        given().get("/api/v1/digest-links/" + token).then().statusCode(409).body("reason", equalTo("USED"));
        assertEquals(1, released(), "a reused link does nothing");
    }

    @Test
    void expiredForgedAndTamperedLinksAreRefused() {
        String id = UserQuarantineTest.item(repository, store, "spam", "pills", "alice@corp.example");
        DigestLinkSigner ours = new DigestLinkSigner(KEY, Clock.systemUTC());
        String expired = ours.sign(new DigestLink(UUID.randomUUID(), id, "alice@corp.example", DigestAction.RELEASE,
                Instant.now().minusSeconds(5)));
        given().post("/api/v1/digest-links/" + expired).then().statusCode(410).body("reason", equalTo("EXPIRED"));
        String forged = new DigestLinkSigner("an-attacker-guessed-this-key-000000000", Clock.systemUTC())
                .sign(new DigestLink(UUID.randomUUID(), id, "alice@corp.example", DigestAction.RELEASE,
                        Instant.now().plusSeconds(600)));
        given().post("/api/v1/digest-links/" + forged).then().statusCode(403).body("reason", equalTo("INVALID"));
        String good = ours.sign(new DigestLink(UUID.randomUUID(), id, "alice@corp.example", DigestAction.RELEASE,
                Instant.now().plusSeconds(600)));
        String tampered = good.substring(0, 5) + (good.charAt(5) == 'A' ? 'B' : 'A') + good.substring(6);
        given().post("/api/v1/digest-links/" + tampered).then().statusCode(403).body("reason", equalTo("INVALID"));
        String otherRecipient = ours.sign(new DigestLink(UUID.randomUUID(), id, "bob@corp.example",
                DigestAction.RELEASE, Instant.now().plusSeconds(600)));
        given().post("/api/v1/digest-links/" + otherRecipient).then().statusCode(409)
                .body("reason", equalTo("NOT_APPLICABLE"));
        assertEquals(0, released());
        given().post("/api/v1/digest-links/" + good).then().statusCode(200);
        assertEquals(1, released());
    }

    @Test
    void aFailedSendIsRetriedAndACrashMidSendIsNeverResent() {
        UserQuarantineTest.item(repository, store, "spam", "pills", "alice@corp.example");
        mailer.failing(true);
        given().post("/api/v1/quarantine/digests/run").then().body("failed", equalTo(1));
        mailer.failing(false);
        given().post("/api/v1/quarantine/digests/run").then().body("sent", equalTo(1));
        assertEquals(1, mailer.sent().size(), "the refused digest went out on the next run, once");

        UserQuarantineTest.item(repository, store, "spam", "second", "bob@corp.example");
        // a crash after SENDING was recorded: simulate by claiming and marking it, then run
        DigestStore.Batch batch = storeClaim("bob@corp.example");
        given().post("/api/v1/quarantine/digests/run").then().body("abandoned", equalTo(1)).body("sent", equalTo(0));
        assertEquals(1, mailer.sent().size(), "an interrupted digest is not sent twice");
        assertTrue(batch != null);
    }

    @Inject
    DigestStore digestStore;

    private DigestStore.Batch storeClaim(String address) {
        DigestStore.Batch batch = digestStore.claim(address, 10, Instant.now()).orElseThrow();
        assertTrue(digestStore.markSending(batch.id()));
        return batch;
    }
}
