package io.portcullis.scanner.messaging;

import static io.portcullis.scanner.support.TestMessages.plain;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.portcullis.contracts.events.Action;
import io.portcullis.contracts.events.BodyRef;
import io.portcullis.contracts.events.Envelope;
import io.portcullis.contracts.events.EventJson;
import io.portcullis.contracts.events.QuarantineEvent;
import io.portcullis.contracts.events.VerdictIssued;
import io.portcullis.contracts.scan.Category;
import io.portcullis.scanner.release.ReleaseIds;
import io.portcullis.scanner.release.ReleaseVerdicts;
import io.portcullis.scanner.support.FakeClamdResource;
import io.portcullis.scanner.support.InMemoryBodyStore;
import io.portcullis.scanner.support.KafkaTestResource;
import io.quarkus.test.common.TestResourceScope;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.smallrye.reactive.messaging.memory.InMemoryConnector;
import io.smallrye.reactive.messaging.memory.InMemorySink;
import jakarta.enterprise.inject.Any;
import jakarta.inject.Inject;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The release rescan with the second antivirus engine (a fake clamd): a virus only it knows, as newer signatures would,
 * sends the release back to quarantine; a clamd that keeps failing makes the release unscannable, never clean.
 */
@QuarkusTest
@WithTestResource(value = KafkaTestResource.class, scope = TestResourceScope.MATCHING_RESOURCES)
@WithTestResource(value = FakeClamdResource.class, scope = TestResourceScope.MATCHING_RESOURCES)
class ReleaseRescanWithClamdTest {
    private static final String BUCKET = "portcullis-quarantine";

    @Inject
    @Any
    InMemoryConnector connector;

    @Inject
    InMemoryBodyStore store;

    private InMemorySink<byte[]> verdicts;

    @BeforeEach
    void setUp() {
        verdicts = connector.sink(QuarantineReleasedConsumer.VERDICTS);
        verdicts.clear();
    }

    private QuarantineEvent release(String text) throws Exception {
        String id = "Q" + UUID.randomUUID().toString().replace("-", "").substring(0, 17).toUpperCase();
        byte[] body = plain("released", text);
        String key = "2026/01/02/" + id + ".eml";
        store.put(BUCKET, key, body);
        QuarantineEvent ev = new QuarantineEvent(id, "default", Instant.now(), QuarantineEvent.Type.RELEASED,
                new Envelope("a@example.net", List.of("bob@example.com"), "h", "192.0.2.1", false),
                BodyRef.stored(BUCKET, key, body.length, QuarantineReleasedConsumerTest.sha256(body)), "rule=spam",
                "admin");
        connector.source(QuarantineReleasedConsumer.CHANNEL).send(EventJson.write(ev));
        return ev;
    }

    private VerdictIssued awaitVerdict(QuarantineEvent ev) {
        String verdictId = ReleaseIds.verdictId(ev);
        await().atMost(Duration.ofSeconds(30)).until(() -> verdicts.received().stream()
                .anyMatch(m -> EventJson.read(m.getPayload(), VerdictIssued.class).messageId().equals(verdictId)));
        return verdicts.received().stream().map(m -> EventJson.read(m.getPayload(), VerdictIssued.class))
                .filter(v -> v.messageId().equals(verdictId)).findFirst().orElseThrow();
    }

    @Test
    void virusOnlyTheNewerSignaturesKnowSendsTheReleaseBackAsVirus() throws Exception {
        VerdictIssued v = awaitVerdict(release("see " + FakeClamdResource.TROJAN));
        assertEquals(Action.QUARANTINE, v.action());
        assertEquals(ReleaseVerdicts.VIRUS_AREA, v.decisions().get(0).quarantineArea());
        assertTrue(v.findings().stream().anyMatch(f -> f.symbol().equals("AV_TROJAN")
                && f.category() == Category.VIRUS), v.findings().toString());
        assertEquals(FakeClamdResource.VERSION, v.engineVersions().get("clamd"), v.engineVersions().toString());
    }

    @Test
    void engineThatKeepsFailingIsRetriedThenTheReleaseIsUnscannableNotDelivered() throws Exception {
        long start = System.nanoTime();
        VerdictIssued v = awaitVerdict(release("x " + FakeClamdResource.ERROR));
        assertEquals(Action.QUARANTINE, v.action());
        assertEquals(ReleaseVerdicts.UNSCANNABLE_AREA, v.decisions().get(0).quarantineArea());
        assertTrue(v.findings().stream().anyMatch(f -> f.symbol().equals("CLAMD_FAIL")
                && f.category() == Category.FAILURE), v.findings().toString());
        // %test retry-delay 100MS, doubled: three scans wait at least 100 + 200 ms
        assertTrue(Duration.ofNanos(System.nanoTime() - start).toMillis() >= 300, "retried before giving up");
    }

    @Test
    void cleanReleaseIsDeliveredWhenClamdAnswersOk() throws Exception {
        VerdictIssued v = awaitVerdict(release("nothing to see"));
        assertEquals(Action.DELIVER, v.action());
        assertTrue(v.findings().stream().noneMatch(f -> f.category() == Category.FAILURE), v.findings().toString());
    }
}
