package io.portcullis.scanner.spam;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.portcullis.contracts.scan.EngineResult;
import io.portcullis.contracts.scan.ScanInput;
import io.portcullis.contracts.scan.ScanItem;
import io.portcullis.scanner.engine.BayesEngine;
import io.portcullis.spam.SpamModel;
import java.util.List;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The Bayes engine over the shipped model plus learned counts, as a scanner runs it. */
class BayesLearningTest {
    private static final Pattern P = Pattern.compile("p=([0-9.]+)");
    private static SpamModel shipped;

    @BeforeAll
    static void load() {
        shipped = BayesEngine.load(Optional.empty());
    }

    private static double probability(EngineResult r) {
        Matcher m = P.matcher(r.findings().get(0).detail());
        assertTrue(m.find(), r.toString());
        return Double.parseDouble(m.group(1));
    }

    private static EngineResult scan(BayesEngine engine, String tenant, byte[] raw) {
        return engine.scan(new ScanInput("probe-" + tenant, tenant, null, List.of(new ScanItem("raw", null, null, 0,
                raw))));
    }

    @Test
    void releasingMessagesChangesTheScoreOfSimilarMailOnEveryScannerAndOnlyForThatTenant() {
        LearnedModels scanner1 = new LearnedModels();
        LearnedModels scanner2 = new LearnedModels();
        BayesEngine engine1 = new BayesEngine(shipped, scanner1);
        BayesEngine engine2 = new BayesEngine(shipped, scanner2);
        byte[] similar = LearnedModelsTest.newsletter(42);

        EngineResult before = scan(engine1, "default", similar);
        String model = BayesEngine.versionOf(shipped);
        assertEquals(model + "+0", before.version());

        // five newsletters released from quarantine: the learner publishes five ham updates
        LearnedUpdates learner = new LearnedUpdates("default");
        for (int i = 0; i < 5; i++) {
            var u = learner.learn("released-" + i, LearnedModelsTest.newsletter(i), false);
            scanner1.apply(u);
            scanner2.apply(u);
        }
        EngineResult after1 = scan(engine1, "default", similar);
        EngineResult after2 = scan(engine2, "default", similar);
        assertTrue(probability(before) > 0.5, "the newsletter starts out spammy: " + before);
        assertTrue(probability(after1) < 0.5 && probability(after1) < probability(before) - 0.3,
                "released mail lowers the score of similar mail: " + probability(before) + " -> "
                        + probability(after1));
        System.out.println("bayes before/after releases: " + before.findings().get(0) + " -> "
                + after1.findings().get(0));
        assertTrue(after1.findings().get(0).score() < before.findings().get(0).score());
        assertEquals(model + "+5", after1.version(), "the verdict records the learned sequence used");
        assertEquals(after1, after2, "both scanners give the same result");

        EngineResult otherTenant = scan(engine1, "other", similar);
        assertEquals(probability(before), probability(otherTenant), 0.0);
        assertEquals(model + "+0", otherTenant.version());
    }

    @Test
    void withoutLearningTheVersionIsTheModelAlone() {
        BayesEngine engine = new BayesEngine(shipped, null);
        assertEquals(BayesEngine.versionOf(shipped), scan(engine, "default",
                LearnedModelsTest.newsletter(1)).version());
    }
}
