package io.portcullis.spam;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;

/**
 * What was learned from feedback on top of the shipped {@link SpamModel}: per token hash the number of learned spam
 * and ham messages containing it, the learned message counts, and the sequence of the last update applied. Immutable
 * and thread-safe: {@link #apply} returns a new snapshot (copy-on-write), so a holder swaps a reference atomically and
 * concurrent scoring never sees half an update. Counts never go negative: a decrement below zero (an unlearn of
 * something never learned) stops at zero.
 *
 * <p>The same snapshots applied in the same order give equal objects ({@link #equals}) on every node, which is how
 * every scanner ends up with the same model.
 */
public final class LearnedCounts {

    /** Nothing learned, sequence 0. */
    public static final LearnedCounts EMPTY = new LearnedCounts(0, 0, 0, new long[0], new int[0], new int[0]);

    private static final Tokenizer TOKENIZER = new Tokenizer();

    /**
     * Change of one token's counts.
     *
     * @param hash {@link TokenHash} of the token
     * @param spam change of its learned spam count
     * @param ham  change of its learned ham count
     */
    public record TokenDelta(long hash, int spam, int ham) {
    }

    private final long sequence;
    private final int spamMessages;
    private final int hamMessages;
    private final long[] keys;
    private final int[] spamCounts;
    private final int[] hamCounts;

    private LearnedCounts(long sequence, int spamMessages, int hamMessages, long[] keys, int[] spamCounts,
            int[] hamCounts) {
        this.sequence = sequence;
        this.spamMessages = spamMessages;
        this.hamMessages = hamMessages;
        this.keys = keys;
        this.spamCounts = spamCounts;
        this.hamCounts = hamCounts;
    }

    /**
     * A snapshot from stored counts (e.g. fetched whole from policy-service). Entries whose counts are both zero are
     * dropped.
     *
     * @throws IllegalArgumentException if arrays differ in length, a hash repeats, or a count or the sequence is
     *                                  negative
     */
    public static LearnedCounts of(long sequence, int spamMessages, int hamMessages, long[] hashes, int[] spam,
            int[] ham) {
        if (sequence < 0 || spamMessages < 0 || hamMessages < 0) {
            throw new IllegalArgumentException("learned counts: negative sequence or message count");
        }
        if (hashes.length != spam.length || hashes.length != ham.length) {
            throw new IllegalArgumentException("learned counts: token arrays differ in length");
        }
        Integer[] order = new Integer[hashes.length];
        for (int i = 0; i < order.length; i++) {
            order[i] = i;
            if (spam[i] < 0 || ham[i] < 0) {
                throw new IllegalArgumentException("learned counts: negative count for token " + hashes[i]);
            }
        }
        Arrays.sort(order, Comparator.comparingLong(i -> hashes[i]));
        long[] k = new long[hashes.length];
        int[] s = new int[hashes.length];
        int[] h = new int[hashes.length];
        int n = 0;
        for (int j = 0; j < order.length; j++) {
            int i = order[j];
            if (n > 0 && k[n - 1] == hashes[i]) {
                throw new IllegalArgumentException("learned counts: token " + hashes[i] + " appears twice");
            }
            if (spam[i] == 0 && ham[i] == 0) {
                continue;
            }
            k[n] = hashes[i];
            s[n] = spam[i];
            h[n] = ham[i];
            n++;
        }
        return new LearnedCounts(sequence, spamMessages, hamMessages, Arrays.copyOf(k, n), Arrays.copyOf(s, n),
                Arrays.copyOf(h, n));
    }

    /**
     * The distinct token hashes of a raw message, sorted, as learning counts them: the same {@link Tokenizer} as
     * scoring, each distinct token once per message (two tokens with the same hash count once).
     */
    public static long[] tokenHashes(byte[] rawMessage) {
        List<String> tokens = TOKENIZER.tokenize(rawMessage);
        long[] h = new long[tokens.size()];
        for (int i = 0; i < h.length; i++) {
            h[i] = TokenHash.of(tokens.get(i));
        }
        return Arrays.stream(h).sorted().distinct().toArray();
    }

    /** Deltas that learn ({@code +1}) or unlearn ({@code -1}) one message's token hashes under a label. */
    public static List<TokenDelta> deltas(long[] hashes, boolean spam, int sign) {
        if (sign != 1 && sign != -1) {
            throw new IllegalArgumentException("sign must be +1 or -1");
        }
        List<TokenDelta> out = new ArrayList<>(hashes.length);
        for (long h : hashes) {
            out.add(new TokenDelta(h, spam ? sign : 0, spam ? 0 : sign));
        }
        return out;
    }

