package io.portcullis.spam;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

class LearnedCountsTest {
    private static final String[] SPAM_WORDS = {"viagra", "winner", "lottery", "cheap", "pills", "prize", "casino",
        "unsubscribe", "offer", "million"};
    private static final String[] HAM_WORDS = {"meeting", "patch", "kernel", "review", "agenda", "lunch", "build",
        "release", "thanks", "minutes"};

    private static byte[] mail(String subject, String body, String host) {
        return ("From: someone@" + host + "\r\nSubject: " + subject + "\r\nContent-Type: text/plain\r\n\r\n" + body
                + "\r\nhttp://" + host + "/x\r\n").getBytes(StandardCharsets.UTF_8);
    }

    private static SpamModel base() {
        ModelTrainer t = new ModelTrainer(BayesParams.DEFAULT);
        for (int i = 0; i < 30; i++) {
            StringBuilder s = new StringBuilder();
            StringBuilder h = new StringBuilder();
            for (int k = 0; k < 6; k++) {
                s.append(SPAM_WORDS[(i * 7 + k * 3) % SPAM_WORDS.length]).append(' ');
                h.append(HAM_WORDS[(i * 7 + k * 3 + 1) % HAM_WORDS.length]).append(' ');
            }
            t.learn(mail("offer " + i, s.toString(), "spam.example"), true);
            t.learn(mail("agenda " + i, h.toString(), "lists.example.org"), false);
        }
        return t.build("sha256:test", "1970-01-01T00:00:00Z");
    }

    /** A newsletter the base model has never seen but whose words lean spammy (prize draw of a ham partner). */
    private static byte[] newsletter(int i) {
        return mail("club prize draw " + i, "winner of the prize draw at the club offer newsletter partner " + i,
                "club.example.net");
    }

    private static LearnedCounts learn(LearnedCounts c, byte[] raw, boolean spam, int sign) {
        return c.apply(c.sequence() + 1, spam ? sign : 0, spam ? 0 : sign,
                LearnedCounts.deltas(LearnedCounts.tokenHashes(raw), spam, sign));
    }

    @Test
    void learningHamLowersTheScoreOfSimilarMail() {
        SpamModel model = base();
        byte[] similar = newsletter(99);
        double before = model.score(similar, LearnedCounts.EMPTY).probability();
        LearnedCounts learned = LearnedCounts.EMPTY;
        for (int i = 0; i < 5; i++) {
            learned = learn(learned, newsletter(i), false, +1);
        }
        double after = model.score(similar, learned).probability();
        assertTrue(before > 0.5, "the newsletter should start spammy: " + before);
        assertTrue(after < before - 0.3, "learning ham must lower the score clearly: " + before + " -> " + after);
        assertEquals(before, model.score(similar).probability(), 1e-12, "empty overlay = the shipped model alone");
    }

    @Test
    void learningSpamRaisesTheScoreOfSimilarMail() {
        SpamModel model = base();
        byte[] similar = mail("agenda quarterly", "meeting review of the quarterly numbers lunch", "corp.example");
        double before = model.score(similar, LearnedCounts.EMPTY).probability();
        LearnedCounts learned = LearnedCounts.EMPTY;
        for (int i = 0; i < 5; i++) {
            learned = learn(learned, mail("agenda quarterly " + i, "meeting review of the quarterly numbers " + i,
                    "corp.example"), true, +1);
        }
        assertTrue(model.score(similar, learned).probability() > before + 0.3,
                before + " -> " + model.score(similar, learned).probability());
    }

    @Test
    void reversalSpamThenHamEqualsHamOnly() {
        byte[] msg = newsletter(1);
        LearnedCounts reversed = learn(LearnedCounts.EMPTY, msg, true, +1);
        reversed = learn(reversed, msg, true, -1);
        reversed = learn(reversed, msg, false, +1);
        LearnedCounts hamOnly = learn(LearnedCounts.EMPTY, msg, false, +1);
        assertEquals(hamOnly.withSequence(3), reversed);
        assertEquals(0, reversed.spamMessages());
        assertEquals(1, reversed.hamMessages());
        SpamModel model = base();
        assertEquals(model.score(newsletter(7), hamOnly).probability(),
                model.score(newsletter(7), reversed).probability(), 0);
    }

