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
 * {@link #finish}, or give the whole object to {@link #scanAll}. Keeps only an overlap window of about the longest
 * bounded pattern span between chunks, plus MD5/SHA-1/SHA-256 state while the object's size can still match a hash
 * entry of that kind. Not thread-safe: one session per thread and object.
 */
public final class ScanSession {
    /** Verification steps allowed per anchor hit (bounds the backtracking over gap ranges). */
    static final int VERIFY_BUDGET = 1 << 16;
    private static final int EOF_CANDIDATES = 64;
    /** Positions per block when candidates of 4-byte and 2-byte keys are merged into position order. */
    private static final int BLOCK = 1 << 14;

    private final SignatureSet set;
    private final AnchorIndex index;
    private final long expectedSize;
    private MessageDigest md5;
    private MessageDigest sha1;
    private MessageDigest sha256;
    private byte[] buf = new byte[0];
    private long base;
    private int len;
    private long total;
    /** Absolute position of the next key window not yet looked at. */
    private long scanned;
    private long[] cands = new long[64];
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
    /** Type and executable headers of the object; null until the first {@link ExeInfo#PREFIX} bytes (or all) are in. */
    private ExeInfo exe;
    /** Per PE section whose size can match a section hash: the section and its running digests (MD5, SHA-1, SHA-256). */
    private int[] hashedSection = new int[0];
    private MessageDigest[][] sectionDigests = new MessageDigest[0][];

    ScanSession(SignatureSet set, long expectedSize) {
        this.set = set;
        this.index = set.index;
        this.expectedSize = expectedSize;
        // A digest is computed only while the object's size can still match an entry of that kind.
        this.md5 = wanted(set.md5, expectedSize) ? digest("MD5") : null;
        this.sha1 = wanted(set.sha1, expectedSize) ? digest("SHA-1") : null;
        this.sha256 = wanted(set.sha256, expectedSize) ? digest("SHA-256") : null;
        if (!set.needsExeInfo) exe = ExeInfo.NONE;
    }

    private static boolean wanted(HashTable t, long expectedSize) {
        return expectedSize < 0 ? t.size() > 0 : t.mayMatch(expectedSize);
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
        if (expectedSize >= 0 && total + length > expectedSize) {
            throw new IllegalStateException("more bytes than the declared size " + expectedSize);
        }
        digests(data, off, length);
        total += length;
        if (exe == null) {
            // collect the prefix first: the object's type and headers decide which signatures and offsets apply
            if (len + length > buf.length) buf = Arrays.copyOf(buf, Math.max(len + length, Math.min(ExeInfo.PREFIX + length, buf.length * 2 + 4096)));
            System.arraycopy(data, off, buf, len, length);
            len += length;
            if (total < ExeInfo.PREFIX) return;
            startScanning();
            if (set.parts.length == 0) {
                buf = new byte[0];
                base = total;
                len = 0;
            }
            return;
        }
        if (hashedSection.length > 0) feedSections(data, off, length, total - length);
        if (set.parts.length == 0) return;
        // Drop bytes no pending or future verification can reach.
        long keepFrom = Math.min(pendHead < pendTail ? pendEnd[pendHead] : Long.MAX_VALUE, scanned) - set.maxSpan;
        if (keepFrom > base) {
            int drop = (int) Math.min(len, keepFrom - base);
            System.arraycopy(buf, drop, buf, 0, len - drop);
            len -= drop;
            base += drop;
        }
        if (len + length > buf.length) buf = Arrays.copyOf(buf, Math.max(len + length, buf.length * 2));
        System.arraycopy(data, off, buf, len, length);
        len += length;
        drain(false); // hits waiting for this chunk first, so new hits of a big chunk need not queue behind them
        scanKeys(len - 3, len - 3);
        drain(false);
    }

    /**
     * Scans a whole object given at once and finishes the session (the fast path: no copy of the bytes, digests only
     * when the size matches a hash entry). Only on a fresh session.
     */
    public List<Match> scanAll(byte[] data) {
        if (finished) throw new IllegalStateException("session already finished");
        if (total > 0) throw new IllegalStateException("scanAll needs a fresh session");
        if (expectedSize >= 0 && data.length != expectedSize) {
            throw new IllegalStateException("declared size " + expectedSize + ", got " + data.length + " bytes");
        }
        if (md5 != null && !set.md5.mayMatch(data.length)) md5 = null;
        if (sha1 != null && !set.sha1.mayMatch(data.length)) sha1 = null;
        if (sha256 != null && !set.sha256.mayMatch(data.length)) sha256 = null;
        digests(data, 0, data.length);
        total = data.length;
        buf = data; // read only: the session never writes into buf without copying first, and finishes below
        len = data.length;
        if (exe == null) startScanning();
        else if (set.parts.length > 0) scanKeys(len - 3, len - 3);
        return finish();
    }

    /** The prefix is in buf[0, len) (nothing dropped yet): parse it, rule out signatures of other types, scan it. */
    private void startScanning() {
        exe = ExeInfo.parse(buf, Math.min(len, ExeInfo.PREFIX));
        for (int t = 1; t < set.sigsWithTarget.length; t++) {
            if (set.sigsWithTarget[t] != null && !exe.is(t) && knownTarget(t)) matched.or(set.sigsWithTarget[t]);
        }
        if (exe.sections() > 0 && set.sectionMd5.size() + set.sectionSha1.size() + set.sectionSha256.size() > 0) {
            int n = 0;
            int[] which = new int[exe.sections()];
            MessageDigest[][] ds = new MessageDigest[exe.sections()][];
            for (int s = 0; s < exe.sections(); s++) {
                long size = exe.sectionSize[s];
                if (size == 0) continue;
                MessageDigest[] d = {
                    set.sectionMd5.mayMatch(size) ? digest("MD5") : null,
                    set.sectionSha1.mayMatch(size) ? digest("SHA-1") : null,
                    set.sectionSha256.mayMatch(size) ? digest("SHA-256") : null};
                if (d[0] == null && d[1] == null && d[2] == null) continue;
                which[n] = s;
                ds[n++] = d;
            }
            hashedSection = Arrays.copyOf(which, n);
            sectionDigests = Arrays.copyOf(ds, n);
            if (n > 0) feedSections(buf, 0, len, base);
        }
        if (set.parts.length > 0) scanKeys(len - 3, len - 3);
        drain(false);
    }

    /** Targets ExeInfo recognises; signatures of others are scanned on every object (a load-report limitation). */
    private static boolean knownTarget(int t) {
        return t <= ExeInfo.TARGET_TEXT || (t >= ExeInfo.TARGET_MACHO && t <= ExeInfo.TARGET_JAVA);
    }

    /** Feeds the part of data (starting at absolute offset abs) that lies inside hashed sections to their digests. */
    private void feedSections(byte[] data, int off, int length, long abs) {
        for (int k = 0; k < hashedSection.length; k++) {
            int s = hashedSection[k];
            long from = Math.max(abs, exe.sectionOffset[s]);
            long to = Math.min(abs + length, exe.sectionOffset[s] + exe.sectionSize[s]);
            if (from >= to) continue;
            for (MessageDigest d : sectionDigests[k]) if (d != null) d.update(data, off + (int) (from - abs), (int) (to - from));
        }
    }

    private void digests(byte[] data, int off, int length) {
        long after = total + length;
        if (md5 != null) {
            if (set.md5.mayMatchAtLeast(after)) md5.update(data, off, length);
            else md5 = null;
        }
        if (sha1 != null) {
            if (set.sha1.mayMatchAtLeast(after)) sha1.update(data, off, length);
            else sha1 = null;
        }
        if (sha256 != null) {
            if (set.sha256.mayMatchAtLeast(after)) sha256.update(data, off, length);
            else sha256 = null;
        }
    }

    /**
     * Looks at key windows from {@link #scanned} up to (exclusive, relative to buf) {@code to4} for 4-byte keys and
     * {@code to2} for 2-byte keys, in blocks whose candidates from several tiers are handled in position order.
     */
    private void scanKeys(int to4, int to2) {
        final AnchorIndex.Tier lt = index.tiers[AnchorIndex.LONG];
        final AnchorIndex.Tier st = index.tiers[AnchorIndex.SHORT];
        final byte[] b = buf;
        int from = (int) (scanned - base);
        int to = Math.max(lt == null ? 0 : to4, st == null ? 0 : to2);
        if (to <= from) return;
        if (st == null) {
            // the common case: every anchor is 7+ bytes; handle hits right away
            final long[] f = lt.filter;
            final int sh = lt.shift;
            for (int i = aligned(from, AnchorIndex.STRIDE); i < to4; i += AnchorIndex.STRIDE) {
                int k = (int) AnchorIndex.INT_LE.get(b, i);
                int h = AnchorIndex.hash4(k, sh);
                if ((f[h >>> 6] & (1L << h)) != 0 && AnchorIndex.mayContain4(f, sh, k)) candidate(lt, k, i);
            }
            scanned = base + to;
            return;
        }
        for (int bs = from; bs < to; bs += BLOCK) {
            int n = 0;
            long[] c = cands;
            if (lt != null) {
                final long[] f = lt.filter;
                final int sh = lt.shift;
                int e4 = Math.min(bs + BLOCK, to4);
                for (int i = aligned(bs, AnchorIndex.STRIDE); i < e4; i += AnchorIndex.STRIDE) {
                    int k = (int) AnchorIndex.INT_LE.get(b, i);
                    int h = AnchorIndex.hash4(k, sh);
                    if ((f[h >>> 6] & (1L << h)) != 0 && AnchorIndex.mayContain4(f, sh, k)) {
                        if (n == c.length) c = cands = Arrays.copyOf(c, n * 2);
                        c[n++] = ((long) i << 1) | AnchorIndex.LONG;
                    }
                }
            }
            int n4 = n;
            final long[] f = st.filter;
            final int stride = st.stride;
            int e2 = Math.min(bs + BLOCK, to2);
            for (int i = aligned(bs, stride); i < e2; i += stride) {
                int k = (short) AnchorIndex.SHORT_LE.get(b, i) & 0xFFFF;
                if ((f[k >>> 6] & (1L << k)) != 0) {
                    if (n == c.length) c = cands = Arrays.copyOf(c, n * 2);
                    c[n++] = ((long) i << 1) | AnchorIndex.SHORT;
                }
            }
            // both runs [0, n4) and [n4, n) are in position order: merge them
            for (int x = 0, y = n4; x < n4 || y < n; ) {
                long v = y >= n || (x < n4 && c[x] < c[y]) ? c[x++] : c[y++];
                int i = (int) (v >>> 1);
                AnchorIndex.Tier t = index.tiers[(int) (v & 1)];
                candidate(t, AnchorIndex.key(b, i, t.width), i);
            }
        }
        scanned = base + to;
    }

    /** First relative position at or after {@code rel} whose absolute offset is a multiple of {@code stride}. */
    private int aligned(int rel, int stride) {
        return rel + (int) Math.floorMod(-(base + rel), (long) stride);
    }

    private void candidate(AnchorIndex.Tier t, int key, int i) {
        long r = t.table.find(key);
        if (r == 0) return;
        for (int e = (int) (r >>> 32), end = (int) r; e < end; e++) {
            int partId = t.entryPart[e];
            if (matched.get(set.partSignature[partId])) continue;
            Part p = set.parts[partId];
            int start = i - t.entryDelta[e];
            if (start < 0) continue;
            int stop = start + p.anchorLength;
            if (stop <= len) {
                int a = p.anchorOffset;
                if (!Arrays.equals(buf, start, stop, p.segments[p.anchorSegment].value, a, a + p.anchorLength)) continue;
            }
            hit(partId, base + stop);
        }
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
        } else {
            OffsetSpec o = signature.offset();
            switch (o.kind()) {
                case ABSOLUTE -> lo = o.value();
                case ENTRY_POINT -> {
                    if (exe.entryPoint < 0) return;
                    lo = exe.entryPoint + o.value();
                }
                case SECTION -> {
                    if (o.section() >= exe.sections()) return;
                    lo = exe.sectionOffset[o.section()] + o.value();
                }
                case LAST_SECTION -> {
                    if (exe.sections() == 0) return;
                    lo = exe.sectionOffset[exe.sections() - 1] + o.value();
                }
                default -> { }
            }
            if (o.kind() != OffsetSpec.Kind.ANY && o.kind() != OffsetSpec.Kind.FROM_EOF && o.kind() != OffsetSpec.Kind.UNSUPPORTED_AS_ANY) {
                hi = lo + o.shift();
            }
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
        if (expectedSize >= 0 && total != expectedSize) {
            throw new IllegalStateException("declared size " + expectedSize + ", got " + total + " bytes");
        }
        if (exe == null) startScanning();
        if (set.parts.length > 0 && index.tiers[AnchorIndex.SHORT] != null) scanKeys(0, len - 1);
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
        for (int k = 0; k < hashedSection.length; k++) {
            int s = hashedSection[k];
            long size = exe.sectionSize[s];
            if (exe.sectionOffset[s] + size > total) continue; // section cut off: no hash of it
            HashTable[] tables = {set.sectionMd5, set.sectionSha1, set.sectionSha256};
            for (int a = 0; a < 3; a++) {
                MessageDigest d = sectionDigests[k][a];
                if (d == null) continue;
                int id = tables[a].lookup(d.digest(), size);
                if (id >= 0) {
                    String name = set.hashNames.get(id);
                    matches.add(new Match(name, ThreatCategory.of(name), set.databases[set.hashDatabase[id]], exe.sectionOffset[s]));
                }
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
        if (digest == null || !table.mayMatch(total)) return;
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
