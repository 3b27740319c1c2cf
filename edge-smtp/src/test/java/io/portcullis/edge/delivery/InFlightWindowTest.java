package io.portcullis.edge.delivery;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.atomic.AtomicReference;
import org.eclipse.microprofile.reactive.messaging.Message;
import org.junit.jupiter.api.Test;

class InFlightWindowTest {

    private static Message<String> record(AtomicReference<String> settled) {
        return Message.of("r").withAck(() -> {
            settled.set("ack");
            return CompletableFuture.completedFuture(null);
        }).withNack(e -> {
            settled.set("nack: " + e.getMessage());
            return CompletableFuture.completedFuture(null);
        });
    }

    @Test
    void takesTheNextRecordAtOnceWhileBelowTheLimitAndAcksWhenTheOutcomeCompletes() {
        InFlightWindow window = new InFlightWindow(2);
        AtomicReference<String> settled = new AtomicReference<>();
        CompletableFuture<Void> outcome = new CompletableFuture<>();

        CompletionStage<Void> next = window.track("m1", record(settled), outcome);

        assertTrue(next.toCompletableFuture().isDone(), "the channel is not held by a pending delivery");
        assertEquals(null, settled.get(), "not acknowledged before the outcome is durable");
        outcome.complete(null);
        assertEquals("ack", settled.get());
        assertEquals(0, window.inFlight());
    }

    @Test
    void pausesAtTheLimitUntilOneFinishes() {
        InFlightWindow window = new InFlightWindow(2);
        CompletableFuture<Void> first = new CompletableFuture<>();
        window.track("m1", record(new AtomicReference<>()), first);

        CompletionStage<Void> gate = window.track("m1", record(new AtomicReference<>()), new CompletableFuture<>());

        assertFalse(gate.toCompletableFuture().isDone(), "two in flight: wait");
        first.complete(null);
        assertTrue(gate.toCompletableFuture().isDone());
    }

    @Test
    void nacksAFailedOutcomeWithItsCause() {
        InFlightWindow window = new InFlightWindow(1);
        AtomicReference<String> settled = new AtomicReference<>();

        window.track("m1", record(settled), CompletableFuture.failedFuture(new IllegalStateException("broker down")));

        assertEquals("nack: broker down", settled.get());
        assertEquals(0, window.inFlight());
    }
}
