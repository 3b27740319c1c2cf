package io.portcullis.spam;

import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.zip.CRC32;
import java.util.zip.GZIPInputStream;
import java.util.zip.GZIPOutputStream;
import java.util.zip.ZipException;

/**
 * A trained Robinson-Fisher model: per-token-hash message counts (spam, ham), immutable and thread-safe.
 *
 * <p>File format (gzip-compressed): magic {@code PCSPAM}, format version, training-set hash, creation date, message
 * counts, Robinson parameters, the token table sorted by hash, and a CRC32 of everything before it.
 */
public final class SpamModel {

    /** Current file format version. */
    public static final int FORMAT_VERSION = 1;
    private static final byte[] MAGIC = {'P', 'C', 'S', 'P', 'A', 'M'};
    private static final int MAX_ENTRIES = 50_000_000;

    private final String trainingSetHash;
    private final String created;
    private final int spamMessages;
    private final int hamMessages;
    private final BayesParams params;
    private final long[] keys;
    private final int[] spamCounts;
    private final int[] hamCounts;
    /** Open-addressing index over {@link #keys}: position + 1, 0 when empty; a probe is one or two cache lines. */
    private final int[] slots;
    private final Tokenizer tokenizer = new Tokenizer();

    SpamModel(String trainingSetHash, String created, int spamMessages, int hamMessages, BayesParams params,
            long[] keys, int[] spamCounts, int[] hamCounts) {
        this.trainingSetHash = trainingSetHash;
        this.created = created;
        this.spamMessages = spamMessages;
        this.hamMessages = hamMessages;
        this.params = params;
        this.keys = keys;
        this.spamCounts = spamCounts;
        this.hamCounts = hamCounts;
        this.slots = index(keys);
    }

    private static int[] index(long[] keys) {
        int[] slots = new int[Integer.highestOneBit(Math.max(2, keys.length * 2 - 1)) << 1]; // load factor <= 1/2
        int mask = slots.length - 1;
        for (int i = 0; i < keys.length; i++) {
            int s = (int) keys[i] & mask; // token hashes are already mixed (TokenHash)
            while (slots[s] != 0) {
                s = (s + 1) & mask;
            }
            slots[s] = i + 1;
        }
        return slots;
    }

    /** Position of a token hash in {@link #keys}, or -1. */
    private int find(long hash) {
        int mask = slots.length - 1;
        for (int s = (int) hash & mask; slots[s] != 0; s = (s + 1) & mask) {
            if (keys[slots[s] - 1] == hash) {
                return slots[s] - 1;
            }
        }
        return -1;
    }

    /** Scores a raw RFC 822 message. Never throws on malformed mail. */
    public SpamScore score(byte[] rawMessage) {
        return scoreTokens(tokenizer.tokenize(rawMessage));
    }

    /** Scores already tokenized mail (distinct tokens). */
    public SpamScore scoreTokens(List<String> tokens) {
        return scoreTokens(tokens, LearnedCounts.EMPTY);
    }

    /**
     * Scores a raw RFC 822 message on this model's counts plus counts learned from feedback (same Robinson-Fisher
     * math, message totals and token counts added). Thread-safe; never throws on malformed mail.
     */
    public SpamScore score(byte[] rawMessage, LearnedCounts learned) {
        return scoreTokens(tokenizer.tokenize(rawMessage), learned);
    }

