package io.portcullis.policy.engine.content;

/** Limits shared by all content matchers and DLP templates. */
public final class ContentLimits {

    /** Default maximum number of chars a matcher looks at; longer input is cut and the result flagged truncated. */
    public static final int DEFAULT_MAX_CHARS = 1 << 20;

    /** {@link BoundedText} reads the clock once per this many {@code charAt} calls. */
    public static final int DEADLINE_CHECK_INTERVAL = 4096;

    private ContentLimits() {
    }
}
