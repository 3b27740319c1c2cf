package io.portcullis.edge.delivery;

import io.portcullis.contracts.events.EventJson;
import io.portcullis.contracts.events.Topics;
import io.smallrye.reactive.messaging.kafka.api.OutgoingKafkaRecordMetadata;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.eclipse.microprofile.reactive.messaging.Emitter;
import org.eclipse.microprofile.reactive.messaging.Message;

/** Sends one event record keyed by message id (key and {@link Topics#HEADER_MESSAGE_ID}) and waits for Kafka's ack. */
final class AckedSend {

    private AckedSend() {
    }

    /** @return completes when the broker acknowledged the record, exceptionally when it did not */
    static CompletionStage<Void> send(Emitter<byte[]> emitter, String messageId, Object event) {
        CompletableFuture<Void> acked = new CompletableFuture<>();
        RecordHeaders headers = new RecordHeaders();
        headers.add(Topics.HEADER_MESSAGE_ID, messageId.getBytes(StandardCharsets.UTF_8));
        OutgoingKafkaRecordMetadata<String> metadata = OutgoingKafkaRecordMetadata.<String>builder()
                .withKey(messageId)
                .withHeaders(headers)
                .build();
        Message<byte[]> message = Message.of(EventJson.write(event))
                .addMetadata(metadata)
                .withAck(() -> {
                    acked.complete(null);
                    return CompletableFuture.completedFuture(null);
                })
                .withNack(failure -> {
                    acked.completeExceptionally(failure);
                    return CompletableFuture.completedFuture(null);
                });
        try {
            emitter.send(message);
        } catch (RuntimeException e) {
            acked.completeExceptionally(e);
        }
        return acked;
    }
}
