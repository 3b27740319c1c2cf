package io.portcullis.systemtests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.portcullis.systemtests.support.Messages;
import io.portcullis.systemtests.support.SmtpClient;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;

/**
 * The IP Profiler on the real stack, on two edge nodes: verdicts and refused recipients flow through Kafka into the
 * Kafka Streams profiler in policy-service, its block list comes back over the compacted topic to both edges.
 * Clients claim TEST-NET addresses through the edges' PROXY-protocol listeners (loopback is exempt from profiling).
 * The test stack runs the profiler with small numbers: spam 3 in 10 minutes blocks for 15 s (421 at connect),
 * harvest 5 refused recipients in 10 minutes blocks for 15 s (550 at RCPT).
 */
class IpProfilerE2ETest {
    private static final Duration BLOCK_SEEN = Duration.ofSeconds(90);

    private final Stack stack = Stack.get();
    private final int edge1 = Integer.parseInt(stack.value("PORTCULLIS_SMTP_PROXY_PORT"));
    private final int edge2 = Integer.parseInt(stack.value("PORTCULLIS_SMTP_PROXY_PORT_2"));

    private static String testNetAddress() {
        return "198.51.100." + ThreadLocalRandom.current().nextInt(1, 255);
    }

    private static SmtpClient connectAs(String ip, int port) throws Exception {
        SmtpClient c = new SmtpClient("127.0.0.1", port, 10_000);
        c.writeRaw(("PROXY TCP4 " + ip + " 127.0.0.1 40000 25\r\n").getBytes(StandardCharsets.US_ASCII));
        return c;
    }

    /** The greeting the address gets on that edge (220, or 421 when blocked). */
    private static SmtpClient.Reply greeting(String ip, int port) throws Exception {
        try (SmtpClient c = connectAs(ip, port)) {
            return c.greeting();
        }
    }

    /** The reply to RCPT for a local recipient (250, or 550 when blocked). */
    private static SmtpClient.Reply rcpt(String ip, int port) throws Exception {
        try (SmtpClient c = connectAs(ip, port)) {
            assertEquals(220, c.greeting().code());
            assertEquals(250, c.command("EHLO harvest.test").code());
            assertEquals(250, c.command("MAIL FROM:<a@remote.test>").code());
            return c.command("RCPT TO:<user@example.com>");
        }
    }

    private void sendGtube(String ip, int port) throws Exception {
        try (SmtpClient c = connectAs(ip, port)) {
            assertEquals(220, c.greeting().code());
            assertEquals(250, c.command("EHLO spammer.test").code());
            SmtpClient.Reply r = c.send("offers@spammer.test", List.of("user@example.com"),
                    Messages.plain("offers@spammer.test", "user@example.com", "cheap", Messages.GTUBE));
            assertEquals(250, r.code(), r.text());
        }
    }

    private boolean listed(String ip) {
        JsonNode blocks = stack.getJson("PORTCULLIS_POLICY_URL", "/api/v1/ip-profiler/blocks");
        for (JsonNode b : blocks.path("blocks").isArray() ? blocks.path("blocks") : blocks) {
            if (ip.equals(b.path("ip").asText())) {
                return true;
            }
        }
        return false;
    }

    @Test
    void spamFromOneAddressBlocksItOnBothEdgesUntilTheBlockEnds() throws Exception {
        String ip = testNetAddress();
        assertEquals(220, greeting(ip, edge1).code());
        sendGtube(ip, edge1);
        sendGtube(ip, edge2);
        sendGtube(ip, edge1);
        Awaitility.await().atMost(BLOCK_SEEN).pollInterval(Duration.ofMillis(500))
                .until(() -> greeting(ip, edge1).code() == 421 && greeting(ip, edge2).code() == 421);
        SmtpClient.Reply refused = greeting(ip, edge2);
        assertEquals(421, refused.code());
        assertTrue(refused.text().toLowerCase().contains("spam"), "the reason is given: " + refused);
        assertTrue(listed(ip), "policy-service lists the block");
        assertEquals(220, greeting(testNetAddress().replace("198.51.100.", "203.0.113."), edge1).code(),
                "other addresses are let in");
        // lets it in again after the block duration (15 s on the test stack)
        Awaitility.await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofSeconds(1))
                .until(() -> greeting(ip, edge1).code() == 220 && greeting(ip, edge2).code() == 220);
    }

    @Test
    void directoryHarvestIsRefusedAtRcptOnBothEdgesUntilAnAdminUnblocks() throws Exception {
        String ip = testNetAddress().replace("198.51.100.", "192.0.2.");
        try (SmtpClient c = connectAs(ip, edge2)) {
            assertEquals(220, c.greeting().code());
            assertEquals(250, c.command("EHLO harvest.test").code());
            assertEquals(250, c.command("MAIL FROM:<a@remote.test>").code());
            for (int i = 0; i < 6; i++) {
                assertEquals(550, c.command("RCPT TO:<guess" + i + "@not-ours.test>").code());
            }
        }
        Awaitility.await().atMost(BLOCK_SEEN).pollInterval(Duration.ofMillis(500))
                .until(() -> rcpt(ip, edge1).code() == 550 && rcpt(ip, edge2).code() == 550);
        SmtpClient.Reply blocked = rcpt(ip, edge1);
        assertTrue(blocked.text().startsWith("5.7.1") || blocked.text().contains("5.7.1"), blocked.toString());
        HttpResponse<String> r = stack.post("PORTCULLIS_POLICY_URL", "/api/v1/ip-profiler/blocks/" + ip + "/unblock",
                "application/json", "{}".getBytes(StandardCharsets.UTF_8));
        assertTrue(r.statusCode() / 100 == 2, r.statusCode() + " " + r.body());
        Awaitility.await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(500))
                .until(() -> rcpt(ip, edge1).code() == 250 && rcpt(ip, edge2).code() == 250);
        assertFalse(listed(ip));
    }

    @Test
    void anAllowListedAddressIsNeverBlocked() throws Exception {
        String ip = testNetAddress().replace("198.51.100.", "203.0.113.");
        HttpResponse<String> r = stack.post("PORTCULLIS_POLICY_URL", "/api/v1/ip-profiler/allow", "application/json",
                ("{\"ip\":\"" + ip + "\",\"note\":\"partner relay\"}").getBytes(StandardCharsets.UTF_8));
        assertTrue(r.statusCode() / 100 == 2, r.statusCode() + " " + r.body());
        Awaitility.await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(500))
                .until(() -> stack.getJson("PORTCULLIS_POLICY_URL", "/api/v1/ip-profiler/allow").toString()
                        .contains(ip));
        for (int i = 0; i < 4; i++) {
            sendGtube(ip, i % 2 == 0 ? edge1 : edge2);
        }
        // a blocked neighbour sent at the same time shows the profiler has seen these verdicts
        String witness = testNetAddress().replace("198.51.100.", "203.0.113.");
        if (!witness.equals(ip)) {
            for (int i = 0; i < 3; i++) {
                sendGtube(witness, edge1);
            }
            Awaitility.await().atMost(BLOCK_SEEN).pollInterval(Duration.ofMillis(500))
                    .until(() -> greeting(witness, edge1).code() == 421);
        }
        // the two addresses' verdicts may sit on different partitions: allow the profiler a few more seconds
        Thread.sleep(5000);
        assertEquals(220, greeting(ip, edge1).code());
        assertEquals(220, greeting(ip, edge2).code());
        assertFalse(listed(ip));
    }
}
