package io.portcullis.policy.rest;

import static io.portcullis.policy.signatures.TarFixtures.gzip;
import static io.portcullis.policy.signatures.TarFixtures.hdbLine;
import static io.portcullis.policy.signatures.TarFixtures.hex;
import static io.portcullis.policy.signatures.TarFixtures.tar;
import static io.portcullis.policy.signatures.TarFixtures.tarOf;
import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.hasKey;
import static org.hamcrest.Matchers.matchesPattern;
import static org.hamcrest.Matchers.not;
import static org.hamcrest.Matchers.notNullValue;
import static org.hamcrest.Matchers.nullValue;
import static org.hamcrest.Matchers.startsWith;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.portcullis.contracts.events.EventJson;
import io.portcullis.contracts.events.SignatureBundleActivated;
import io.portcullis.contracts.events.Topics;
import io.portcullis.policy.InMemoryKafkaResource;
import io.portcullis.policy.SignatureDatabase;
import io.portcullis.policy.messaging.OutboxRelay;
import io.portcullis.policy.reputation.ReputationIndex;
import io.portcullis.policy.reputation.ReputationRefreshJob;
import io.portcullis.policy.signatures.PublishLock;
import io.portcullis.policy.storage.InMemoryObjectStore;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.response.ValidatableResponse;
import io.smallrye.reactive.messaging.kafka.api.OutgoingKafkaRecordMetadata;
import io.smallrye.reactive.messaging.memory.InMemoryConnector;
import io.smallrye.reactive.messaging.memory.InMemorySink;
import jakarta.enterprise.inject.Any;
import jakarta.inject.Inject;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.eclipse.microprofile.reactive.messaging.Message;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

@QuarkusTest
@QuarkusTestResource(InMemoryKafkaResource.class)
class SignatureResourceTest {
    private static final String BASE = "/api/v1/signatures";
    private static final String BUCKET = "portcullis-signatures";
    private static final byte[] SAMPLE_A = bytes("sample known to bundle A");
    private static final byte[] SAMPLE_B = bytes("sample known to bundle B");

    @Inject
    @Any
    InMemoryConnector connector;

    @Inject
    SignatureDatabase database;

    @Inject
    InMemoryObjectStore store;

    @Inject
    ReputationRefreshJob refresh;

    @Inject
    ReputationIndex index;

    @Inject
    PublishLock publishLock;

    private InMemorySink<byte[]> sink;

