package io.portcullis.systemtests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.portcullis.contracts.events.Action;
import io.portcullis.contracts.events.EventJson;
import io.portcullis.contracts.events.Topics;
import io.portcullis.contracts.events.VerdictIssued;
import io.portcullis.systemtests.support.Messages;
import io.portcullis.systemtests.support.SmtpClient;
import io.portcullis.systemtests.support.Tar;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Random;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.Collectors;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;

/**
 * The pattern file changes while mail is flowing: a bundle is published through policy-service (S3 + Kafka), a second
 * one replaces it, then the first is rolled back to. Every accepted message gets exactly one verdict (none lost),
 * and each verdict's findings agree with the signature version it records: a message is never scanned by a
 * half-loaded or mixed set.
 */
class SignatureUpdateE2ETest {
    private static final Duration PIPELINE = Duration.ofSeconds(120);

    private final Stack stack = Stack.get();
    private final String run = Long.toString(System.currentTimeMillis(), 36);
    private final String signature = "Win.Trojan.PortcullisE2e" + run + "-1";
    private final byte[] payload = new byte[48 * 1024];

    @Test
    void signatureUpdatesAndRollbackUnderFlowingMailLoseNothingAndNeverMixSets() throws Exception {
        new Random(run.hashCode()).nextBytes(payload);
        byte[] detecting = Tar.of(Map.of("e2e.ndb", (signature + ":0:*:"
                + HexFormat.of().formatHex(payload, 20_000, 20_032) + "\n").getBytes(StandardCharsets.US_ASCII)));
        byte[] other = new byte[32];
        new Random(~run.hashCode()).nextBytes(other);
        byte[] notDetecting = Tar.of(Map.of("e2e-other.ndb", ("Win.Trojan.PortcullisE2eOther" + run + "-1:0:*:"
                + HexFormat.of().formatHex(other) + "\n").getBytes(StandardCharsets.US_ASCII)));
        String v1 = "e2e-" + run + "-1";
        String v2 = "e2e-" + run + "-2";

        List<String> sent = new CopyOnWriteArrayList<>();
        AtomicBoolean stop = new AtomicBoolean();
        AtomicReference<Throwable> senderFailure = new AtomicReference<>();
        Thread sender = new Thread(() -> {
            try (SmtpClient c = stack.smtp()) {
                while (!stop.get()) {
                    SmtpClient.Reply r = c.send("sender@example.net", List.of("user@example.com"),
                            Messages.withAttachment("sender@example.net", "user@example.com", "update " + sent.size(),
                                    "data.bin", payload, "application/octet-stream"));
                    if (r.code() != 250 || r.queueId() == null) {
                        throw new IllegalStateException("not accepted: " + r);
                    }
                    sent.add(r.queueId());
                    Thread.sleep(15);
                }
            } catch (Throwable e) {
                senderFailure.set(e);
            }
        }, "e2e-sender");
        sender.start();
        try {
            awaitSent(sent, 25, senderFailure);
            publish(v1, detecting);
            awaitScannerOn(v1);
            awaitSent(sent, sent.size() + 25, senderFailure);
            publish(v2, notDetecting);
            awaitScannerOn(v2);
            awaitSent(sent, sent.size() + 25, senderFailure);
            HttpResponse<String> rollback = stack.post("PORTCULLIS_POLICY_URL",
                    "/api/v1/signatures/" + v1 + "/activate", "application/json", new byte[0]);
            assertEquals(200, rollback.statusCode(), rollback.body());
            awaitScannerOn(v1);
            awaitSent(sent, sent.size() + 25, senderFailure);
        } finally {
            stop.set(true);
            sender.join(30_000);
        }
        assertEquals(null, senderFailure.get(), "the sender kept going while signatures changed");

        Map<String, VerdictIssued> verdicts = verdicts(Set.copyOf(sent));
        assertEquals(sent.size(), verdicts.size(), "every accepted message has a verdict");
        Map<String, Integer> perVersion = new LinkedHashMap<>();
        for (String id : sent) {
            VerdictIssued v = verdicts.get(id);
            String version = v.engineVersions().get("antivirus");
            assertNotNull(version, "verdict " + id + " records the signature version: " + v.engineVersions());
            perVersion.merge(version, 1, Integer::sum);
            boolean detected = v.findings().stream().anyMatch(f -> f.detail() != null
                    && f.detail().startsWith(signature + " in ") && "AV_TROJAN".equals(f.symbol()));
            if (version.equals(v1)) {
                assertTrue(detected, id + " scanned with " + v1 + " must be detected: " + v.findings());
                assertEquals(Action.QUARANTINE, v.action(), id);
            } else {
                assertTrue(!detected, id + " scanned with " + version + " must not be: " + v.findings());
                // delivered; the spam classifier may tag a message that is only an attachment (TAG delivers too)
                assertTrue(v.action().delivers(), id + " " + v.action() + " " + v.findings());
            }
        }
        assertTrue(perVersion.getOrDefault(v1, 0) >= 25, "messages scanned with " + v1 + ": " + perVersion);
        assertTrue(perVersion.getOrDefault(v2, 0) >= 1, "messages scanned with " + v2 + ": " + perVersion);
        assertTrue(perVersion.keySet().stream().anyMatch(k -> !k.equals(v1) && !k.equals(v2)),
                "messages scanned before the first bundle: " + perVersion);
        System.out.println("signature update e2e: " + sent.size() + " messages, verdicts per version " + perVersion);
    }