    @Test
    void countsNeverGoNegative() {
        byte[] msg = newsletter(1);
        LearnedCounts c = learn(LearnedCounts.EMPTY, msg, true, -1);
        assertEquals(0, c.spamMessages());
        assertEquals(0, c.tokenCount(), "an unlearn of something never learned leaves nothing behind");
        c = learn(c, msg, false, +1);
        c = learn(c, msg, false, -1);
        c = learn(c, msg, false, -1);
        assertEquals(0, c.hamMessages());
        for (long h : LearnedCounts.tokenHashes(msg)) {
            assertEquals(0, c.ham(h));
            assertEquals(0, c.spam(h));
        }
        assertThrows(IllegalArgumentException.class,
                () -> LearnedCounts.of(1, 0, 0, new long[] {1}, new int[] {-1}, new int[] {0}));
        assertThrows(IllegalArgumentException.class,
                () -> LearnedCounts.of(1, -1, 0, new long[0], new int[0], new int[0]));
    }

    @Test
    void deltasForOneHashAddUpAndZeroEntriesDisappear() {
        LearnedCounts c = LearnedCounts.EMPTY.apply(1, 1, 0, List.of(new LearnedCounts.TokenDelta(5, 1, 0),
                new LearnedCounts.TokenDelta(5, 1, 0), new LearnedCounts.TokenDelta(-3, 0, 2)));
        assertEquals(2, c.spam(5));
        assertEquals(2, c.ham(-3));
        assertArrayEquals(new long[] {-3, 5}, c.hashes());
        c = c.apply(2, 0, 0, List.of(new LearnedCounts.TokenDelta(-3, 0, -2)));
        assertArrayEquals(new long[] {5}, c.hashes());
        assertEquals(2, c.sequence());
    }

    @Test
    void snapshotRoundTripsThroughItsArrays() {
        LearnedCounts c = learn(learn(LearnedCounts.EMPTY, newsletter(1), true, +1), newsletter(2), false, +1);
        LearnedCounts copy = LearnedCounts.of(c.sequence(), c.spamMessages(), c.hamMessages(), c.hashes(),
                c.spamCounts(), c.hamCounts());
        assertEquals(c, copy);
        assertNotEquals(c, c.withSequence(9));
        assertThrows(IllegalArgumentException.class,
                () -> LearnedCounts.of(1, 0, 0, new long[] {1, 1}, new int[] {1, 1}, new int[] {0, 0}));
        assertThrows(IllegalArgumentException.class,
                () -> LearnedCounts.of(1, 0, 0, new long[] {1}, new int[] {1, 1}, new int[] {0}));
    }

    @Test
    void sameUpdatesInAnyDeliveryGiveEqualSnapshots() {
        List<byte[]> msgs = new ArrayList<>();
        for (int i = 0; i < 10; i++) {
            msgs.add(newsletter(i));
        }
        LearnedCounts a = LearnedCounts.EMPTY;
        LearnedCounts b = LearnedCounts.EMPTY;
        for (int i = 0; i < msgs.size(); i++) {
            a = learn(a, msgs.get(i), i % 3 == 0, +1);
            b = learn(b, msgs.get(i), i % 3 == 0, +1);
        }
        assertEquals(a, b);
        SpamModel model = base();
        assertEquals(model.score(newsletter(50), a).probability(), model.score(newsletter(50), b).probability(), 0);
    }

    @Test
    void tokenHashesAreDistinctSortedAndNeverThrowOnHostileInput() {
        long[] h = LearnedCounts.tokenHashes(mail("prize prize prize", "prize prize prize prize", "a.example"));
        for (int i = 1; i < h.length; i++) {
            assertTrue(h[i - 1] < h[i], "sorted and distinct");
        }
        byte[] garbage = new byte[200_000];
        new Random(4).nextBytes(garbage);
        assertTrue(LearnedCounts.tokenHashes(garbage).length <= Tokenizer.MAX_TOKENS + 8);
        assertTrue(LearnedCounts.tokenHashes(new byte[0]).length >= 0);
    }
}