    private static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.US_ASCII);
    }

    @BeforeEach
    void reset() {
        store.failing(false);
        store.clearObjects();
        await().atMost(Duration.ofSeconds(30)).until(() -> database.outbox() == 0);
        database.reset();
        refresh.refresh();
        sink = connector.sink(OutboxRelay.CHANNEL);
        sink.clear();
    }

    @AfterEach
    void drain() {
        store.failing(false);
        await().atMost(Duration.ofSeconds(30)).until(() -> database.outbox() == 0);
    }

    /** A bundle whose .hdb knows {@code sample} as {@code name}, plus a body signature. */
    private static byte[] bundle(byte[] sample, String name) {
        Map<String, byte[]> files = new LinkedHashMap<>();
        files.put("main.hdb", bytes(hdbLine(sample, name)));
        files.put("local.ndb", bytes("Win.Test.Body-1:0:*:6d616c77617265\n"));
        return tarOf(files);
    }

    private static ValidatableResponse publish(String version, byte[] body, String contentType) {
        var request = given().contentType(contentType).body(body);
        if (version != null) {
            request = request.queryParam("version", version);
        }
        return request.post(BASE).then();
    }

    private static ValidatableResponse reputation(byte[]... samples) {
        StringBuilder json = new StringBuilder("{\"files\":[");
        for (int i = 0; i < samples.length; i++) {
            json.append(i == 0 ? "" : ",").append("{\"md5\":\"").append(hex("MD5", samples[i]))
                    .append("\",\"sha1\":null,\"sha256\":\"").append(hex("SHA-256", samples[i]))
                    .append("\",\"size\":").append(samples[i].length).append('}');
        }
        return given().contentType(ContentType.JSON).body(json.append("]}").toString())
                .post("/api/v1/reputation/files").then();
    }

    private List<Message<byte[]>> signatureRecords() {
        return sink.received().stream().<Message<byte[]>>map(m -> m)
                .filter(m -> Topics.SIGNATURES.equals(
                        m.getMetadata(OutgoingKafkaRecordMetadata.class).orElseThrow().getTopic()))
                .toList();
    }

    private List<SignatureBundleActivated> events(int expected) {
        await().atMost(Duration.ofSeconds(30)).until(() -> signatureRecords().size() >= expected);
        return signatureRecords().stream()
                .map(m -> EventJson.read(m.getPayload(), SignatureBundleActivated.class)).toList();
    }

    @Test
    void beforeAnyBundleTheListIsEmptyActiveIs404AndReputationIsUnknown() {
        given().get(BASE).then().statusCode(200).body("active", nullValue()).body("bundles.size()", equalTo(0))
                .body("$", hasKey("active"));
        given().get(BASE + "/active").then().statusCode(404).body("error", equalTo("no signature bundle is active"));
        reputation(SAMPLE_A).statusCode(200).body("version", nullValue()).body("$", hasKey("version"))
                .body("results[0].verdict", equalTo("UNKNOWN"))
                .body("results[0].sha256", equalTo(hex("SHA-256", SAMPLE_A)))
                .body("results[0]", hasKey("signature")).body("results[0].signature", nullValue())
                .body("results[0].category", nullValue());
    }

    @Test
    void publishStoresTheNormalizedTarThenTheRowAndAnActivationEventWithTheRightFields() {
        byte[] upload = bundle(SAMPLE_A, "Win.Trojan.SampleA-1");
        String sha256 = publish("2026112701", upload, "application/x-tar").statusCode(201)
                .body("version", equalTo("2026112701"))
                .body("objectKey", equalTo("bundles/2026112701.tar"))
                .body("files", equalTo(List.of("main.hdb", "local.ndb")))
                .body("signatures.hdb", equalTo(1)).body("signatures.ndb", equalTo(1))
                .body("active", equalTo(true))
                .body("createdAt", notNullValue())
                .body("$", not(hasKey("bucket")))
                .extract().path("sha256");
        int size = given().get(BASE + "/active").then().statusCode(200).extract().path("size");

        byte[] object = store.get(BUCKET, "bundles/2026112701.tar").orElseThrow();
        assertEquals(hex("SHA-256", object), sha256);
        assertEquals(object.length, size);
        assertEquals(sha256, store.metadata(BUCKET, "bundles/2026112701.tar").get("sha256"));
        assertEquals(1, database.bundles());

        List<SignatureBundleActivated> events = events(1);
        assertEquals(1, events.size());
        SignatureBundleActivated event = events.get(0);
        assertEquals(new SignatureBundleActivated("default", "2026112701", BUCKET, "bundles/2026112701.tar", sha256,
                object.length, event.activatedAt(), "publish"), event);
        Message<byte[]> record = signatureRecords().get(0);
        assertEquals("default", record.getMetadata(OutgoingKafkaRecordMetadata.class).orElseThrow().getKey());
        await().atMost(Duration.ofSeconds(30)).until(() -> database.outbox() == 0);
    }

    @Test
    void aGzippedUploadWithoutVersionGetsAUtcTimestampVersion() {
        publish(null, gzip(bundle(SAMPLE_A, "Win.Trojan.SampleA-1")), "application/gzip").statusCode(201)
                .body("version", matchesPattern("^20\\d{12}$"))
                .body("objectKey", matchesPattern("^bundles/20\\d{12}\\.tar$"));
    }

    @Test
    void listIsNewestFirstAndActiveShowsTheBucket() {
        publish("list-1", bundle(SAMPLE_A, "Win.Trojan.SampleA-1"), "application/x-tar").statusCode(201);
        publish("list-2", bundle(SAMPLE_B, "Win.Trojan.SampleB-1"), "application/octet-stream").statusCode(201);
        given().get(BASE).then().statusCode(200)
                .body("active", equalTo("list-2"))
                .body("bundles.version", equalTo(List.of("list-2", "list-1")))
                .body("bundles.active", equalTo(List.of(true, false)))
                .body("bundles[0]", not(hasKey("bucket")));
        given().get(BASE + "/active").then().statusCode(200)
                .body("version", equalTo("list-2")).body("bucket", equalTo(BUCKET)).body("active", equalTo(true))
                .body("objectKey", equalTo("bundles/list-2.tar"));
    }

    @Test
    void activatingAnEarlierBundleIsARollbackAndReputationAnswersFromItAtOnce() {
        publish("roll-a", bundle(SAMPLE_A, "Win.Trojan.SampleA-1"), "application/x-tar").statusCode(201);
        reputation(SAMPLE_A, SAMPLE_B).statusCode(200).body("version", equalTo("roll-a"))
                .body("results.verdict", equalTo(List.of("MALICIOUS", "UNKNOWN")))
                .body("results[0].signature", equalTo("Win.Trojan.SampleA-1"))
                .body("results[0].category", equalTo("TROJAN"));
        publish("roll-b", bundle(SAMPLE_B, "Win.Worm.SampleB-1"), "application/x-tar").statusCode(201);
        reputation(SAMPLE_A, SAMPLE_B).statusCode(200).body("version", equalTo("roll-b"))
                .body("results.verdict", equalTo(List.of("UNKNOWN", "MALICIOUS")))
                .body("results[1].category", equalTo("WORM_MASS_MAILER"));

        given().post(BASE + "/roll-a/activate").then().statusCode(200)
                .body("version", equalTo("roll-a")).body("active", equalTo(true));
        reputation(SAMPLE_A, SAMPLE_B).statusCode(200).body("version", equalTo("roll-a"))
                .body("results.verdict", equalTo(List.of("MALICIOUS", "UNKNOWN")));
        given().get(BASE + "/active").then().body("version", equalTo("roll-a"));
        given().get(BASE).then().body("active", equalTo("roll-a")).body("bundles.active", equalTo(List.of(false, true)));

        List<SignatureBundleActivated> events = events(3);
        assertEquals(List.of("roll-a", "roll-b", "roll-a"), events.stream().map(SignatureBundleActivated::version)
                .toList());
        assertEquals(List.of("publish", "publish", "rollback"), events.stream().map(SignatureBundleActivated::reason)
                .toList());
        assertEquals(events.get(0).sha256(), events.get(2).sha256());
        assertEquals(events.get(0).objectKey(), events.get(2).objectKey());
    }

    @Test
    void aDuplicateVersionIs409AndChangesNothing() {
        publish("dup-1", bundle(SAMPLE_A, "Win.Trojan.SampleA-1"), "application/x-tar").statusCode(201);
        byte[] first = store.get(BUCKET, "bundles/dup-1.tar").orElseThrow();
        publish("dup-1", bundle(SAMPLE_B, "Win.Trojan.SampleB-1"), "application/x-tar").statusCode(409)
                .body("field", equalTo("version"));
        assertArrayEquals(first, store.get(BUCKET, "bundles/dup-1.tar").orElseThrow());
        assertEquals(1, database.bundles());
        assertEquals(1, events(1).size());
        reputation(SAMPLE_B).body("results[0].verdict", equalTo("UNKNOWN"));
    }

    @Test
    void anUploadAboveTheLimitIs413AndStoresNothing() throws Exception {
        byte[] big = tarOf("main.hdb", hdbLine(SAMPLE_A, "Win.Trojan.SampleA-1").repeat(30_000)); // ~1.9 MB
        // the server answers 413 from Content-Length without reading the body; with Expect: 100-continue the client
        // waits for that answer instead of racing the closed connection with the rest of the body
        java.net.http.HttpResponse<String> raw = java.net.http.HttpClient.newBuilder().version(java.net.http.HttpClient.Version.HTTP_1_1).build().send(
                java.net.http.HttpRequest.newBuilder(java.net.URI.create(io.restassured.RestAssured.baseURI + ":"
                        + io.restassured.RestAssured.port + BASE + "?version=big-1")).expectContinue(true)
                        .header("Content-Type", "application/x-tar")
                        .POST(java.net.http.HttpRequest.BodyPublishers.ofByteArray(big)).build(),
                java.net.http.HttpResponse.BodyHandlers.ofString());
        assertEquals(413, raw.statusCode(), raw.body());
        // gzip'd, the body is small, but the tar inside is above the 1M test limit
        publish("big-2", gzip(big), "application/gzip").statusCode(413)
                .body("error", startsWith("entry 'main.hdb' declares"));
        assertEquals(0, database.bundles());
        assertEquals(0, store.objectCount(BUCKET));
        assertEquals(0, signatureRecords().size());
    }

    @Test
    void aBadSignatureLineIs400NamingFileAndLine() {
        Map<String, byte[]> files = new LinkedHashMap<>();
        files.put("main.hdb", bytes(hdbLine(SAMPLE_A, "Win.Trojan.SampleA-1")));
        files.put("bad.ndb", bytes("Good.Sig-1:0:*:6d616c77617265\nBad.Sig-1:0:*:6d61zz\n"));
        publish("bad-1", tarOf(files), "application/x-tar").statusCode(400)
                .body("error", startsWith("bad.ndb:2: ")).body("field", equalTo("body"));
        assertEquals(0, database.bundles());
    }

    @Test
    void hostileEntriesAre400NamingTheEntry() {
        byte[] link = tar().file("main.hdb", bytes(hdbLine(SAMPLE_A, "X-1"))).header("evil.hdb", '2', 0,
                "/etc/shadow").end();
        publish("hostile-1", link, "application/x-tar").statusCode(400)
                .body("error", equalTo("entry 'evil.hdb' is a symbolic link; only regular files are allowed"));
        publish("hostile-2", tarOf("../../main.hdb", hdbLine(SAMPLE_A, "X-1")), "application/x-tar")
                .statusCode(400).body("error", startsWith("entry '../../main.hdb' is not a plain top-level"));
        publish("hostile-3", tar().end(), "application/x-tar").statusCode(400)
                .body("error", startsWith("the bundle contains no database file"));
        assertEquals(0, store.objectCount(BUCKET));
    }

    @Test
    void versionsAreCheckedAndUnknownOnesAre404() {
        publish("a b", bundle(SAMPLE_A, "X-1"), "application/x-tar").statusCode(400).body("field", equalTo("version"));
        given().contentType("application/x-tar").body(bundle(SAMPLE_A, "X-1")).post(BASE + "?version=").then()
                .statusCode(400).body("field", equalTo("version"));
        publish("x".repeat(65), bundle(SAMPLE_A, "X-1"), "application/x-tar").statusCode(400);
        given().post(BASE + "/no-such-version/activate").then().statusCode(404).body("field", equalTo("version"));
        given().contentType(ContentType.JSON).body("{}").post(BASE).then().statusCode(415);
    }

    @Test
    void s3OutageOnPublishIs503AndLeavesNoRowAndNoEvent() {
        store.failing(true);
        publish("s3-down", bundle(SAMPLE_A, "X-1"), "application/x-tar").statusCode(503)
                .body("error", startsWith("object storage unavailable"));
        store.failing(false);
        assertEquals(0, database.bundles());
        assertEquals(0, database.outbox());
        given().get(BASE + "/active").then().statusCode(404);
        // the version is free again
        publish("s3-down", bundle(SAMPLE_A, "X-1"), "application/x-tar").statusCode(201);
    }

    @Test
    void activationRefusesABundleWhoseObjectIsUnreadableOrTamperedAndKeepsTheActiveOne() {
        publish("keep-a", bundle(SAMPLE_A, "Win.Trojan.SampleA-1"), "application/x-tar").statusCode(201);
        publish("keep-b", bundle(SAMPLE_B, "Win.Trojan.SampleB-1"), "application/x-tar").statusCode(201);
        events(2);

        store.failing(true);
        given().post(BASE + "/keep-a/activate").then().statusCode(503);
        store.failing(false);

        byte[] a = store.get(BUCKET, "bundles/keep-a.tar").orElseThrow();
        byte[] tampered = a.clone();
        tampered[tampered.length - 1] ^= 1;
        store.putBytes(BUCKET, "bundles/keep-a.tar", tampered);
        given().post(BASE + "/keep-a/activate").then().statusCode(503)
                .body("error", startsWith("signature bundle keep-a: bundle object is"));

        given().get(BASE + "/active").then().body("version", equalTo("keep-b"));
        reputation(SAMPLE_B).body("version", equalTo("keep-b")).body("results[0].verdict", equalTo("MALICIOUS"));
        assertEquals(2, events(2).size());
    }

    @Test
    void anotherInstancesActivationIsFollowedByTheRefreshJob() {
        publish("other-a", bundle(SAMPLE_A, "Win.Trojan.SampleA-1"), "application/x-tar").statusCode(201);
        publish("other-b", bundle(SAMPLE_B, "Win.Trojan.SampleB-1"), "application/x-tar").statusCode(201);
        long before = index.current().activation();

        database.activateElsewhere("other-a"); // as another replica's rollback commits it
        reputation(SAMPLE_A).body("version", equalTo("other-b")); // not seen yet
        refresh.trigger(); // what the scheduled tick does, in the background
        await().atMost(Duration.ofSeconds(30)).until(() -> "other-a".equals(index.current().version()));
        assertEquals(before + 1, index.current().activation());
        reputation(SAMPLE_A, SAMPLE_B).body("version", equalTo("other-a"))
                .body("results.verdict", equalTo(List.of("MALICIOUS", "UNKNOWN")));
    }

    @Test
    void reputationRequestsAreValidatedOverHttp() {
        StringBuilder many = new StringBuilder("{\"files\":[");
        for (int i = 0; i < 1001; i++) {
            many.append(i == 0 ? "" : ",").append("{\"md5\":\"").append(hex("MD5", SAMPLE_A))
                    .append("\",\"sha256\":\"").append(hex("SHA-256", SAMPLE_A)).append("\",\"size\":1}");
        }
        String path = "/api/v1/reputation/files";
        given().contentType(ContentType.JSON).body(many.append("]}").toString()).post(path).then().statusCode(400)
                .body("field", equalTo("files"));
        given().contentType(ContentType.JSON).body("{\"files\":[]}").post(path).then().statusCode(400)
                .body("field", equalTo("files"));
        given().contentType(ContentType.JSON).body("{\"files\":[{\"md5\":\"" + hex("MD5", SAMPLE_A)
                + "\",\"sha256\":\"" + hex("SHA-256", SAMPLE_A) + "\",\"size\":\"12\"}]}").post(path).then()
                .statusCode(400).body("field", equalTo("files[0].size"));
        given().contentType(ContentType.JSON).body("{\"files\":[{\"md5\":\"xyz\",\"sha256\":\""
                + hex("SHA-256", SAMPLE_A) + "\",\"size\":12}]}").post(path).then()
                .statusCode(400).body("field", equalTo("files[0].md5"));
        given().contentType(ContentType.JSON).body("{\"files\":[{\"md5\":\"" + hex("MD5", SAMPLE_A)
                + "\",\"sha256\":\"" + hex("SHA-256", SAMPLE_A) + "\",\"size\":12,\"name\":\"x.exe\"}]}").post(path)
                .then().statusCode(400).body("error", equalTo("unknown field"));
        given().contentType(ContentType.JSON).body("not json").post(path).then().statusCode(400);
    }

    @Test
    void readinessReportsObjectStorageAndHashReputation() {
        publish("ready-1", bundle(SAMPLE_A, "X-1"), "application/x-tar").statusCode(201);
        given().get("/q/health/ready").then().statusCode(200)
                .body("checks.name", hasItem("object-store"))
                .body("checks.name", hasItem("hash-reputation"))
                .body("checks.find { it.name == 'hash-reputation' }.status", equalTo("UP"))
                .body("checks.find { it.name == 'hash-reputation' }.data.version", equalTo("ready-1"));
        assertTrue(index.current().hashes().stats().md5Hashes() == 1);
    }

    @Test
    void aRefreshThatCannotReadTheBundleKeepsThePreviousSetShowsTheFailureAndRecovers() {
        publish("fail-a", bundle(SAMPLE_A, "Win.Trojan.SampleA-1"), "application/x-tar").statusCode(201);
        publish("fail-b", bundle(SAMPLE_B, "Win.Trojan.SampleB-1"), "application/x-tar").statusCode(201);
        database.activateElsewhere("fail-a");

        store.failing(true);
        assertEquals(false, refresh.refresh());
        assertEquals("fail-b", index.current().version());
        assertTrue(index.failure().contains("fail-a"), index.failure());
        reputation(SAMPLE_B).statusCode(200).body("version", equalTo("fail-b"))
                .body("results[0].verdict", equalTo("MALICIOUS"));
        given().get("/q/health/ready").then()
                .body("checks.find { it.name == 'hash-reputation' }.status", equalTo("UP"))
                .body("checks.find { it.name == 'hash-reputation' }.data.loadFailure", startsWith("signature bundle fail-a"));

        store.failing(false);
        assertEquals(true, refresh.refresh());
        assertEquals("fail-a", index.current().version());
        assertEquals(null, index.failure());
        reputation(SAMPLE_A).body("version", equalTo("fail-a")).body("results[0].verdict", equalTo("MALICIOUS"));
    }

    @Test
    void onlyOnePublicationOfAVersionRunsAtATime() {
        try (PublishLock.Held held = publishLock.acquire("locked-1")) {
            // another instance holds the version: this one answers 409 and writes nothing to S3
            publish("locked-1", bundle(SAMPLE_A, "X-1"), "application/x-tar").statusCode(409)
                    .body("error", equalTo("signature bundle locked-1 is being published"));
            assertEquals(0, store.objectCount(BUCKET));
            publish("locked-2", bundle(SAMPLE_A, "X-1"), "application/x-tar").statusCode(201); // other versions go on
        }
        publish("locked-1", bundle(SAMPLE_A, "X-1"), "application/x-tar").statusCode(201); // released
    }
}
