package io.portcullis.quarantine.user;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasSize;
import static org.hamcrest.Matchers.not;
import static org.hamcrest.Matchers.startsWith;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.portcullis.contracts.events.EventJson;
import io.portcullis.contracts.events.QuarantineEvent;
import io.portcullis.quarantine.InMemoryKafkaResource;
import io.portcullis.quarantine.entity.QuarantineStatus;
import io.portcullis.quarantine.entity.QuarantinedMessage;
import io.portcullis.quarantine.messaging.QuarantineEventPublisher;
import io.portcullis.quarantine.repository.QuarantineRepository;
import io.portcullis.quarantine.storage.InMemoryObjectStore;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.specification.RequestSpecification;
import io.smallrye.reactive.messaging.memory.InMemoryConnector;
import jakarta.enterprise.inject.Any;
import jakarta.inject.Inject;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The end-user API scopes everything by the owner header: alice never sees, previews, downloads or acts on bob's. */
@QuarkusTest
@QuarkusTestResource(InMemoryKafkaResource.class)
public class UserQuarantineTest {
    static final String API = "/api/v1/user-quarantine";
    static final String EML = "From: s@spam.example\r\nSubject: cheap pills\r\nMIME-Version: 1.0\r\n"
            + "Content-Type: multipart/mixed; boundary=\"b\"\r\n\r\n--b\r\nContent-Type: text/html\r\n\r\n"
            + "<p onmouseover=\"alert(1)\">buy <img src=\"http://t.example/p.gif\"></p><script>alert(2)</script>\r\n"
            + "--b\r\nContent-Type: application/pdf\r\nContent-Disposition: attachment; filename=\"a.pdf\"\r\n\r\n"
            + "PDFBYTES\r\n--b--\r\n";

    @Inject
    QuarantineRepository repository;
    @Inject
    InMemoryObjectStore store;
    @Inject
    @Any
    InMemoryConnector connector;

    @BeforeEach
    void reset() {
        store.clearObjects();
        connector.sink(QuarantineEventPublisher.CHANNEL).clear();
        QuarkusTransaction.requiringNew().run(() -> {
            repository.getEntityManager().createNativeQuery("DELETE FROM quarantine.digest_item").executeUpdate();
            repository.getEntityManager().createNativeQuery("DELETE FROM quarantine.digest_batch").executeUpdate();
            repository.getEntityManager().createNativeQuery("DELETE FROM quarantine.digest_link_use").executeUpdate();
            repository.getEntityManager().createNativeQuery("DELETE FROM quarantine.quarantine_recipient").executeUpdate();
            repository.deleteAll();
        });
    }

    /** An item in {@code area} for these recipients, with its body in the (in-memory) store. */
    public static String item(QuarantineRepository repository, InMemoryObjectStore store, String area, String subject,
            String... recipients) {
        String id = "q" + UUID.randomUUID().toString().replace("-", "");
        String key = "2026/11/27/" + id + ".eml";
        store.put("portcullis-quarantine", key, EML.getBytes(StandardCharsets.US_ASCII), "message/rfc822");
        QuarantinedMessage row = new QuarantinedMessage();
        row.itemId = id;
        row.messageId = id;
        row.area = area;
        row.tenant = "default";
        row.receivedAt = Instant.now().truncatedTo(ChronoUnit.MICROS);
        row.quarantinedAt = row.receivedAt;
        row.sender = "s@spam.example";
        row.recipients = List.of(recipients);
        row.subject = subject;
        row.reason = "test";
        row.size = EML.length();
        row.bucket = "portcullis-quarantine";
        row.objectKey = key;
        row.status = QuarantineStatus.QUARANTINED;
        row.envelope = "{\"mailFrom\":\"s@spam.example\",\"recipients\":[],\"helo\":\"h\",\"clientIp\":\"192.0.2.1\",\"tls\":false}";
        assertTrue(repository.insertIfAbsent(row));
        return id;
    }

    static RequestSpecification as(String owner) {
        return given().header("X-Portcullis-Owner", owner).header("X-Portcullis-Owner-Source", "no-directory")
                .header("X-Portcullis-Actor", owner.substring(0, owner.indexOf('@')));
    }

    private List<QuarantineEvent> events() {
        return connector.<byte[]>sink(QuarantineEventPublisher.CHANNEL).received().stream()
                .map(m -> EventJson.read(m.getPayload(), QuarantineEvent.class)).toList();
    }

