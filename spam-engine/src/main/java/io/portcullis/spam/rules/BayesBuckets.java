package io.portcullis.spam.rules;

/**
 * The classifier's contribution to the spam score, as scanner-service's {@code BayesEngine} adds it: the probability
 * falls into a SpamAssassin-style bucket with a fixed score: 0.95 and above alone reaches the default threshold 5.0,
 * 0.8 to 0.95 adds 3.5 to 4.5 and needs more evidence (rules, blocklists, authentication failures), 0.5 or below never
 * adds to the score. The one table of bucket scores: {@code BayesEngine.Bucket} takes its scores from here, and
 * {@code SpamCli eval} and the benchmark use it for "bayes+rules". Chosen by 5-fold cross-validation on the TRAIN
 * files only ({@code ./portcullis spam eval}, docs/spam-rules.md).
 */
public final class BayesBuckets {
    /** Lower bounds, ascending; a bucket applies from its bound (inclusive) up to the next one's. */
    private static final double[] FROM = {0.00, 0.01, 0.20, 0.40, Math.nextUp(0.50), 0.80, 0.90, 0.95, 0.99};
    private static final double[] SCORE = {-1.5, -0.5, 0.0, 0.0, 1.0, 3.5, 4.5, 5.0, 5.5};
    private static final String[] NAME = {"BAYES_00", "BAYES_05", "BAYES_20", "BAYES_40", "BAYES_50", "BAYES_80",
        "BAYES_90", "BAYES_95", "BAYES_99"};

    private BayesBuckets() {
    }

    /** Score of the bucket a probability in [0, 1] falls into. */
    public static double score(double probability) {
        return SCORE[index(probability)];
    }

    /** Symbol of the bucket a probability falls into. */
    public static String name(double probability) {
        return NAME[index(probability)];
    }

    private static int index(double p) {
        for (int i = FROM.length - 1; i > 0; i--) {
            if (p >= FROM[i]) {
                return i;
            }
        }
        return 0;
    }
}
