package io.portcullis.policy.spam;

import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.agroal.api.AgroalDataSource;
import io.portcullis.contracts.events.BodyRef;
import io.portcullis.contracts.events.EventJson;
import io.portcullis.contracts.events.SpamFeedback;
import io.portcullis.contracts.events.SpamModelUpdated;
import io.portcullis.contracts.events.Topics;
import io.portcullis.policy.InMemoryKafkaResource;
import io.portcullis.policy.messaging.OutboxRelay;
import io.portcullis.policy.messaging.SpamFeedbackConsumer;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.smallrye.reactive.messaging.kafka.api.OutgoingKafkaRecordMetadata;
import io.smallrye.reactive.messaging.memory.InMemoryConnector;
import io.smallrye.reactive.messaging.memory.InMemorySink;
import jakarta.enterprise.inject.Any;
import jakarta.inject.Inject;
import java.sql.Connection;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.eclipse.microprofile.reactive.messaging.Message;
import org.junit.jupiter.api.Test;

/** {@code portcullis.policy.spam-learning.shared=true}: every tenant learns into the one model {@code *}. */
@QuarkusTest
@QuarkusTestResource(InMemoryKafkaResource.class)
@TestProfile(SpamLearningSharedTest.Shared.class)
class SpamLearningSharedTest {

    public static class Shared implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("portcullis.policy.spam-learning.shared", "true");
        }
    }

    @Inject
    @Any
    InMemoryConnector connector;

    @Inject
    AgroalDataSource dataSource;

    private void learn(String tenant, String messageId, SpamFeedback.Label label) throws Exception {
        byte[] body = SpamLearningTest.mail("shared " + messageId, "a message of tenant " + tenant);
        SpamFeedback f = new SpamFeedback("f-" + messageId, messageId, tenant, Instant.now(), label,
                SpamFeedback.Source.ADMIN, "admin", BodyRef.inline(body, SpamLearningTest.sha256(body)));
        CompletableFuture<Throwable> done = new CompletableFuture<>();
        connector.source(SpamFeedbackConsumer.CHANNEL).send(Message.of(EventJson.write(f), () -> {
            done.complete(null);
            return CompletableFuture.completedFuture(null);
        }, t -> {
            done.complete(t);
            return CompletableFuture.completedFuture(null);
        }));
        assertEquals(null, done.get(30, TimeUnit.SECONDS));
    }

    @Test
    void everyTenantsFeedbackGoesIntoTheSharedModelWithOneSequence() throws Exception {
        try (Connection c = dataSource.getConnection(); Statement s = c.createStatement()) {
            s.execute("DELETE FROM policy.spam_learned_message WHERE tenant = '*'; "
                    + "DELETE FROM policy.spam_token_count WHERE tenant = '*'; "
                    + "DELETE FROM policy.spam_model_state WHERE tenant = '*'");
        }
        connector.sink(OutboxRelay.CHANNEL).clear();
        learn("alpha", "s-1", SpamFeedback.Label.SPAM);
        learn("beta", "s-2", SpamFeedback.Label.HAM);
        learn("beta", "s-1", SpamFeedback.Label.SPAM); // other tenant, same message id: the shared model knows it
        await().atMost(Duration.ofSeconds(30)).until(() -> updates().size() >= 2);
        List<SpamModelUpdated> updates = updates();
        assertEquals(List.of("*", "*"), updates.stream().map(SpamModelUpdated::tenant).toList());
        assertEquals(List.of(1L, 2L), updates.stream().map(SpamModelUpdated::sequence).toList());
        given().queryParam("tenant", "*").get("/api/v1/spam/learned").then().statusCode(200)
                .body("sequence", equalTo(2)).body("spamMessages", equalTo(1)).body("hamMessages", equalTo(1));
        given().queryParam("tenant", "alpha").get("/api/v1/spam/learned").then().statusCode(200)
                .body("sequence", equalTo(0)).body("tokens.size()", equalTo(0));
        given().get("/api/v1/spam/learned").then().statusCode(200).body("shared", equalTo(true));
    }

    private List<SpamModelUpdated> updates() {
        InMemorySink<byte[]> sink = connector.sink(OutboxRelay.CHANNEL);
        return sink.received().stream().<Message<byte[]>>map(m -> m)
                .filter(m -> Topics.SPAM_MODEL.equals(
                        m.getMetadata(OutgoingKafkaRecordMetadata.class).orElseThrow().getTopic()))
                .map(m -> EventJson.read(m.getPayload(), SpamModelUpdated.class)).toList();
    }
}