    @Test
    void aliceCannotListPreviewDownloadOrActOnBobsItems() {
        String alices = item(repository, store, "spam", "alice's pills", "Alice@corp.example");
        String bobs = item(repository, store, "spam", "bob's pills", "bob@corp.example");
        String shared = item(repository, store, "spam", "shared pills", "alice@corp.example", "bob@corp.example");

        as("alice@corp.example").get(API + "/items").then().statusCode(200)
                .body("items.itemId", hasSize(2)).body("items.itemId", not(org.hamcrest.Matchers.hasItem(bobs)))
                .body("owner.address", equalTo("alice@corp.example")).body("owner.source", equalTo("no-directory"));
        as("alice@corp.example").get(API + "/items/" + shared).then().statusCode(200)
                .body("recipients.address", org.hamcrest.Matchers.contains("alice@corp.example"));

        String missing = "q" + UUID.randomUUID().toString().replace("-", "");
        for (String id : new String[] {bobs, missing}) {
            String expected = "no quarantined message " + id;
            as("alice@corp.example").get(API + "/items/" + id).then().statusCode(404).body("message", equalTo(expected));
            as("alice@corp.example").get(API + "/items/" + id + "/preview").then().statusCode(404)
                    .body("message", equalTo(expected));
            as("alice@corp.example").get(API + "/items/" + id + "/preview/html").then().statusCode(404);
            as("alice@corp.example").get(API + "/items/" + id + "/attachments/1").then().statusCode(404)
                    .body("message", equalTo(expected));
            as("alice@corp.example").post(API + "/items/" + id + "/release").then().statusCode(404);
            as("alice@corp.example").post(API + "/items/" + id + "/request-release").then().statusCode(404);
            as("alice@corp.example").post(API + "/items/" + id + "/approve-sender").then().statusCode(404);
            as("alice@corp.example").delete(API + "/items/" + id).then().statusCode(404);
        }
        assertEquals(0, events().size(), "nothing was published for bob's item");

        // the owner header is required: no header never means "everything"
        given().get(API + "/items").then().statusCode(400);
        given().header("X-Portcullis-Owner", "*").get(API + "/items").then().statusCode(400);

        // alice's own: preview is inert, the attachment a download
        as("alice@corp.example").get(API + "/items/" + alices + "/preview").then().statusCode(200)
                .header("X-Content-Type-Options", "nosniff")
                .body("html", not(containsString("script"))).body("html", not(containsString("onmouseover")))
                .body("html", not(containsString("img"))).body("attachments[0].filename", equalTo("a.pdf"));
        as("alice@corp.example").get(API + "/items/" + alices + "/preview/html").then().statusCode(200)
                .contentType(startsWith("text/html")).header("Content-Security-Policy", containsString("sandbox"))
                .body(not(containsString("<script")));
        byte[] pdf = as("alice@corp.example").get(API + "/items/" + alices + "/attachments/1").then().statusCode(200)
                .contentType(startsWith("application/octet-stream"))
                .header("Content-Disposition", startsWith("attachment; filename=\"a.pdf\""))
                .header("X-Content-Type-Options", "nosniff").extract().asByteArray();
        assertEquals("PDFBYTES", new String(pdf, StandardCharsets.US_ASCII));
        as("alice@corp.example").get(API + "/items/" + alices + "/attachments/2").then().statusCode(404);
    }

    @Test
    void aReleaseOfASharedItemReleasesOnlyTheOwnersCopy() {
        String shared = item(repository, store, "spam", "shared", "alice@corp.example", "bob@corp.example");
        as("alice@corp.example").post(API + "/items/" + shared + "/release").then().statusCode(202);
        List<QuarantineEvent> events = events();
        assertEquals(1, events.size());
        assertEquals(QuarantineEvent.Type.RELEASED, events.get(0).type());
        assertEquals(List.of("alice@corp.example"), events.get(0).envelope().recipients());
        assertEquals("alice", events.get(0).actor());
    }

    @Test
    void areaRightsHoldForEndUsers() {
        String virus = item(repository, store, "virus", "eicar", "alice@corp.example");
        as("alice@corp.example").post(API + "/items/" + virus + "/release").then().statusCode(403)
                .body("message", containsString("request"));
        as("alice@corp.example").post(API + "/items/" + virus + "/request-release").then().statusCode(200);
        as("alice@corp.example").get(API + "/items/" + virus).then().statusCode(200)
                .body("userRight", equalTo("REQUEST")).body("recipients[0].status", equalTo("RELEASE_REQUESTED"));
        assertEquals(0, events().size());
    }

    @Test
    void digestScheduleIsPerUserAndValidated() {
        as("alice@corp.example").get(API + "/digest").then().statusCode(200).body("schedule", equalTo("daily"))
                .body("chosen", equalTo(false));
        as("alice@corp.example").contentType("application/json").body("{\"schedule\":\"weekly\"}").put(API + "/digest")
                .then().statusCode(200).body("schedule", equalTo("weekly"));
        as("alice@corp.example").get(API + "/digest").then().body("schedule", equalTo("weekly"));
        as("bob@corp.example").get(API + "/digest").then().body("schedule", equalTo("daily"));
        as("alice@corp.example").contentType("application/json").body("{\"schedule\":\"hourly\"}").put(API + "/digest")
                .then().statusCode(400);
    }
}
