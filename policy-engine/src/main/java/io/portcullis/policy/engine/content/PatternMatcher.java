package io.portcullis.policy.engine.content;

import com.google.re2j.Matcher;
import com.google.re2j.Pattern;
import com.google.re2j.PatternSyntaxException;
import java.util.Objects;

/**
 * An admin-written regular expression in RE2 syntax, run with RE2/J: matching time is linear in the input whatever
 * the pattern (no backtracking, no backreferences or lookaround), and the input is read through a deadline-checking
 * {@link BoundedText}. The pattern is limited to {@link #MAX_PATTERN_CHARS} chars and its compiled program to
 * {@link #MAX_PROGRAM_SIZE} instructions (estimated before compiling, so that nested counted repetitions can't
 * exhaust the heap in the compiler, then checked exactly), which bounds the per-char cost. Empty matches are not
 * counted.
 * Immutable and thread-safe once compiled.
 */
public final class PatternMatcher {

    /** Longest pattern source accepted. */
    public static final int MAX_PATTERN_CHARS = 2000;

    /** Largest compiled RE2 program accepted (instructions); bounds the cost per input char. */
    public static final int MAX_PROGRAM_SIZE = 10_000;

    /** Default cap on counted matches. */
    public static final int DEFAULT_MAX_MATCHES = 1000;

    private final Pattern pattern;

    private PatternMatcher(Pattern pattern) {
        this.pattern = pattern;
    }

    /** Compiles a case-sensitive pattern; errors name the field {@code pattern}. */
    public static PatternMatcher compile(String pattern) {
        return compile("pattern", pattern, false);
    }

    /**
     * Compiles {@code pattern} (RE2 syntax; {@code (?i)} and other inline flags work too).
     *
     * @throws IllegalArgumentException naming {@code field}: empty, too long, invalid (with RE2's own message), or
     *     compiled program too large
     */
    public static PatternMatcher compile(String field, String pattern, boolean caseInsensitive) {
        Objects.requireNonNull(field, "field");
        if (pattern == null || pattern.isEmpty()) {
            throw new IllegalArgumentException(field + ": empty pattern");
        }
        if (pattern.length() > MAX_PATTERN_CHARS) {
            throw new IllegalArgumentException(field + ": pattern too long (" + pattern.length() + " chars, max "
                    + MAX_PATTERN_CHARS + ")");
        }
        long estimate = RegexSize.estimate(pattern);
        if (estimate > MAX_PROGRAM_SIZE) {
            throw new IllegalArgumentException(field + ": pattern too complex (counted repetitions expand to about "
                    + estimate + " instructions, max " + MAX_PROGRAM_SIZE + ")");
        }
        Pattern compiled;
        try {
            compiled = Pattern.compile(pattern, caseInsensitive ? Pattern.CASE_INSENSITIVE : 0);
        } catch (PatternSyntaxException e) {
            throw new IllegalArgumentException(field + ": invalid regular expression: " + e.getMessage(), e);
        } catch (RuntimeException e) {
            // RE2/J reports some limits (e.g. nesting) with other exception types.
            throw new IllegalArgumentException(field + ": invalid regular expression: " + e.getMessage(), e);
        }
        int size = compiled.programSize();
        if (size > MAX_PROGRAM_SIZE) {
            throw new IllegalArgumentException(field + ": pattern too complex (compiled program " + size
                    + " instructions, max " + MAX_PROGRAM_SIZE + ")");
        }
        return new PatternMatcher(compiled);
    }

    /**
     * Whether the pattern matches anywhere in {@code text}, an empty match included (like {@code find()}); the
     * caller bounds the text. Linear time.
     */
    public boolean find(CharSequence text) {
        return pattern.matcher(text).find();
    }

    /** The pattern source. */
    public String pattern() {
        return pattern.pattern();
    }

    /** Counts up to {@link #DEFAULT_MAX_MATCHES} matches in at most {@link ContentLimits#DEFAULT_MAX_CHARS}. */
    public PatternResult match(CharSequence text, long deadlineNanos) {
        return match(text, deadlineNanos, ContentLimits.DEFAULT_MAX_CHARS, DEFAULT_MAX_MATCHES);
    }

    /** Counts up to {@code maxMatches} matches in at most {@code maxChars} of {@code text} before the deadline. */
    public PatternResult match(CharSequence text, long deadlineNanos, int maxChars, int maxMatches) {
        boolean truncated = text.length() > maxChars;
        int[] count = {0};
        boolean timedOut = false;
        try {
            scan(BoundedText.of(text, maxChars, deadlineNanos), (start, end) -> ++count[0] < maxMatches);
        } catch (DeadlineExceededException e) {
            timedOut = true;
        }
        return new PatternResult(count[0], count[0] >= maxMatches, timedOut, truncated);
    }

    /**
     * Reports each non-empty match, left to right, to {@code sink} until it returns false.
     *
     * @throws DeadlineExceededException when the text's deadline passes
     */
    public void scan(BoundedText text, MatchSink sink) {
        Matcher matcher = pattern.matcher(text);
        while (matcher.find()) {
            if (matcher.end() > matcher.start() && !sink.accept(matcher.start(), matcher.end())) {
                return;
            }
            text.checkDeadline();
        }
    }

    /** Receives matches as offsets; return false to stop the scan. */
    @FunctionalInterface
    public interface MatchSink {
        boolean accept(int start, int end);
    }
}
