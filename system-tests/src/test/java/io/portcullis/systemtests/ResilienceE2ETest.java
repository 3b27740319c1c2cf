package io.portcullis.systemtests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.portcullis.systemtests.support.Messages;
import io.portcullis.systemtests.support.SmtpClient;
import java.nio.file.Files;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;

/** Durability under failure: Kafka down, a scanner killed under load. */
class ResilienceE2ETest {
    private final Stack stack = Stack.get();

    @Test
    void withKafkaStoppedDataGets451NeverAnd250AfterItIsBack() throws Exception {
        byte[] msg = Messages.plain("outage@example.net", "user@example.com", "during outage", "hello");
        stack.control("stop", "kafka");
        try {
            try (SmtpClient c = stack.smtp()) {
                SmtpClient.Reply r = c.send("outage@example.net", List.of("user@example.com"), msg);
                assertEquals(451, r.code(), "with Kafka down the edge must not accept: " + r);
                assertTrue(r.text().contains("4.3.0"), r.text());
            }
        } finally {
            stack.control("start", "kafka");
        }
        // Once Kafka is back the next message is accepted (the producer may need a moment to reconnect) ...
        String[] id = new String[1];
        Awaitility.await().atMost(Duration.ofSeconds(90)).pollInterval(Duration.ofSeconds(2)).until(() -> {
            try (SmtpClient c = stack.smtp()) {
                SmtpClient.Reply r = c.send("outage@example.net", List.of("user@example.com"),
                        Messages.plain("outage@example.net", "user@example.com", "after outage", "hello again"));
                assertTrue(r.code() != 250 || r.queueId() != null, "250 without a queue id: " + r);
                if (r.code() == 250) {
                    id[0] = r.queueId();
                    return true;
                }
                assertEquals(451, r.code(), "only 451 is acceptable while Kafka recovers: " + r);
                return false;
            }
        });
        // ... and delivered.
        Awaitility.await().atMost(Duration.ofSeconds(120)).pollInterval(Duration.ofMillis(500))
                .until(() -> Files.exists(stack.sinkFile(id[0])));
    }

    @Test
    void scannerKilledUnderLoadLosesNothing() throws Exception {
        int total = 300;
        int connections = 4;
        Set<String> accepted = ConcurrentHashMap.newKeySet();
        AtomicInteger next = new AtomicInteger();
        ExecutorService pool = Executors.newFixedThreadPool(connections);
        try {
            List<Future<?>> senders = new java.util.ArrayList<>();
            for (int c = 0; c < connections; c++) {
                senders.add(pool.submit(() -> {
                    try (SmtpClient client = stack.smtp()) {
                        int i;
                        while ((i = next.getAndIncrement()) < total) {
                            SmtpClient.Reply r = client.send("load@example.net", List.of("user@example.com"),
                                    Messages.ofSize("load@example.net", "user@example.com", "load " + i, 4096));
                            if (r.code() == 250) {
                                accepted.add(r.queueId());
                            }
                        }
                    }
                    return null;
                }));
            }
            Awaitility.await().atMost(Duration.ofSeconds(60)).until(() -> accepted.size() >= total / 5);
            stack.control("kill", "scanner-service");
            Thread.sleep(2000);
            stack.control("start", "scanner-service");
            for (Future<?> f : senders) {
                f.get(5, TimeUnit.MINUTES);
            }
        } finally {
            pool.shutdownNow();
        }
        assertTrue(accepted.size() >= total * 9 / 10, "most messages should be accepted: " + accepted.size());
        // Every message that got 250 is delivered (they are clean): nothing lost.
        Awaitility.await().atMost(Duration.ofSeconds(240)).pollInterval(Duration.ofSeconds(1)).untilAsserted(() -> {
            List<String> missing = accepted.stream().filter(id -> !Files.exists(stack.sinkFile(id))).sorted().toList();
            assertEquals(List.of(), missing.size() > 20 ? missing.subList(0, 20) : missing,
                    missing.size() + " accepted messages not delivered");
        });
    }
}