    private void publish(String version, byte[] tar) {
        HttpResponse<String> r = stack.post("PORTCULLIS_POLICY_URL", "/api/v1/signatures?version=" + version,
                "application/x-tar", tar);
        assertEquals(201, r.statusCode(), r.body());
    }

    private void awaitScannerOn(String version) {
        Awaitility.await().atMost(PIPELINE).pollInterval(Duration.ofMillis(200)).until(() -> {
            JsonNode status = stack.getJson("PORTCULLIS_SCANNER_URL", "/api/v1/signatures/status");
            return status != null && version.equals(status.path("version").asText());
        });
    }

    private static void awaitSent(List<String> sent, int count, AtomicReference<Throwable> failure) {
        Awaitility.await().atMost(PIPELINE).pollInterval(Duration.ofMillis(50))
                .until(() -> failure.get() != null || sent.size() >= count);
        assertEquals(null, failure.get(), "sender failed");
    }

    private Map<String, VerdictIssued> verdicts(Set<String> ids) {
        Properties p = new Properties();
        p.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, stack.value("KAFKA_BOOTSTRAP_SERVERS"));
        p.put(ConsumerConfig.GROUP_ID_CONFIG, "e2e-signature-update-" + UUID.randomUUID());
        p.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        p.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
        Map<String, VerdictIssued> found = new ConcurrentHashMap<>();
        Map<String, Integer> duplicates = new HashMap<>();
        try (KafkaConsumer<String, byte[]> consumer = new KafkaConsumer<>(p, new StringDeserializer(),
                new ByteArrayDeserializer())) {
            consumer.subscribe(List.of(Topics.MAIL_VERDICT));
            long deadline = System.nanoTime() + PIPELINE.toNanos();
            while (found.size() < ids.size() && System.nanoTime() < deadline) {
                for (ConsumerRecord<String, byte[]> r : consumer.poll(Duration.ofMillis(500))) {
                    VerdictIssued v = EventJson.read(r.value(), VerdictIssued.class);
                    if (ids.contains(v.messageId()) && found.put(v.messageId(), v) != null) {
                        duplicates.merge(v.messageId(), 1, Integer::sum);
                    }
                }
            }
        }
        List<String> missing = new ArrayList<>(ids);
        missing.removeAll(found.keySet());
        assertEquals(List.of(), missing, "messages without a verdict");
        System.out.println("signature update e2e: redelivered verdicts (at-least-once, same message scanned again): "
                + duplicates.entrySet().stream().map(e -> e.getKey() + "×" + e.getValue())
                        .collect(Collectors.joining(", ")));
        return found;
    }
}
