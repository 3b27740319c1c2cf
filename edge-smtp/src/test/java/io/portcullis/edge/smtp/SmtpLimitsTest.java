package io.portcullis.edge.smtp;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.portcullis.edge.smtp.SmtpTestClient.Reply;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** Connection limits, timeouts and hostile input. */
class SmtpLimitsTest {

    @Test
    void perIpConnectionLimitGets421AtConnect() throws Exception {
        try (ServerHarness harness = ServerHarness.start(ServerHarness.testLimits().withConnections(2, 100))) {
            SmtpTestClient first = harness.connect();
            SmtpTestClient second = harness.connect();
            try (SmtpTestClient third = new SmtpTestClient(harness.server.actualPort())) {
                Reply reply = third.reply();
                assertEquals(421, reply.code());
                assertTrue(reply.lines().get(0).startsWith("421 4.7.0 "));
                assertTrue(third.closedByServer());
            }
            first.command("QUIT");
            first.close();
            await().atMost(Duration.ofSeconds(5)).until(() -> harness.server.connectionCount() == 1);
            try (SmtpTestClient again = harness.connect()) {
                assertEquals(250, again.command("EHLO c").code());
            }
            second.close();
        }
    }

    @Test
    void totalConnectionLimitGets421AtConnect() throws Exception {
        try (ServerHarness harness = ServerHarness.start(ServerHarness.testLimits().withConnections(10, 1))) {
            try (SmtpTestClient first = harness.connect();
                    SmtpTestClient second = new SmtpTestClient(harness.server.actualPort())) {
                assertEquals(421, second.reply().code());
                assertEquals(250, first.command("NOOP").code());
            }
        }
    }

    @Test
    void commandTimeoutGives421AndCloses() throws Exception {
        try (ServerHarness harness = ServerHarness.start(ServerHarness.testLimits()
                .withTimeouts(Duration.ofMillis(300), Duration.ofSeconds(10)))) {
            try (SmtpTestClient c = harness.connect()) {
                c.command("EHLO c");
                c.send("MAIL FROM:<a@remote"); // a partial line does not keep the session alive
                Reply reply = c.reply();
                assertEquals(421, reply.code());
                assertTrue(reply.lines().get(0).startsWith("421 4.4.2 "));
                assertTrue(c.closedByServer());
            }
            await().atMost(Duration.ofSeconds(5)).until(() -> harness.server.connectionCount() == 0);
        }
    }

    @Test
    void dataTimeoutGives421AndNothingIsQueued() throws Exception {
        try (ServerHarness harness = ServerHarness.start(ServerHarness.testLimits()
                .withTimeouts(Duration.ofSeconds(10), Duration.ofMillis(300)))) {
            try (SmtpTestClient c = harness.connect()) {
                c.command("EHLO c");
                c.command("MAIL FROM:<a@remote.test>");
                c.command("RCPT TO:<u@example.com>");
                c.command("DATA");
                c.send("Subject: partial\r\n");
                assertEquals(421, c.reply().code());
                assertTrue(c.closedByServer());
            }
            assertTrue(harness.sink.messages.isEmpty());
        }
    }

    @Test
    void randomBinaryGarbageGets500sAndNeverCrashesTheServer() throws Exception {
        try (ServerHarness harness = ServerHarness.start()) {
            Random random = new Random(42);
            for (int round = 0; round < 5; round++) {
                try (SmtpTestClient c = harness.connect()) {
                    byte[] garbage = new byte[64 * 1024];
                    random.nextBytes(garbage);
                    c.sendRaw(garbage);
                    List<Integer> codes = new ArrayList<>();
                    try {
                        while (true) {
                            codes.add(c.reply().code());
                        }
                    } catch (java.io.IOException closed) {
                        // the server closes after too many errors
                    }
                    assertTrue(codes.size() >= 2, "got replies: " + codes);
                    assertEquals(421, codes.get(codes.size() - 1), codes.toString());
                    assertTrue(codes.subList(0, codes.size() - 1).stream().allMatch(code -> code == 500),
                            codes.toString());
                } catch (java.net.SocketException reset) {
                    // the server may close while we are still writing garbage: fine
                }
            }
            try (SmtpTestClient c = harness.connect()) {
                assertEquals(250, c.command("EHLO still.alive").code());
            }
            await().atMost(Duration.ofSeconds(5)).until(() -> harness.server.connectionCount() == 0);
            assertTrue(harness.sink.messages.isEmpty());
        }
    }

    @Test
    void hugeLineWithoutEndIsDiscardedAndAnswered() throws Exception {
        try (ServerHarness harness = ServerHarness.start()) {
            try (SmtpTestClient c = harness.connect()) {
                byte[] chunk = new byte[64 * 1024];
                java.util.Arrays.fill(chunk, (byte) 'A');
                for (int i = 0; i < 64; i++) { // 4 MiB without a line end
                    c.sendRaw(chunk);
                }
                assertEquals(500, c.command("").code());
                assertEquals(250, c.command("EHLO c").code());
            }
        }
    }
}
