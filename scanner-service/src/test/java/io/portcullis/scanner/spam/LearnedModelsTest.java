package io.portcullis.scanner.spam;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.portcullis.contracts.events.SpamModelUpdated;
import io.portcullis.scanner.engine.BayesEngine;
import io.portcullis.scanner.engine.BayesMessages;
import io.portcullis.spam.LearnedCounts;
import io.portcullis.spam.SpamModel;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class LearnedModelsTest {
    private static SpamModel shipped;

    @BeforeAll
    static void load() {
        shipped = BayesEngine.load(Optional.empty());
    }

    static byte[] newsletter(int i) {
        return ("From: Sailing Club <news@sailing-club.test>\r\nTo: <member@example.com>\r\nSubject: Regatta results "
                + "and free raffle prizes " + i + "\r\nContent-Type: text/plain\r\n\r\nWinners of the regatta raffle: "
                + "claim your free prize at the clubhouse bar. Results, photos and the summer barbecue menu: "
                + "http://sailing-club.test/regatta/" + i + "\r\nLimited places, act now! Click here to unsubscribe from "
                + "this mailing list.\r\n").getBytes(StandardCharsets.US_ASCII);
    }

    @Test
    void updatesApplyStrictlyInSequenceDuplicatesAreIgnoredAndAGapIsRefused() {
        LearnedModels models = new LearnedModels();
        LearnedUpdates t = new LearnedUpdates("default");
        SpamModelUpdated u1 = t.learn("m1", newsletter(1), false);
        SpamModelUpdated u2 = t.learn("m2", newsletter(2), true);
        SpamModelUpdated u3 = t.learn("m3", newsletter(3), false);
        assertEquals(LearnedModels.Applied.APPLIED, models.apply(u1));
        assertEquals(LearnedModels.Applied.GAP, models.apply(u3), "3 does not follow 1");
        assertEquals(1, models.sequence("default"), "a gap changes nothing");
        assertEquals(LearnedModels.Applied.APPLIED, models.apply(u2));
        assertEquals(LearnedModels.Applied.DUPLICATE, models.apply(u2), "redelivery");
        assertEquals(LearnedModels.Applied.DUPLICATE, models.apply(u1));
        assertEquals(LearnedModels.Applied.APPLIED, models.apply(u3));
        LearnedCounts c = models.forTenant("default").counts();
        assertEquals(3, c.sequence());
        assertEquals(1, c.spamMessages());
        assertEquals(2, c.hamMessages());
        assertEquals(LearnedModels.Applied.GAP, new LearnedModels().apply(u2), "a fresh holder cannot start at 2");
    }

    @Test
    void aFetchedSnapshotNeverReplacesANewerSequence() {
        LearnedModels models = new LearnedModels();
        LearnedUpdates t = new LearnedUpdates("default");
        models.apply(t.learn("m1", newsletter(1), false));
        models.apply(t.learn("m2", newsletter(2), false));
        assertFalse(models.replace("default", LearnedCounts.EMPTY.withSequence(1)), "older snapshot kept out");
        assertEquals(2, models.sequence("default"));
        LearnedCounts newer = LearnedCounts.EMPTY.apply(5, 0, 3, List.of());
        assertTrue(models.replace("default", newer));
        assertSame(newer, models.forTenant("default").counts());
    }

    @Test
    void aTenantUsesItsOwnCountsElseTheSharedModelElseNothing() {
        LearnedModels models = new LearnedModels();
        assertNull(models.forTenant("a").modelTenant());
        assertEquals(0, models.forTenant("a").counts().sequence());
        models.apply(new LearnedUpdates("*").learn("m1", newsletter(1), false));
        assertEquals("*", models.forTenant("a").modelTenant());
        models.apply(new LearnedUpdates("a").learn("m2", newsletter(2), true));
        assertEquals("a", models.forTenant("a").modelTenant());
        assertEquals("*", models.forTenant("b").modelTenant());
    }

    @Test
    void twoHoldersFedTheSameUpdatesScoreIdentically() {
        LearnedUpdates t = new LearnedUpdates("default");
        List<SpamModelUpdated> updates = new ArrayList<>();
        for (int i = 0; i < 8; i++) {
            updates.add(t.learn("m" + i, i % 3 == 0 ? BayesMessages.SPAM : newsletter(i), i % 3 == 0));
        }
        updates.add(t.reverse("m1", newsletter(1), false));
        LearnedModels scannerA = new LearnedModels();
        LearnedModels scannerB = new LearnedModels();
        for (SpamModelUpdated u : updates) {
            scannerA.apply(u);
        }
        // B sees every update twice and the first ones again late (at-least-once delivery)
        for (SpamModelUpdated u : updates) {
            scannerB.apply(u);
            scannerB.apply(u);
        }
        updates.subList(0, 3).forEach(scannerB::apply);
        assertEquals(scannerA.forTenant("default").counts(), scannerB.forTenant("default").counts());
        for (byte[] probe : List.of(newsletter(99), BayesMessages.HAM, BayesMessages.SPAM)) {
            assertEquals(shipped.score(probe, scannerA.forTenant("default").counts()).probability(),
                    shipped.score(probe, scannerB.forTenant("default").counts()).probability(), 0.0);
        }
    }
}
