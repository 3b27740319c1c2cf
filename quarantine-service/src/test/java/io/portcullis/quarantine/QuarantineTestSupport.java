package io.portcullis.quarantine;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.portcullis.contracts.events.EventJson;
import io.portcullis.contracts.events.QuarantineEvent;
import io.portcullis.contracts.events.VerdictIssued;
import io.portcullis.quarantine.messaging.QuarantineEventPublisher;
import io.portcullis.quarantine.messaging.QuarantineStateConsumer;
import io.portcullis.quarantine.messaging.VerdictConsumer;
import io.portcullis.quarantine.repository.QuarantineRepository;
import io.portcullis.quarantine.storage.InMemoryObjectStore;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.smallrye.reactive.messaging.memory.InMemoryConnector;
import io.smallrye.reactive.messaging.memory.InMemorySink;
import jakarta.enterprise.inject.Any;
import jakarta.inject.Inject;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;

/** Shared plumbing of the @QuarkusTests: quarantine through the real consumer, feed events to the state consumer. */
public abstract class QuarantineTestSupport {
    protected static final String API = "/api/v1/quarantine";
    protected static final String BUCKET = "portcullis-quarantine";

    @Inject
    @Any
    protected InMemoryConnector connector;
    @Inject
    protected InMemoryObjectStore store;
    @Inject
    protected QuarantineRepository repository;

    protected InMemorySink<byte[]> events;

    @BeforeEach
    protected void resetQuarantine() {
        store.failing(false);
        store.clearObjects();
        events = connector.sink(QuarantineEventPublisher.CHANNEL);
        events.clear();
        QuarkusTransaction.requiringNew().run(() -> repository.deleteAll());
    }

    /** Quarantines through the real consumer, as in production; returns the verdict. */
    protected VerdictIssued quarantine(VerdictIssued verdict) {
        Tracked tracked = new Tracked(EventJson.write(verdict));
        connector.source(VerdictConsumer.CHANNEL).send(tracked.message);
        await().atMost(Duration.ofSeconds(10)).until(tracked::settled);
        assertTrue(tracked.acked.get());
        return verdict;
    }

    protected String quarantineIn(String area, String subject, String sender, String... recipients) {
        return quarantine(Fixtures.inArea(Fixtures.newId(), area, subject, sender, recipients)).messageId();
    }

    protected List<QuarantineEvent> published(QuarantineEvent.Type type) {
        return events.received().stream().map(m -> EventJson.read(m.getPayload(), QuarantineEvent.class))
                .filter(e -> e.type() == type).toList();
    }

    protected QuarantineEvent last(QuarantineEvent.Type type) {
        List<QuarantineEvent> all = published(type);
        return all.get(all.size() - 1);
    }

    /** Applies an event through the real state consumer. */
    protected Tracked feedState(QuarantineEvent event) {
        Tracked tracked = new Tracked(EventJson.write(event));
        connector.source(QuarantineStateConsumer.CHANNEL).send(tracked.message);
        await().atMost(Duration.ofSeconds(10)).until(tracked::settled);
        assertTrue(tracked.acked.get());
        return tracked;
    }
}
