package io.portcullis.av;

import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.BitSet;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * One streaming scan over a shared {@link SignatureSet}. Feed chunks in order with {@link #update}, then call
 * {@link #finish}. Keeps only an overlap window of about twice the longest bounded pattern span between chunks, plus
 * MD5/SHA-1/SHA-256 state when the set has hashes of that kind. Not thread-safe: one session per thread and object.
 */
public final class ScanSession {
    /** Verification steps allowed per anchor hit (bounds the backtracking over gap ranges). */
    static final int VERIFY_BUDGET = 1 << 16;
    private static final int EOF_CANDIDATES = 64;

    private final SignatureSet set;
    private final AhoCorasick ac;
    private final MessageDigest md5;
    private final MessageDigest sha1;
    private final MessageDigest sha256;
    private byte[] buf = new byte[0];
    private long base;
    private int len;
    private long total;
    private int state;
    private final BitSet matched = new BitSet();
    private final List<Match> matches = new ArrayList<>();
    private final Map<Integer, long[]> multipart = new HashMap<>();
    private final Map<Integer, long[]> eofCandidates = new HashMap<>();
    /** Per logical signature: subsignature match counts, then (last slot) the first match offset. */
    private final Map<Integer, int[]> logicalCounts = new HashMap<>();
    private final Map<Integer, Long> logicalFirst = new HashMap<>();
    private long[] pendEnd = new long[16];
    private int[] pendPart = new int[16];
    private int pendHead;
    private int pendTail;
    private int budget;
    private long abandoned;
    private boolean finished;

    ScanSession(SignatureSet set) {
        this.set = set;
        this.ac = set.automaton;
        this.md5 = set.md5.size() > 0 ? digest("MD5") : null;
        this.sha1 = set.sha1.size() > 0 ? digest("SHA-1") : null;
        this.sha256 = set.sha256.size() > 0 ? digest("SHA-256") : null;
    }

    private static MessageDigest digest(String alg) {
        try {
            return MessageDigest.getInstance(alg);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Scans the next chunk of the object. */
    public void update(byte[] data, int off, int length) {
        if (finished) throw new IllegalStateException("session already finished");
        java.util.Objects.checkFromIndexSize(off, length, data.length);
        if (length == 0) return;
        if (md5 != null) md5.update(data, off, length);
        if (sha1 != null) sha1.update(data, off, length);
        if (sha256 != null) sha256.update(data, off, length);
        total += length;
        if (set.parts.length == 0) return;
        // Drop bytes no pending or future verification can reach.
        long end = base + len;
        long keepFrom = (pendHead < pendTail ? pendEnd[pendHead] : end) - set.maxSpan;
        if (keepFrom > base) {
            int drop = (int) Math.min(len, keepFrom - base);
            System.arraycopy(buf, drop, buf, 0, len - drop);
            len -= drop;
            base += drop;
        }
        if (len + length > buf.length) buf = Arrays.copyOf(buf, Math.max(len + length, buf.length * 2));
        System.arraycopy(data, off, buf, len, length);
        int from = len;
        len += length;
        drain(false); // hits waiting for this chunk first, so new hits of a big chunk need not queue behind them
        runAutomaton(from);
        drain(false);
    }

    private void runAutomaton(int from) {
        final AhoCorasick a = ac;
        final int[] dense = a.dense;
        final int denseStates = a.denseStates;
        final int[] outStart = a.outStart;
        final int[] dict = a.dict;
        final byte[] b = buf;
        int s = state;
        for (int i = from; i < len; i++) {
            byte x = b[i];
            s = s < denseStates ? dense[s << 8 | (x & 0xFF)] : a.next(s, x);
            if (s != 0 && (outStart[s] != outStart[s + 1] || dict[s] >= 0)) {
                long anchorEnd = base + i + 1;
                for (int t = s; t >= 0; t = dict[t]) {
                    for (int o = outStart[t]; o < outStart[t + 1]; o++) hit(a.outIds[o], anchorEnd);
                }
            }
        }
        state = s;
    }

    private void hit(int part, long anchorEnd) {
        if (matched.get(set.partSignature[part])) return;
        if (pendHead == pendTail && anchorEnd + set.parts[part].rightSpan <= base + len) {
            verify(part, anchorEnd);
            return;
        }
        if (pendTail == pendEnd.length) {
            if (pendHead > 0) {
                System.arraycopy(pendEnd, pendHead, pendEnd, 0, pendTail - pendHead);
                System.arraycopy(pendPart, pendHead, pendPart, 0, pendTail - pendHead);
                pendTail -= pendHead;
                pendHead = 0;
            }
            if (pendTail == pendEnd.length) {
                pendEnd = Arrays.copyOf(pendEnd, pendEnd.length * 2);
                pendPart = Arrays.copyOf(pendPart, pendPart.length * 2);
            }
        }
        pendEnd[pendTail] = anchorEnd;
        pendPart[pendTail++] = part;
    }

    private void drain(boolean eof) {
        while (pendHead < pendTail) {
            int part = pendPart[pendHead];
            long anchorEnd = pendEnd[pendHead];
            if (!eof && anchorEnd + set.parts[part].rightSpan > base + len) return;
            pendHead++;
            if (!matched.get(set.partSignature[part])) verify(part, anchorEnd);
        }
        pendHead = 0;
        pendTail = 0;
    }

    private void verify(int partId, long anchorEnd) {
        Part p = set.parts[partId];
        int sig = set.partSignature[partId];
        int k = set.partIndex[partId];
        BodySignature signature = set.bodies[sig];
        long lo = 0;
        long hi = Long.MAX_VALUE;
        long[] mp = null;
        if (k > 0) {
            mp = multipart.get(sig);
            if (mp == null || mp[k - 1] == Long.MAX_VALUE) return;
            lo = mp[k - 1] + signature.pattern().minGapBefore[k];
        } else if (signature.offset().kind() == OffsetSpec.Kind.ABSOLUTE) {
            lo = signature.offset().value();
            hi = lo + signature.offset().shift();
        }
        long segStart = anchorEnd - p.anchorLength - p.anchorOffset;
        Segment a = p.segments[p.anchorSegment];
        budget = VERIFY_BUDGET;
        if (!segMatch(a, segStart)) return;
        long start = left(p, p.anchorSegment, segStart, lo, hi);
        long end = start < 0 ? -1 : right(p, p.anchorSegment, segStart + a.length());
        if (budget < 0) abandoned++;
        if (end < 0) return;
        int parts = signature.pattern().parts.length;
        if (parts > 1) {
            if (mp == null) {
                mp = new long[parts + 1];
                Arrays.fill(mp, Long.MAX_VALUE);
                multipart.put(sig, mp);
            }
            if (end < mp[k]) {
                mp[k] = end;
                if (k == 0) mp[parts] = start;
            }
            if (k < parts - 1) return;
            start = mp[parts];
        }
        if (signature.offset().kind() == OffsetSpec.Kind.FROM_EOF) {
            long[] c = eofCandidates.computeIfAbsent(sig, x -> new long[EOF_CANDIDATES + 1]);
            int n = (int) c[0];
            if (n == EOF_CANDIDATES) {
                System.arraycopy(c, 2, c, 1, n - 1);
                n--;
            }
            c[n + 1] = start;
            c[0] = n + 1;
            return;
        }
        report(sig, start);
    }

    /** Counts of an ldb subsignature stop here (enough for any sensible =N/>N/<N). */
    static final int COUNT_CAP = 1 << 16;

    private void report(int sig, long start) {
        BodySignature s = set.bodies[sig];
        if (s.logical() >= 0) {
            int[] c = logicalCounts.computeIfAbsent(s.logical(), l -> new int[set.logicals[l].subsignatures()]);
            if (++c[s.subsig()] >= COUNT_CAP) matched.set(sig);
            logicalFirst.merge(s.logical(), start, Math::min);
            return;
        }
        matched.set(sig);
        matches.add(new Match(s.name(), set.bodyCategory[sig], s.database(), start));
    }

    private long left(Part p, int seg, long segStart, long lo, long hi) {
        if (seg == 0) return segStart >= lo && segStart <= hi ? segStart : -1;
        Segment prev = p.segments[seg - 1];
        for (int g = p.gapMin[seg - 1]; g <= p.gapMax[seg - 1]; g++) {
            long ps = segStart - g - prev.length();
            if (ps < lo || ps < base || --budget < 0) return -1;
            if (segMatch(prev, ps)) {
                long r = left(p, seg - 1, ps, lo, hi);
                if (r >= 0) return r;
            }
        }
        return -1;
    }

    private long right(Part p, int seg, long segEnd) {
        if (seg == p.segments.length - 1) return segEnd;
        Segment next = p.segments[seg + 1];
        for (int g = p.gapMin[seg]; g <= p.gapMax[seg]; g++) {
            long ns = segEnd + g;
            if (ns + next.length() > base + len || --budget < 0) return -1;
            if (segMatch(next, ns)) {
                long r = right(p, seg + 1, ns + next.length());
                if (r >= 0) return r;
            }
        }
        return -1;
    }

    private boolean segMatch(Segment s, long absStart) {
        if (absStart < base || absStart + s.length() > base + len) return false;
        return s.matches(buf, (int) (absStart - base));
    }

    /** Ends the scan: resolves pending hits, end-of-file offsets and whole-file hashes. Returns matches by offset. */
    public List<Match> finish() {
        if (finished) throw new IllegalStateException("session already finished");
        finished = true;
        drain(true);
        for (Map.Entry<Integer, long[]> e : eofCandidates.entrySet()) {
            int sig = e.getKey();
            OffsetSpec o = set.bodies[sig].offset();
            long want = total - o.value();
            long[] c = e.getValue();
            for (int i = 1; i <= c[0]; i++) {
                if (c[i] >= want && c[i] <= want + o.shift()) {
                    report(sig, c[i]);
                    break;
                }
            }
        }
        for (Map.Entry<Integer, int[]> e : logicalCounts.entrySet()) {
            LogicalSignature l = set.logicals[e.getKey()];
            if (l.expression().eval(e.getValue())) {
                matches.add(new Match(l.name(), ThreatCategory.of(l.name()), l.database(), logicalFirst.get(e.getKey())));
            }
        }
        hashMatch(set.md5, md5);
        hashMatch(set.sha1, sha1);
        hashMatch(set.sha256, sha256);
        buf = new byte[0];
        matches.sort(Comparator.comparingLong(Match::offset).thenComparing(Match::signature));
        return List.copyOf(matches);
    }

    private void hashMatch(HashTable table, MessageDigest digest) {
        if (digest == null) return;
        int id = table.lookup(digest.digest(), total);
        if (id >= 0) {
            String name = set.hashNames.get(id);
            matches.add(new Match(name, ThreatCategory.of(name), set.databases[set.hashDatabase[id]], Match.WHOLE_FILE));
        }
    }

    /**
     * Anchor hits whose verification was abandoned because it exceeded {@link #VERIFY_BUDGET} steps (pathological
     * gap ranges). Non-zero means "could not fully scan": callers must report it as a failure, never as clean.
     */
    public long abandonedVerifications() { return abandoned; }

    /** Bytes scanned so far. */
    public long size() { return total; }
}
