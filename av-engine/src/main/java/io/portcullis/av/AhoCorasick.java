package io.portcullis.av;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;

/**
 * Compact Aho–Corasick automaton over the anchors. States are ints; the root has a dense 256-entry transition table,
 * every other state a sorted slice of (label, target) edge arrays. Each state has a failure link, its own outputs and a
 * dictionary link to the nearest state on its failure chain that has outputs. About 21 bytes per state.
 */
final class AhoCorasick {
    final int[] root = new int[256];
    final int[] edgeStart;
    final byte[] edgeLabel;
    final int[] edgeTarget;
    final int[] fail;
    final int[] outStart;
    final int[] outIds;
    final int[] dict;

    private AhoCorasick(int[] edgeStart, byte[] edgeLabel, int[] edgeTarget, int[] fail, int[] outStart, int[] outIds, int[] dict) {
        this.edgeStart = edgeStart;
        this.edgeLabel = edgeLabel;
        this.edgeTarget = edgeTarget;
        this.fail = fail;
        this.outStart = outStart;
        this.outIds = outIds;
        this.dict = dict;
    }

    int states() { return fail.length; }

    long approximateBytes() {
        return 4L * (root.length + edgeStart.length + edgeTarget.length + fail.length + outStart.length + outIds.length + dict.length)
            + edgeLabel.length + 8 * 16;
    }

    /** Pattern ids are list indexes. */
    static AhoCorasick build(List<byte[]> patterns) {
        Integer[] order = new Integer[patterns.size()];
        for (int i = 0; i < order.length; i++) order[i] = i;
        Arrays.sort(order, Comparator.comparing(patterns::get, Arrays::compareUnsigned));
        int cap = 1024;
        int[] parent = new int[cap];
        byte[] label = new byte[cap];
        int[] lastChild = new int[cap];
        Arrays.fill(lastChild, -1);
        int count = 1;
        long[] outPairs = new long[Math.max(16, patterns.size())];
        int outCount = 0;
        for (Integer id : order) {
            byte[] p = patterns.get(id);
            int s = 0;
            for (byte b : p) {
                int c = lastChild[s];
                if (c >= 0 && label[c] == b) {
                    s = c;
                } else {
                    if (count == cap) {
                        cap *= 2;
                        parent = Arrays.copyOf(parent, cap);
                        label = Arrays.copyOf(label, cap);
                        lastChild = Arrays.copyOf(lastChild, cap);
                        Arrays.fill(lastChild, count, cap, -1);
                    }
                    parent[count] = s;
                    label[count] = b;
                    lastChild[s] = count;
                    s = count++;
                }
            }
            outPairs[outCount++] = ((long) s << 32) | id;
        }
        int n = count;
        int[] edgeStart = new int[n + 1];
        for (int c = 1; c < n; c++) edgeStart[parent[c] + 1]++;
        for (int s = 0; s < n; s++) edgeStart[s + 1] += edgeStart[s];
        byte[] edgeLabel = new byte[n - 1];
        int[] edgeTarget = new int[n - 1];
        int[] fill = Arrays.copyOf(edgeStart, n);
        for (int c = 1; c < n; c++) {
            int at = fill[parent[c]]++;
            edgeLabel[at] = label[c];
            edgeTarget[at] = c;
        }
        long[] sortedOut = Arrays.copyOf(outPairs, outCount);
        Arrays.sort(sortedOut);
        int[] outStart = new int[n + 1];
        int[] outIds = new int[outCount];
        for (int k = 0; k < outCount; k++) {
            outStart[(int) (sortedOut[k] >>> 32) + 1]++;
            outIds[k] = (int) sortedOut[k];
        }
        for (int s = 0; s < n; s++) outStart[s + 1] += outStart[s];
        int[] fail = new int[n];
        int[] dict = new int[n];
        Arrays.fill(dict, -1);
        AhoCorasick ac = new AhoCorasick(edgeStart, edgeLabel, edgeTarget, fail, outStart, outIds, dict);
        int[] queue = new int[n];
        int head = 0, tail = 0;
        for (int e = edgeStart[0]; e < edgeStart[1]; e++) {
            int c = edgeTarget[e];
            fail[c] = 0;
            queue[tail++] = c;
        }
        while (head < tail) {
            int s = queue[head++];
            for (int e = edgeStart[s]; e < edgeStart[s + 1]; e++) {
                int c = edgeTarget[e];
                byte b = edgeLabel[e];
                int f = fail[s];
                int t;
                while ((t = ac.child(f, b)) < 0 && f != 0) f = fail[f];
                fail[c] = t >= 0 ? t : 0;
                int fc = fail[c];
                dict[c] = outStart[fc] != outStart[fc + 1] ? fc : dict[fc];
                queue[tail++] = c;
            }
        }
        for (int b = 0; b < 256; b++) {
            int t = ac.child(0, (byte) b);
            ac.root[b] = Math.max(t, 0);
        }
        return ac;
    }

    /** Goto without failure: child of s on b, or -1. */
    int child(int s, byte b) {
        int lo = edgeStart[s];
        int hi = edgeStart[s + 1];
        if (hi - lo <= 8) {
            for (int e = lo; e < hi; e++) {
                if (edgeLabel[e] == b) return edgeTarget[e];
            }
            return -1;
        }
        int key = b & 0xFF;
        hi--;
        while (lo <= hi) {
            int mid = (lo + hi) >>> 1;
            int v = edgeLabel[mid] & 0xFF;
            if (v < key) lo = mid + 1;
            else if (v > key) hi = mid - 1;
            else return edgeTarget[mid];
        }
        return -1;
    }

    /** Full transition with failure links. */
    int next(int s, byte b) {
        while (s != 0) {
            int t = child(s, b);
            if (t >= 0) return t;
            s = fail[s];
        }
        return root[b & 0xFF];
    }
}
