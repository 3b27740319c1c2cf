package io.portcullis.policy.engine.content;

/**
 * A text that stalls once (sleeps) when {@code charAt(stallAt)} is first read, so a scan with a deadline shorter
 * than the stall times out midway, deterministically, without a long-running test.
 */
public final class SlowText implements CharSequence {

    private final CharSequence text;
    private final int stallAt;
    private final long stallMillis;
    private boolean stalled;

    public SlowText(CharSequence text, int stallAt, long stallMillis) {
        this.text = text;
        this.stallAt = stallAt;
        this.stallMillis = stallMillis;
    }

    @Override
    public int length() {
        return text.length();
    }

    @Override
    public char charAt(int index) {
        if (index >= stallAt && !stalled) {
            stalled = true;
            try {
                Thread.sleep(stallMillis);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
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
        return text.toString();
    }
}
