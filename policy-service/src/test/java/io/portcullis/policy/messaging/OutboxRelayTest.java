package io.portcullis.policy.messaging;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.portcullis.policy.config.PolicyConfig;
import io.smallrye.reactive.messaging.kafka.api.OutgoingKafkaRecordMetadata;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletionStage;
import java.util.function.Function;
import org.eclipse.microprofile.reactive.messaging.Emitter;
import org.eclipse.microprofile.reactive.messaging.Message;
import org.junit.jupiter.api.Test;

class OutboxRelayTest {

    /** An in-memory outbox. */
    static final class MemoryStore implements OutboxStore {
        final List<Pending> rows = new ArrayList<>();

        @Override
        public synchronized List<Pending> oldest(int limit) {
            return List.copyOf(rows.subList(0, Math.min(limit, rows.size())));
        }

        @Override
        public synchronized void delete(long id) {
            rows.removeIf(r -> r.id() == id);
        }
    }

    /** An emitter whose broker answers with the given function: ack (null), nack (a failure) or never (hang). */
    static final class ScriptedEmitter implements Emitter<byte[]> {
        final List<Message<byte[]>> sent = new ArrayList<>();
        Function<Message<byte[]>, Throwable> broker = m -> null;
        boolean hang;

        @Override
        public <M extends Message<? extends byte[]>> void send(M message) {
            @SuppressWarnings("unchecked")
            Message<byte[]> m = (Message<byte[]>) message;
            sent.add(m);
            if (hang) {
                return;
            }
            Throwable failure = broker.apply(m);
            if (failure == null) {
                m.ack();
            } else {
                m.nack(failure);
            }
        }

        @Override
        public CompletionStage<Void> send(byte[] payload) {
            throw new UnsupportedOperationException();
        }

        @Override
        public void complete() {
        }

        @Override
        public void error(Exception e) {
        }

        @Override
        public boolean isCancelled() {
            return false;
        }

        @Override
        public boolean hasRequests() {
            return true;
        }
    }

    static PolicyConfig config(int batchSize, Duration ackTimeout) {
        return new PolicyConfig() {
            @Override
            public String tenant() {
                return "default";
            }

            @Override
            public Outbox outbox() {
                return new Outbox() {
                    @Override
                    public Duration interval() {
                        return Duration.ofMillis(500);
                    }

                    @Override
                    public int batchSize() {
                        return batchSize;
                    }

                    @Override
                    public Duration ackTimeout() {
                        return ackTimeout;
                    }
                };
            }

            // not read by the relay
            @Override
            public S3 s3() {
                return null;
            }

            @Override
            public Bundles bundles() {
                return null;
            }

            @Override
            public Signatures signatures() {
                return null;
            }

            @Override
            public SenderLists senderLists() {
                return null;
            }

            @Override
            public Reputation reputation() {
                return null;
            }

            @Override
            public Simulation simulation() {
                return null;
            }

            @Override
            public IpProfiler ipProfiler() {
                return null;
            }

            @Override
            public SpamLearning spamLearning() {
                return null;
            }

            @Override
            public Directory directory() {
                return null;
            }
        };
    }

    private final MemoryStore store = new MemoryStore();
    private final ScriptedEmitter emitter = new ScriptedEmitter();

    private void add(long id) {
        store.rows.add(new OutboxStore.Pending(id, "portcullis.policy.changed.v1", "default",
                ("{\"version\":" + id + "}").getBytes()));
    }

    @Test
    void publishesInIdOrderWithTenantKeyAndDeletesAfterAck() {
        for (long id = 1; id <= 5; id++) {
            add(id);
        }
        OutboxRelay relay = new OutboxRelay(emitter, store, config(2, Duration.ofSeconds(1)));
        assertEquals(5, relay.relayPending());
        assertEquals(0, store.rows.size());
        assertEquals(5, emitter.sent.size());
        for (int i = 0; i < 5; i++) {
            Message<byte[]> m = emitter.sent.get(i);
            assertEquals("{\"version\":" + (i + 1) + "}", new String(m.getPayload()));
            OutgoingKafkaRecordMetadata<?> meta = m.getMetadata(OutgoingKafkaRecordMetadata.class).orElseThrow();
            assertEquals("default", meta.getKey());
            assertEquals("portcullis.policy.changed.v1", meta.getTopic());
        }
    }

    @Test
    void keepsTheRowAndEveryLaterOneWhenKafkaNacks() {
        add(1);
        add(2);
        add(3);
        emitter.broker = m -> new String(m.getPayload()).contains(":2") ? new RuntimeException("broker down") : null;
        OutboxRelay relay = new OutboxRelay(emitter, store, config(10, Duration.ofSeconds(1)));
        assertEquals(1, relay.relayPending());
        assertEquals(List.of(2L, 3L), store.rows.stream().map(OutboxStore.Pending::id).toList());

        emitter.broker = m -> null; // Kafka is back: the next run retries from row 2, in order
        assertEquals(2, relay.relayPending());
        assertEquals(0, store.rows.size());
        assertEquals(List.of("1", "2", "2", "3"), emitter.sent.stream()
                .map(m -> new String(m.getPayload()).replaceAll("\\D", "")).toList());
    }

    @Test
    void keepsTheRowWhenNoAckArrivesInTime() {
        add(1);
        emitter.hang = true;
        OutboxRelay relay = new OutboxRelay(emitter, store, config(10, Duration.ofMillis(50)));
        assertEquals(0, relay.relayPending());
        assertEquals(1, store.rows.size());
    }

    @Test
    void keepsTheRowWhenTheEmitterRefusesTheMessage() {
        add(1);
        emitter.broker = m -> {
            throw new IllegalStateException("no subscriber");
        };
        OutboxRelay relay = new OutboxRelay(emitter, store, config(10, Duration.ofSeconds(1)));
        assertEquals(0, relay.relayPending());
        assertEquals(1, store.rows.size());
    }

    @Test
    void aTriggerDuringAPassMakesThatPassLookAgainInsteadOfRunningInParallel() {
        add(1);
        OutboxRelay relay = new OutboxRelay(emitter, store, config(10, Duration.ofSeconds(1)));
        int[] nested = {-1};
        emitter.broker = m -> {
            if (new String(m.getPayload()).contains(":1")) {
                add(2); // a change commits while row 1 is in flight and triggers the relay
                nested[0] = relay.relayPending();
            }
            return null;
        };
        assertEquals(2, relay.relayPending());
        assertEquals(0, nested[0], "the nested trigger does not start a second pass");
        assertEquals(List.of("1", "2"), emitter.sent.stream()
                .map(m -> new String(m.getPayload()).replaceAll("\\D", "")).toList());
        assertEquals(0, store.rows.size());
    }

    @Test
    void refusesBadConfigurationAtConstruction() {
        assertThrows(IllegalArgumentException.class, () -> new OutboxRelay(emitter, store,
                config(0, Duration.ofSeconds(1))));
        assertThrows(IllegalArgumentException.class, () -> new OutboxRelay(emitter, store,
                config(10, Duration.ZERO)));
    }

    @Test
    void emptyOutboxPublishesNothing() {
        assertEquals(0, new OutboxRelay(emitter, store, config(10, Duration.ofSeconds(1))).relayPending());
        assertEquals(0, emitter.sent.size());
    }
}