    /** Scores already tokenized mail (distinct tokens) on this model's counts plus learned counts. */
    public SpamScore scoreTokens(List<String> tokens, LearnedCounts learned) {
        boolean partial = tokens.stream().anyMatch(Tokenizer.LIMIT_TOKENS::contains);
        int spamTotal = spamMessages + learned.spamMessages();
        int hamTotal = hamMessages + learned.hamMessages();
        List<Scored> used = new ArrayList<>(tokens.size());
        for (String t : tokens) {
            long hash = TokenHash.of(t);
            int i = find(hash);
            int l = learned.isEmpty() ? -1 : learned.indexOf(hash);
            if (i < 0 && l < 0) {
                continue;
            }
            int spam = (i < 0 ? 0 : spamCounts[i]) + (l < 0 ? 0 : learned.spamAt(l));
            int ham = (i < 0 ? 0 : hamCounts[i]) + (l < 0 ? 0 : learned.hamAt(l));
            double f = tokenProbability(spam, ham, spamTotal, hamTotal);
            double dev = Math.abs(f - 0.5);
            if (dev > params.minDev()) {
                used.add(new Scored(t, f, dev));
            }
        }
        used.sort(STRONGEST_FIRST);
        if (used.size() > params.maxTokens()) {
            used = used.subList(0, params.maxTokens());
        }
        if (used.isEmpty()) {
            return new SpamScore(params.x(), params.x() > params.spamCutoff(), List.of(), partial);
        }
        double lnF = 0;
        double lnNotF = 0;
        for (Scored c : used) {
            lnF += Math.log(c.f());
            lnNotF += Math.log(1 - c.f());
        }
        int n = used.size();
        double h = chi2Q(-2 * lnF, 2 * n);
        double s = chi2Q(-2 * lnNotF, 2 * n);
        double p = (1 + h - s) / 2;
        List<SpamScore.Contribution> strongest = new ArrayList<>(Math.min(10, n));
        for (Scored c : used.subList(0, Math.min(10, n))) {
            strongest.add(new SpamScore.Contribution(c.token(), c.f()));
        }
        return new SpamScore(p, p > params.spamCutoff(), strongest, partial);
    }

    /** A token's f(w) and its distance from 0.5, computed once for the sort. */
    private record Scored(String token, double f, double dev) {
    }

    /** Most deviating first; equal deviations by token, so the order (and the floating-point sums) are stable. */
    private static final Comparator<Scored> STRONGEST_FIRST = (a, b) -> {
        int c = Double.compare(b.dev(), a.dev());
        return c != 0 ? c : a.token().compareTo(b.token());
    };

    private double tokenProbability(int spam, int ham, int spamTotal, int hamTotal) {
        double bad = spamTotal == 0 ? 0 : (double) spam / spamTotal;
        double good = hamTotal == 0 ? 0 : (double) ham / hamTotal;
        double pw = bad + good == 0 ? params.x() : bad / (bad + good);
        int n = spam + ham;
        double f = (params.s() * params.x() + n * pw) / (params.s() + n);
        return Math.min(0.9999, Math.max(0.0001, f));
    }

    /** Math.log(i) for small i, the same values computed once. */
    private static final double[] LOG_INT = new double[1024];

    static {
        for (int i = 1; i < LOG_INT.length; i++) {
            LOG_INT[i] = Math.log(i);
        }
    }

    /** Upper tail of the chi-square distribution with even degrees of freedom {@code v}, in log space. */
    static double chi2Q(double x2, int v) {
        double m = x2 / 2;
        if (m <= 0) {
            return 1;
        }
        double lnTerm = -m;
        double lnSum = lnTerm;
        double lnM = Math.log(m);
        for (int i = 1; i < v / 2; i++) {
            lnTerm += lnM - (i < LOG_INT.length ? LOG_INT[i] : Math.log(i));
            double hi = Math.max(lnSum, lnTerm);
            lnSum = hi + Math.log(Math.exp(lnSum - hi) + Math.exp(lnTerm - hi));
        }
        return Math.min(1, Math.exp(lnSum));
    }

    /** The same counts under other Robinson parameters (for tuning). */
    public SpamModel withParams(BayesParams other) {
        return new SpamModel(trainingSetHash, created, spamMessages, hamMessages, other, keys, spamCounts, hamCounts);
    }

    public String trainingSetHash() {
        return trainingSetHash;
    }

    public String created() {
        return created;
    }

    public int spamMessages() {
        return spamMessages;
    }

    public int hamMessages() {
        return hamMessages;
    }

    public int tokenCount() {
        return keys.length;
    }

    public BayesParams params() {
        return params;
    }

    long[] keys() {
        return keys;
    }

    int[] spamCounts() {
        return spamCounts;
    }

    int[] hamCounts() {
        return hamCounts;
    }

    /** Writes the model; same model → same bytes. */
    public void write(OutputStream out) throws IOException {
        ByteArrayOutputStream buf = new ByteArrayOutputStream();
        DataOutputStream d = new DataOutputStream(buf);
        d.write(MAGIC);
        d.writeInt(FORMAT_VERSION);
        d.writeUTF(trainingSetHash);
        d.writeUTF(created);
        d.writeInt(spamMessages);
        d.writeInt(hamMessages);
        d.writeDouble(params.s());
        d.writeDouble(params.x());
        d.writeDouble(params.minDev());
        d.writeInt(params.maxTokens());
        d.writeDouble(params.spamCutoff());
        d.writeInt(keys.length);
        long prev = Long.MIN_VALUE;
        for (int i = 0; i < keys.length; i++) {
            writeVarLong(d, i == 0 ? keys[0] : keys[i] - prev); // delta-coded, sorted
            prev = keys[i];
            writeVarLong(d, spamCounts[i]);
            writeVarLong(d, hamCounts[i]);
        }
        d.flush();
        CRC32 crc = new CRC32();
        crc.update(buf.toByteArray());
        d.writeLong(crc.getValue());
        d.flush();
        GZIPOutputStream gz = new GZIPOutputStream(out);
        buf.writeTo(gz);
        gz.finish();
        gz.flush();
    }

