package io.portcullis.av;

/**
 * A part of a body pattern between unbounded gaps ({@code *}, {@code {n-}}): fixed-length segments separated by
 * bounded gaps, with the anchor (longest wildcard-free fragment) that the automaton looks for.
 */
final class Part {
    final Segment[] segments;
    final int[] gapMin;
    final int[] gapMax;
    final int anchorSegment;
    final int anchorOffset;
    final int anchorLength;
    /** Most bytes from part start to anchor start / from anchor end to part end. */
    final int leftSpan;
    final int rightSpan;

    Part(Segment[] segments, int[] gapMin, int[] gapMax, int anchorSegment, int anchorOffset, int anchorLength) {
        this.segments = segments;
        this.gapMin = gapMin;
        this.gapMax = gapMax;
        this.anchorSegment = anchorSegment;
        this.anchorOffset = anchorOffset;
        this.anchorLength = anchorLength;
        int l = anchorOffset;
        for (int i = 0; i < anchorSegment; i++) l += segments[i].length() + gapMax[i];
        int r = segments[anchorSegment].length() - anchorOffset - anchorLength;
        for (int i = anchorSegment + 1; i < segments.length; i++) r += gapMax[i - 1] + segments[i].length();
        this.leftSpan = l;
        this.rightSpan = r;
    }

    int span() { return leftSpan + anchorLength + rightSpan; }

    byte[] anchor() {
        return java.util.Arrays.copyOfRange(segments[anchorSegment].value, anchorOffset, anchorOffset + anchorLength);
    }

    long approximateBytes() {
        long n = 64 + 8L * segments.length * 2;
        for (Segment s : segments) n += s.approximateBytes();
        return n;
    }
}
