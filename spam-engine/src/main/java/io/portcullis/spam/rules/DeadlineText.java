package io.portcullis.spam.rules;

/**
 * A text that throws {@link RuleTimeoutException} once the deadline has passed, checked every few thousand character
 * reads: bounds the time of one pattern on one long text even if the regular-expression engine were slow on it.
 */
final class DeadlineText implements CharSequence {
    private static final int CHECK_EVERY = 4096;
    private final String text;
    private final long deadline;
    private int reads;

    DeadlineText(String text, long deadlineNanos) {
        this.text = text;
        this.deadline = deadlineNanos;
    }

    @Override
    public int length() {
        return text.length();
    }

    @Override
    public char charAt(int index) {
        if (++reads >= CHECK_EVERY) {
            reads = 0;
            if (System.nanoTime() - deadline > 0) {
                throw new RuleTimeoutException("rule evaluation passed its deadline");
            }
        }
        return text.charAt(index);
    }

    @Override
    public CharSequence subSequence(int start, int end) {
        return text.subSequence(start, end);
    }

    @Override
    public String toString() {
        return text;
    }
}