    /**
     * Loads and validates a model file.
     *
     * @throws ModelFormatException if the file is not a model, has another format version, is truncated or corrupt
     */
    public static SpamModel load(InputStream in) throws IOException {
        byte[] payload;
        try {
            payload = new GZIPInputStream(in).readAllBytes();
        } catch (ZipException | EOFException e) {
            throw new ModelFormatException("not a Portcullis spam model (bad or truncated gzip stream): "
                    + e.getMessage());
        }
        if (payload.length < MAGIC.length + 12 || !Arrays.equals(Arrays.copyOf(payload, MAGIC.length), MAGIC)) {
            throw new ModelFormatException("not a Portcullis spam model (bad magic)");
        }
        CRC32 crc = new CRC32();
        crc.update(payload, 0, payload.length - 8);
        DataInputStream d = new DataInputStream(new java.io.ByteArrayInputStream(payload));
        try {
            d.skipNBytes(MAGIC.length);
            int version = d.readInt();
            if (version != FORMAT_VERSION) {
                throw new ModelFormatException("unsupported spam model format version " + version + " (this build reads "
                        + FORMAT_VERSION + ")");
            }
            long stored = new DataInputStream(new java.io.ByteArrayInputStream(payload, payload.length - 8, 8))
                    .readLong();
            if (stored != crc.getValue()) {
                throw new ModelFormatException("spam model checksum mismatch (corrupt file)");
            }
            String hash = d.readUTF();
            String created = d.readUTF();
            int spam = d.readInt();
            int ham = d.readInt();
            BayesParams params = new BayesParams(d.readDouble(), d.readDouble(), d.readDouble(), d.readInt(),
                    d.readDouble());
            int n = d.readInt();
            if (spam < 0 || ham < 0 || n < 0 || n > MAX_ENTRIES || params.s() <= 0 || params.x() <= 0
                    || params.x() >= 1 || params.maxTokens() <= 0 || params.minDev() < 0 || params.minDev() >= 0.5
                    || !(params.spamCutoff() >= 0 && params.spamCutoff() <= 1)) {
                throw new ModelFormatException("spam model header out of range");
            }
            long[] keys = new long[n];
            int[] sc = new int[n];
            int[] hc = new int[n];
            long prev = 0;
            for (int i = 0; i < n; i++) {
                long k = i == 0 ? readVarLong(d) : prev + readVarLong(d);
                if (i > 0 && k <= prev) {
                    throw new ModelFormatException("spam model token table not sorted at entry " + i);
                }
                keys[i] = k;
                prev = k;
                long s = readVarLong(d);
                long h = readVarLong(d);
                if (s < 0 || h < 0 || s > spam || h > ham) {
                    throw new ModelFormatException("spam model count out of range at entry " + i);
                }
                sc[i] = (int) s;
                hc[i] = (int) h;
            }
            if (d.available() != 8) {
                throw new ModelFormatException("spam model has trailing or missing bytes");
            }
            return new SpamModel(hash, created, spam, ham, params, keys, sc, hc);
        } catch (EOFException e) {
            throw new ModelFormatException("spam model truncated");
        }
    }

    private static void writeVarLong(DataOutputStream d, long v) throws IOException {
        while ((v & ~0x7FL) != 0) {
            d.writeByte((int) ((v & 0x7F) | 0x80));
            v >>>= 7;
        }
        d.writeByte((int) v);
    }

    private static long readVarLong(DataInputStream d) throws IOException {
        long v = 0;
        for (int shift = 0; shift < 64; shift += 7) {
            int b = d.readUnsignedByte();
            v |= (long) (b & 0x7F) << shift;
            if ((b & 0x80) == 0) {
                return v;
            }
        }
        throw new ModelFormatException("spam model has a malformed number");
    }
}
