package io.portcullis.spam;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.zip.GZIPInputStream;
import java.util.zip.GZIPOutputStream;

import org.junit.jupiter.api.Test;

class SpamModelTest {

    private static final String[] SPAM_WORDS = {"viagra", "winner", "lottery", "cheap", "pills", "prize", "casino",
        "unsubscribe", "offer", "million"};
    private static final String[] HAM_WORDS = {"meeting", "patch", "kernel", "review", "agenda", "lunch", "build",
        "release", "thanks", "minutes"};

    private static byte[] mail(String subject, String body, String host) {
        return ("From: someone@" + host + "\r\nSubject: " + subject + "\r\nContent-Type: text/html\r\n\r\n<p>" + body
                + "</p><a href=\"http://" + host + "/x\">link</a>\r\n").getBytes(StandardCharsets.UTF_8);
    }

    private static List<byte[]> synthetic(String[] words, String host, int n, int seed) {
        List<byte[]> out = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            StringBuilder b = new StringBuilder();
            for (int k = 0; k < 6; k++) {
                b.append(words[(i * 7 + k * 3 + seed) % words.length]).append(' ');
            }
            out.add(mail(words[(i + seed) % words.length] + " " + i, b + " filler" + i, host));
        }
        return out;
    }

    private static ModelTrainer trained(boolean reversed) {
        List<byte[]> spam = synthetic(SPAM_WORDS, "spam.example", 30, 0);
        List<byte[]> ham = synthetic(HAM_WORDS, "lists.example.org", 30, 1);
        ModelTrainer t = new ModelTrainer(BayesParams.DEFAULT);
        List<Runnable> steps = new ArrayList<>();
        for (int i = 0; i < 30; i++) {
            byte[] s = spam.get(i);
            byte[] h = ham.get(i);
            steps.add(() -> t.learn(s, true));
            steps.add(() -> t.learn(h, false));
        }
        if (reversed) {
            java.util.Collections.reverse(steps);
        }
        steps.forEach(Runnable::run);
        return t;
    }

    private static byte[] bytes(SpamModel m) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        m.write(out);
        return out.toByteArray();
    }

    @Test
    void classifiesTinySyntheticSetAndNamesTheTokens() {
        SpamModel m = trained(false).build("sha256:test", "1970-01-01T00:00:00Z");
        SpamScore spam = m.score(mail("cheap pills", "winner lottery prize casino offer", "spam.example"));
        SpamScore ham = m.score(mail("agenda", "patch review for the kernel build release", "lists.example.org"));
        assertTrue(spam.probability() > 0.9, "spam " + spam);
        assertTrue(ham.probability() < 0.1, "ham " + ham);
        assertTrue(spam.tokens().stream().anyMatch(c -> c.token().equals("lottery") && c.spamProbability() > 0.5),
                spam.tokens().toString());
        assertTrue(spam.tokens().size() <= 10);
        assertTrue(!spam.partial() && !ham.partial());
    }

    @Test
    void messageReadOnlyInPartIsFlaggedPartialNotSilentlyClean() {
        SpamModel m = trained(false).build("h", "d");
        StringBuilder deep = new StringBuilder("Subject: agenda\r\nContent-Type: multipart/mixed; boundary=b0\r\n\r\n");
        for (int i = 0; i < 40; i++) {
            deep.append("--b").append(i).append("\r\nContent-Type: multipart/mixed; boundary=b").append(i + 1)
                    .append("\r\n\r\n");
        }
        assertTrue(m.score(deep.toString().getBytes(StandardCharsets.US_ASCII)).partial());
        byte[] huge = new byte[Tokenizer.MAX_BYTES + 10];
        Arrays.fill(huge, (byte) 'a');
        assertTrue(m.score(huge).partial());
    }

    @Test
    void unknownMailScoresNeutral() {
        SpamModel m = trained(false).build("h", "d");
        assertEquals(0.5, m.score("Subject: zzqx\r\n\r\nqqqq\r\n".getBytes(StandardCharsets.US_ASCII))
                .probability(), 0.2);
    }

    @Test
    void roundTripKeepsHeaderAndScores() throws IOException {
        SpamModel m = trained(false).build("sha256:abc", "2026-11-27T00:00:00Z");
        SpamModel loaded = SpamModel.load(new ByteArrayInputStream(bytes(m)));
        assertEquals("sha256:abc", loaded.trainingSetHash());
        assertEquals("2026-11-27T00:00:00Z", loaded.created());
        assertEquals(30, loaded.spamMessages());
        assertEquals(30, loaded.hamMessages());
        assertEquals(m.tokenCount(), loaded.tokenCount());
        assertEquals(m.params(), loaded.params());
        byte[] probe = mail("cheap kernel", "winner patch lunch offer", "spam.example");
        assertEquals(m.score(probe), loaded.score(probe));
        assertArrayEquals(bytes(m), bytes(loaded));
    }

    @Test
    void twoTrainingsInAnyOrderGiveIdenticalBytes() throws IOException {
        assertArrayEquals(bytes(trained(false).build("h", "d")), bytes(trained(true).build("h", "d")));
    }

    @Test
    void incrementalLearningMovesTheScore() {
        SpamModel base = trained(false).build("h", "d");
        byte[] probe = mail("meeting", "agenda zorgblat quuxly", "lists.example.org");
        ModelTrainer more = new ModelTrainer(base);
        for (int i = 0; i < 20; i++) {
            more.learn(mail("zorgblat " + i, "zorgblat quuxly cheap", "spam.example"), true);
        }
        SpamModel after = more.build("h", "d");
        assertEquals(50, after.spamMessages());
        assertTrue(after.score(probe).probability() > base.score(probe).probability());
    }

    @Test
    void scoringIsThreadSafe() throws Exception {
        SpamModel m = trained(false).build("h", "d");
        List<byte[]> probes = new ArrayList<>(synthetic(SPAM_WORDS, "spam.example", 20, 5));
        probes.addAll(synthetic(HAM_WORDS, "lists.example.org", 20, 6));
        List<SpamScore> expected = probes.stream().map(m::score).toList();
        ExecutorService pool = Executors.newFixedThreadPool(4);
        try {
            List<Future<List<SpamScore>>> fs = new ArrayList<>();
            for (int i = 0; i < 8; i++) {
                fs.add(pool.submit(() -> probes.stream().map(m::score).toList()));
            }
            for (Future<List<SpamScore>> f : fs) {
                assertEquals(expected, f.get());
            }
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void rejectsNonGzipInput() {
        ModelFormatException e = assertThrows(ModelFormatException.class,
                () -> SpamModel.load(new ByteArrayInputStream("hello".getBytes(StandardCharsets.US_ASCII))));
        assertTrue(e.getMessage().contains("not a Portcullis spam model"), e.getMessage());
    }

    @Test
    void rejectsWrongMagic() throws IOException {
        byte[] payload = gunzip(bytes(trained(false).build("h", "d")));
        payload[0] = 'X';
        ModelFormatException e = assertThrows(ModelFormatException.class,
                () -> SpamModel.load(new ByteArrayInputStream(gzip(payload))));
        assertTrue(e.getMessage().contains("bad magic"), e.getMessage());
    }

    @Test
    void rejectsOtherFormatVersion() throws IOException {
        byte[] payload = gunzip(bytes(trained(false).build("h", "d")));
        payload[9] = 99; // low byte of the version int after the 6-byte magic
        ModelFormatException e = assertThrows(ModelFormatException.class,
                () -> SpamModel.load(new ByteArrayInputStream(gzip(payload))));
        assertTrue(e.getMessage().contains("format version 99"), e.getMessage());
    }

    @Test
    void rejectsCorruptedTable() throws IOException {
        byte[] payload = gunzip(bytes(trained(false).build("h", "d")));
        payload[payload.length / 2] ^= 0x55;
        ModelFormatException e = assertThrows(ModelFormatException.class,
                () -> SpamModel.load(new ByteArrayInputStream(gzip(payload))));
        assertTrue(e.getMessage().contains("checksum"), e.getMessage());
    }

    @Test
    void rejectsTruncatedFile() throws IOException {
        byte[] file = bytes(trained(false).build("h", "d"));
        assertThrows(ModelFormatException.class,
                () -> SpamModel.load(new ByteArrayInputStream(Arrays.copyOf(file, file.length / 2))));
        byte[] payload = gunzip(file);
        assertThrows(ModelFormatException.class,
                () -> SpamModel.load(new ByteArrayInputStream(gzip(Arrays.copyOf(payload, payload.length - 20)))));
    }

    @Test
    void chiSquareTailIsAProbability() {
        assertEquals(1.0, SpamModel.chi2Q(0, 10), 1e-12);
        assertEquals(Math.exp(-1), SpamModel.chi2Q(2, 2), 1e-12);
        double tiny = SpamModel.chi2Q(100_000, 300);
        assertTrue(tiny >= 0 && tiny < 1e-100);
    }

    private static byte[] gunzip(byte[] b) throws IOException {
        return new GZIPInputStream(new ByteArrayInputStream(b)).readAllBytes();
    }

    private static byte[] gzip(byte[] b) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (GZIPOutputStream gz = new GZIPOutputStream(out)) {
            gz.write(b);
        }
        return out.toByteArray();
    }
}
