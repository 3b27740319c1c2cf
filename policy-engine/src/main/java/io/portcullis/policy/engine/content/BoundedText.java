package io.portcullis.policy.engine.content;

import java.util.Objects;

/**
 * A read-only view of the first {@code maxChars} chars of a text that throws {@link DeadlineExceededException}
 * from {@link #charAt} once its deadline ({@link System#nanoTime()} based) has passed. The clock is read once per
 * {@link ContentLimits#DEADLINE_CHECK_INTERVAL} calls, so a matcher that reads every char through this view (RE2/J
 * does) can't run long past its deadline whatever the pattern or input. Not thread-safe: one view per scan.
 */
public final class BoundedText implements CharSequence {

    private final CharSequence source;
    private final int length;
    private final boolean truncated;
    private final long deadlineNanos;
    private int calls;

    private BoundedText(CharSequence source, int length, boolean truncated, long deadlineNanos) {
        this.source = source;
        this.length = length;
        this.truncated = truncated;
        this.deadlineNanos = deadlineNanos;
    }

    /**
     * Wraps {@code text}, cut to at most {@code maxChars} chars (never inside a surrogate pair).
     *
     * @throws DeadlineExceededException if the deadline has already passed
     */
    public static BoundedText of(CharSequence text, int maxChars, long deadlineNanos) {
        Objects.requireNonNull(text, "text");
        if (maxChars < 1) {
            throw new IllegalArgumentException("maxChars must be positive: " + maxChars);
        }
        int length = text.length();
        boolean truncated = false;
        if (length > maxChars) {
            length = maxChars;
            truncated = true;
            if (Character.isHighSurrogate(text.charAt(length - 1))) {
                length--;
            }
        }
        BoundedText bounded = new BoundedText(text, length, truncated, deadlineNanos);
        bounded.checkDeadline();
        return bounded;
    }

    /** True when the original text was longer than the limit and only its start is visible. */
    public boolean truncated() {
        return truncated;
    }

    /** Reads the clock now; for loops that do work without calling {@link #charAt}. */
    public void checkDeadline() {
        if (System.nanoTime() - deadlineNanos > 0) {
            throw new DeadlineExceededException();
        }
    }

    @Override
    public char charAt(int index) {
        if (++calls >= ContentLimits.DEADLINE_CHECK_INTERVAL) {
            calls = 0;
            checkDeadline();
        }
        if (index < 0 || index >= length) {
            throw new IndexOutOfBoundsException("index " + index + ", length " + length);
        }
        return source.charAt(index);
    }

    @Override
    public int length() {
        return length;
    }

    /** A plain copy of the given range (used for short spans such as a match; not deadline-checked). */
    @Override
    public CharSequence subSequence(int start, int end) {
        Objects.checkFromToIndex(start, end, length);
        return source.subSequence(start, end).toString();
    }

    @Override
    public String toString() {
        return source.subSequence(0, length).toString();
    }
}
