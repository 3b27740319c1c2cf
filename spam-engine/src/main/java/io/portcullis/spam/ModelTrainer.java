package io.portcullis.spam;

import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Builds Robinson-Fisher count tables, one message at a time. Learning is a deterministic count update: the same
 * messages in any order give the same model. Not thread-safe; deduplication by message id is the caller's job.
 */
public final class ModelTrainer {

    private final Tokenizer tokenizer = new Tokenizer();
    private final Map<Long, int[]> counts = new HashMap<>();
    private final BayesParams params;
    private int spamMessages;
    private int hamMessages;

    public ModelTrainer(BayesParams params) {
        this.params = params;
    }

    /** Starts from an existing model's counts (for incremental learning from feedback). */
    public ModelTrainer(SpamModel base) {
        this(base.params());
        long[] k = base.keys();
        for (int i = 0; i < k.length; i++) {
            counts.put(k[i], new int[] {base.spamCounts()[i], base.hamCounts()[i]});
        }
        spamMessages = base.spamMessages();
        hamMessages = base.hamMessages();
    }

    /** Learns one raw message as spam or ham. */
    public void learn(byte[] rawMessage, boolean spam) {
        learnTokens(tokenizer.tokenize(rawMessage), spam);
    }

    /** Learns one message's distinct tokens. */
    public void learnTokens(List<String> tokens, boolean spam) {
        for (String t : tokens) {
            counts.computeIfAbsent(TokenHash.of(t), k -> new int[2])[spam ? 0 : 1]++;
        }
        if (spam) {
            spamMessages++;
        } else {
            hamMessages++;
        }
    }

    /** An immutable model of everything learned so far. */
    public SpamModel build(String trainingSetHash, String created) {
        long[] keys = counts.keySet().stream().mapToLong(Long::longValue).sorted().toArray();
        int[] s = new int[keys.length];
        int[] h = new int[keys.length];
        for (int i = 0; i < keys.length; i++) {
            int[] c = counts.get(keys[i]);
            s[i] = c[0];
            h[i] = c[1];
        }
        return new SpamModel(trainingSetHash, created, spamMessages, hamMessages, params, keys, s, h);
    }
}
