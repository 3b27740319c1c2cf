package io.portcullis.edge.sink;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.Vertx;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Random;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DevelopmentSinkTest {

    private static Vertx vertx;
    @TempDir
    Path dir;
    private DevelopmentSink sink;

    @BeforeAll
    static void vertx() {
        vertx = Vertx.vertx();
    }

    @AfterAll
    static void closeVertx() {
        vertx.close();
    }

    @BeforeEach
    void startSink() {
        sink = new DevelopmentSink(vertx, true, 0, dir, 10 * 1024 * 1024);
        sink.start();
    }

    @AfterEach
    void stopSink() {
        sink.stop();
    }

    /** Sends one message with a plain socket, as a minimal SMTP client; returns the final reply. */
    private String send(String mailFrom, List<String> rcpts, String stuffedData) throws IOException {
        try (Socket socket = new Socket("127.0.0.1", sink.port())) {
            socket.setSoTimeout(10_000);
            BufferedReader in = new BufferedReader(new InputStreamReader(socket.getInputStream(), StandardCharsets.UTF_8));
            OutputStream out = socket.getOutputStream();
            expect(in, "220");
            command(out, "EHLO client.test");
            expect(in, "250");
            command(out, "MAIL FROM:<" + mailFrom + ">");
            expect(in, "250");
            for (String rcpt : rcpts) {
                command(out, "RCPT TO:<" + rcpt + ">");
                expect(in, "250");
            }
            command(out, "DATA");
            expect(in, "354");
            out.write(stuffedData.getBytes(StandardCharsets.ISO_8859_1));
            out.write(".\r\n".getBytes(StandardCharsets.US_ASCII));
            out.flush();
            String reply = expect(in, "250");
            command(out, "QUIT");
            return reply;
        }
    }

    private static void command(OutputStream out, String line) throws IOException {
        out.write((line + "\r\n").getBytes(StandardCharsets.UTF_8));
        out.flush();
    }

    private static String expect(BufferedReader in, String code) throws IOException {
        String line;
        do {
            line = in.readLine();
            if (line == null) {
                throw new IOException("connection closed, expected " + code);
            }
        } while (line.length() > 3 && line.charAt(3) == '-');
        assertTrue(line.startsWith(code), "expected " + code + " but got " + line);
        return line;
    }

    @Test
    void writesTheExactBytesToTheQueueIdFile() throws IOException {
        String message = "X-Portcullis-Queue-Id: 0LZ3K8Q1A000ABCDEF\r\nFrom: a@example.org\r\nTo: x@anywhere.test\r\n"
                + "Subject: hello\r\n\r\nline one\r\n.starts with a dot\r\n\r\nlast line\r\n";
        String stuffed = message.replace("\r\n.starts", "\r\n..starts");

        send("a@example.org", List.of("x@anywhere.test", "y@elsewhere.example"), stuffed);

        Path file = dir.resolve("0LZ3K8Q1A000ABCDEF.eml");
        assertTrue(Files.exists(file));
        assertArrayEquals(message.getBytes(StandardCharsets.ISO_8859_1), Files.readAllBytes(file));
        try (Stream<Path> files = Files.list(dir)) {
            assertEquals(java.util.Set.of(file, dir.resolve("rcpt")), java.util.Set.copyOf(files.toList()),
                    "no temporary files left behind");
        }
        for (String rcpt : List.of("x@anywhere.test", "y@elsewhere.example")) {
            assertArrayEquals(message.getBytes(StandardCharsets.ISO_8859_1),
                    Files.readAllBytes(dir.resolve("rcpt").resolve(rcpt).resolve("0LZ3K8Q1A000ABCDEF.eml")),
                    "each recipient's copy");
        }
    }

    @Test
    void recipientFoldersAreSanitizedAddresses() throws IOException {
        SinkWriter w = new SinkWriter(dir);
        Path main = w.write("X-Portcullis-Queue-Id: Q1\r\n\r\nx\r\n".getBytes(StandardCharsets.US_ASCII), "f");
        List<Path> written = w.writeFor(main, List.of("A/../b@Example.COM", "..", ""));
        assertEquals(List.of(dir.resolve("rcpt").resolve("a_.._b@example.com").resolve("Q1.eml")), written,
                "no path traversal, no empty or dot names");
    }

    @Test
    void keepsALargeBinaryishBodyIntact() throws IOException {
        StringBuilder body = new StringBuilder();
        Random random = new Random(7);
        for (int i = 0; i < 20_000; i++) {
            body.append(Integer.toHexString(random.nextInt())).append(i % 3 == 0 ? "\u00e9" : "").append("\r\n");
        }
        String message = "X-Portcullis-Queue-Id: BIG1\r\nSubject: big\r\n\r\n" + body;

        send("a@example.org", List.of("b@example.com"), message);

        assertArrayEquals(message.getBytes(StandardCharsets.ISO_8859_1), Files.readAllBytes(dir.resolve("BIG1.eml")));
    }

    @Test
    void sanitizesTheQueueIdIntoASafeFileName() throws IOException {
        String message = "X-Portcullis-Queue-Id: ../../etc/pa ss;wd\r\nSubject: x\r\n\r\nbody\r\n";
        send("", List.of("b@example.com"), message);
        assertTrue(Files.exists(dir.resolve("etcpasswd.eml")));
    }

    @Test
    void usesAGeneratedIdWithoutQueueIdHeader() throws IOException {
        String message = "Subject: no id\r\n\r\nbody\r\n";
        send("a@example.org", List.of("b@example.com"), message);
        try (Stream<Path> files = Files.list(dir)) {
            List<Path> all = files.filter(Files::isRegularFile).toList();
            assertEquals(1, all.size());
            assertTrue(all.get(0).getFileName().toString().matches("[A-Za-z0-9_-]+\\.eml"), all.toString());
            assertArrayEquals(message.getBytes(StandardCharsets.US_ASCII), Files.readAllBytes(all.get(0)));
        }
    }

    @Test
    void portIsUnavailableWhenNotRunning() {
        DevelopmentSink stopped = new DevelopmentSink(vertx, false, 0, dir, 1024);
        assertThrows(IllegalStateException.class, stopped::port);
    }

    @Test
    void idOfReadsAFoldedHeaderAndIgnoresTheBody() {
        byte[] folded = "Subject: x\r\nX-Portcullis-Queue-Id:\r\n ABC-1_2\r\n\r\n".getBytes(StandardCharsets.US_ASCII);
        assertEquals("ABC-1_2", SinkWriter.idOf(folded, null));
        byte[] inBody = "Subject: x\r\n\r\nX-Portcullis-Queue-Id: NOPE\r\n".getBytes(StandardCharsets.US_ASCII);
        assertEquals("FALLBACK", SinkWriter.idOf(inBody, "FALLBACK"));
    }

    @Test
    void groupsOfASplitMessageWrittenAtOnceEachKeepTheirOwnCopy() throws Exception {
        SinkWriter w = new SinkWriter(dir);
        int groups = 4;
        int rounds = 60;
        java.util.concurrent.ExecutorService pool = java.util.concurrent.Executors.newFixedThreadPool(groups);
        try {
            for (int round = 0; round < rounds; round++) {
                String id = "SPLIT" + round;
                java.util.concurrent.CountDownLatch start = new java.util.concurrent.CountDownLatch(1);
                List<java.util.concurrent.Future<?>> done = new java.util.ArrayList<>();
                for (int g = 0; g < groups; g++) {
                    int group = g;
                    done.add(pool.submit(() -> {
                        start.await();
                        return w.write(("X-Portcullis-Queue-Id: " + id + "\r\nSubject: group " + group
                                + "\r\n\r\nx\r\n").getBytes(StandardCharsets.US_ASCII), "f",
                                List.of("g" + group + "a@example.com", "g" + group + "b@example.com"));
                    }));
                }
                start.countDown();
                for (java.util.concurrent.Future<?> f : done) {
                    f.get();
                }
                for (int g = 0; g < groups; g++) {
                    for (String who : List.of("a", "b")) {
                        String copy = Files.readString(dir.resolve("rcpt").resolve("g" + g + who + "@example.com")
                                .resolve(id + ".eml"), StandardCharsets.US_ASCII);
                        assertTrue(copy.contains("Subject: group " + g + "\r\n"), "round " + round + " group " + g
                                + who + " got " + copy);
                    }
                }
            }
        } finally {
            pool.shutdownNow();
        }
    }
}
