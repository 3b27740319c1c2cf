package io.portcullis.spam.rules;

/**
 * A text, or its first {@code end} characters, that throws {@link RuleTimeoutException} once the deadline has passed,
 * checked every few thousand character reads: bounds the time of one pattern on one long text even if the
 * regular-expression engine were slow on it.
 */
final class DeadlineText implements CharSequence {
    private static final int CHECK_EVERY = 4096;
    private final String text;
    private final int end;
    private final long deadline;
    private final boolean timed;
    private int reads;

    DeadlineText(String text, long deadlineNanos) {
        this(text, text.length(), deadlineNanos, true);
    }

    /** The first {@code end} characters of the text, with a deadline when {@code timed}. */
    DeadlineText(String text, int end, long deadlineNanos, boolean timed) {
        if (end < 0 || end > text.length()) {
            throw new IndexOutOfBoundsException(end);
        }
        this.text = text;
        this.end = end;
        this.deadline = deadlineNanos;
        this.timed = timed;
    }

    @Override
    public int length() {
        return end;
    }

    @Override
    public char charAt(int index) {
        if (timed && ++reads >= CHECK_EVERY) {
            reads = 0;
            if (System.nanoTime() - deadline > 0) {
                throw new RuleTimeoutException("rule evaluation passed its deadline");
            }
        }
        if (index >= end) {
            throw new IndexOutOfBoundsException(index);
        }
        return text.charAt(index);
    }

    @Override
    public CharSequence subSequence(int start, int stop) {
        if (stop > end) {
            throw new IndexOutOfBoundsException(stop);
        }
        return text.subSequence(start, stop);
    }

    @Override
    public String toString() {
        return text.substring(0, end);
    }
}
