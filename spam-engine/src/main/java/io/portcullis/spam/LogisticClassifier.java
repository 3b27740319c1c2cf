package io.portcullis.spam;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;

/**
 * Logistic regression on hashed binary token features (2^20 buckets, scaled by 1/sqrt(tokens)), trained by AdaGrad
 * SGD with a fixed seed. Used by {@code eval} as the challenger to Robinson-Fisher.
 */
public final class LogisticClassifier {

    private static final int BITS = 20;
    private static final int MASK = (1 << BITS) - 1;
    private final float[] w = new float[1 << BITS];
    private final float[] g2 = new float[1 << BITS];
    private double bias;

    /** Trains on (tokens, isSpam) pairs; deterministic for a given input order and seed. */
    public static LogisticClassifier train(List<List<String>> docs, List<Boolean> labels, int epochs, long seed) {
        LogisticClassifier c = new LogisticClassifier();
        List<int[]> feats = new ArrayList<>();
        for (List<String> d : docs) {
            feats.add(features(d));
        }
        List<Integer> order = new ArrayList<>();
        for (int i = 0; i < docs.size(); i++) {
            order.add(i);
        }
        Random r = new Random(seed);
        double lr = 0.5;
        double l2 = 1e-6;
        for (int e = 0; e < epochs; e++) {
            Collections.shuffle(order, r);
            for (int i : order) {
                int[] f = feats.get(i);
                double x = f.length == 0 ? 0 : 1 / Math.sqrt(f.length);
                double p = c.prob(f, x);
                double g = p - (labels.get(i) ? 1 : 0);
                for (int k : f) {
                    double gi = g * x + l2 * c.w[k];
                    c.g2[k] += (float) (gi * gi);
                    c.w[k] -= (float) (lr * gi / Math.sqrt(c.g2[k] + 1e-8));
                }
                c.bias -= 0.01 * g;
            }
        }
        return c;
    }

    /** Spam probability of a tokenized message. */
    public double score(List<String> tokens) {
        int[] f = features(tokens);
        return prob(f, f.length == 0 ? 0 : 1 / Math.sqrt(f.length));
    }

    private double prob(int[] f, double x) {
        double z = bias;
        for (int k : f) {
            z += w[k] * x;
        }
        return 1 / (1 + Math.exp(-z));
    }

    private static int[] features(List<String> tokens) {
        return tokens.stream().mapToInt(t -> (int) (TokenHash.of(t) & MASK)).distinct().toArray();
    }
}
