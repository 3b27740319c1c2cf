package io.portcullis.av;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;

/**
 * Compact Aho–Corasick automaton over the anchors. States are ints numbered breadth-first; the root and its children
 * (at most 257 states) have dense 256-entry transition rows with failures resolved, every deeper state a sorted slice
 * of (label, target) edge arrays (linear search up to 8 edges, binary search beyond). Each state has a failure link, its own outputs and a
 * dictionary link to the nearest state on its failure chain that has outputs. About 21 bytes per state.
 */
final class AhoCorasick {
    /** Full transition rows (failure resolved) for the root and its children: states 0 .. denseStates-1. */
    int[] dense;
    int denseStates;
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
        return 4L * (dense.length + edgeStart.length + edgeTarget.length + fail.length + outStart.length + outIds.length + dict.length)
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
        // Renumber states breadth-first: the root and its children get the low ids (dense rows), parents come before children.
        int n = count;
        int[] rawStart = new int[n + 1];
        for (int c = 1; c < n; c++) rawStart[parent[c] + 1]++;
        for (int s = 0; s < n; s++) rawStart[s + 1] += rawStart[s];
        int[] rawChild = new int[Math.max(0, n - 1)];
        int[] rawFill = Arrays.copyOf(rawStart, n);
        for (int c = 1; c < n; c++) rawChild[rawFill[parent[c]]++] = c;
        int[] newId = new int[n];
        int[] bfs = new int[n];
        int qt = 1;
        for (int qh = 0; qh < qt; qh++) {
            int s = bfs[qh];
            for (int e = rawStart[s]; e < rawStart[s + 1]; e++) {
                newId[rawChild[e]] = qt;
                bfs[qt++] = rawChild[e];
            }
        }
        int[] edgeStart = new int[n + 1];
        byte[] edgeLabel = new byte[n - 1];
        int[] edgeTarget = new int[n - 1];
        int at = 0;
        for (int ns = 0; ns < n; ns++) {
            int s = bfs[ns];
            edgeStart[ns] = at;
            for (int e = rawStart[s]; e < rawStart[s + 1]; e++) {
                edgeLabel[at] = label[rawChild[e]];
                edgeTarget[at++] = newId[rawChild[e]];
            }
        }
        edgeStart[n] = at;
        for (int k = 0; k < outCount; k++) {
            outPairs[k] = ((long) newId[(int) (outPairs[k] >>> 32)] << 32) | (outPairs[k] & 0xFFFFFFFFL);
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
        for (int c = 1; c < n; c++) {
            // parents have lower ids than children, so fail[] of every shallower state is final here
            for (int e = edgeStart[c]; e < edgeStart[c + 1]; e++) {
                int child = edgeTarget[e];
                byte b = edgeLabel[e];
                int f = fail[c];
                int t;
                while ((t = ac.child(f, b)) < 0 && f != 0) f = fail[f];
                fail[child] = t >= 0 ? t : 0;
            }
        }
        for (int e = edgeStart[0]; e < edgeStart[1]; e++) fail[edgeTarget[e]] = 0;
        for (int c = 1; c < n; c++) {
            int fc = fail[c];
            dict[c] = outStart[fc] != outStart[fc + 1] ? fc : dict[fc];
        }
        int denseStates = 1 + edgeStart[1] - edgeStart[0];
        ac.dense = new int[denseStates << 8];
        for (int s = 0; s < denseStates; s++) {
            for (int b = 0; b < 256; b++) ac.dense[s << 8 | b] = ac.sparseNext(s, (byte) b);
        }
        ac.denseStates = denseStates;
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
        while (s >= denseStates) {
            int t = child(s, b);
            if (t >= 0) return t;
            s = fail[s];
        }
        return dense[s << 8 | (b & 0xFF)];
    }

    private int sparseNext(int s, byte b) {
        while (true) {
            int t = child(s, b);
            if (t >= 0) return t;
            if (s == 0) return 0;
            s = fail[s];
        }
    }
}