    /**
     * This snapshot with one update applied (copy-on-write). Deltas for the same hash add up; a count that would go
     * below zero stays at zero.
     *
     * @param newSequence the update's sequence (recorded as is; ordering is the caller's job)
     */
    public LearnedCounts apply(long newSequence, int spamMessagesDelta, int hamMessagesDelta,
            List<TokenDelta> tokens) {
        if (newSequence < 0) {
            throw new IllegalArgumentException("negative sequence");
        }
        TokenDelta[] d = tokens.toArray(new TokenDelta[0]);
        Arrays.sort(d, Comparator.comparingLong(TokenDelta::hash));
        long[] k = new long[keys.length + d.length];
        int[] s = new int[k.length];
        int[] h = new int[k.length];
        int n = 0;
        int i = 0;
        int j = 0;
        while (i < keys.length || j < d.length) {
            long key;
            long sc = 0;
            long hc = 0;
            if (j >= d.length || (i < keys.length && keys[i] < d[j].hash())) {
                key = keys[i];
                sc = spamCounts[i];
                hc = hamCounts[i];
                i++;
            } else {
                key = d[j].hash();
                if (i < keys.length && keys[i] == key) {
                    sc = spamCounts[i];
                    hc = hamCounts[i];
                    i++;
                }
                while (j < d.length && d[j].hash() == key) {
                    sc += d[j].spam();
                    hc += d[j].ham();
                    j++;
                }
            }
            int fs = clamp(sc);
            int fh = clamp(hc);
            if (fs != 0 || fh != 0) {
                k[n] = key;
                s[n] = fs;
                h[n] = fh;
                n++;
            }
        }
        return new LearnedCounts(newSequence, clamp((long) spamMessages + spamMessagesDelta),
                clamp((long) hamMessages + hamMessagesDelta), Arrays.copyOf(k, n), Arrays.copyOf(s, n),
                Arrays.copyOf(h, n));
    }

    private static int clamp(long v) {
        return (int) Math.max(0, Math.min(Integer.MAX_VALUE, v));
    }

    /** The same counts under another sequence (a snapshot fetched whole carries the sequence it was taken at). */
    public LearnedCounts withSequence(long newSequence) {
        return new LearnedCounts(newSequence, spamMessages, hamMessages, keys, spamCounts, hamCounts);
    }

    /** Sequence of the last update in this snapshot (0: none). */
    public long sequence() {
        return sequence;
    }

    public int spamMessages() {
        return spamMessages;
    }

    public int hamMessages() {
        return hamMessages;
    }

    /** Tokens with a non-zero learned count. */
    public int tokenCount() {
        return keys.length;
    }

    public boolean isEmpty() {
        return keys.length == 0 && spamMessages == 0 && hamMessages == 0;
    }

    /** Learned spam count of a token hash (0 when unknown). */
    public int spam(long hash) {
        int i = Arrays.binarySearch(keys, hash);
        return i < 0 ? 0 : spamCounts[i];
    }

    /** Learned ham count of a token hash (0 when unknown). */
    public int ham(long hash) {
        int i = Arrays.binarySearch(keys, hash);
        return i < 0 ? 0 : hamCounts[i];
    }

    /** Token hashes, sorted ascending (a copy). */
    public long[] hashes() {
        return keys.clone();
    }

    /** Spam counts in {@link #hashes()} order (a copy). */
    public int[] spamCounts() {
        return spamCounts.clone();
    }

    /** Ham counts in {@link #hashes()} order (a copy). */
    public int[] hamCounts() {
        return hamCounts.clone();
    }

    /** Index of a hash, or negative (for {@link SpamModel}'s scoring loop, without copies). */
    int indexOf(long hash) {
        return Arrays.binarySearch(keys, hash);
    }

    int spamAt(int i) {
        return spamCounts[i];
    }

    int hamAt(int i) {
        return hamCounts[i];
    }

    /** Equal counts and sequence (so equal scores). */
    @Override
    public boolean equals(Object o) {
        return o instanceof LearnedCounts other && sequence == other.sequence && spamMessages == other.spamMessages
                && hamMessages == other.hamMessages && Arrays.equals(keys, other.keys)
                && Arrays.equals(spamCounts, other.spamCounts) && Arrays.equals(hamCounts, other.hamCounts);
    }

    @Override
    public int hashCode() {
        return Long.hashCode(sequence) * 31 + Arrays.hashCode(keys);
    }

    @Override
    public String toString() {
        return "LearnedCounts[sequence=" + sequence + ", spam=" + spamMessages + ", ham=" + hamMessages + ", tokens="
                + keys.length + "]";
    }
}
