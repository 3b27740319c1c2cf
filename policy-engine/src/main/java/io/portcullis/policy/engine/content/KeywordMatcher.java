package io.portcullis.policy.engine.content;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * Finds words and phrases: case-insensitive (simple case folding), whole-word (a term can't start or end inside a
 * word; word chars are Unicode letters, digits and combining marks), and whitespace-insensitive inside phrases
 * (one space in a term matches any run of whitespace, line breaks and no-break spaces included). Terms may contain
 * punctuation ("C++", "e-mail"), which must then occur literally.
 *
 * <p>Matching walks a trie of the folded terms from every position where a term may start, so the work is at most
 * the text length times {@link #MAX_TERM_CHARS}, and the {@link BoundedText} deadline bounds it in time. Every
 * occurrence of every term counts, so the text "credit card" holds one "credit" and one "credit card" when both are
 * terms. Immutable and thread-safe once compiled.
 */
public final class KeywordMatcher {

    /** Most terms one matcher accepts. */
    public static final int MAX_TERMS = 5000;

    /** Longest term, in chars after trimming. */
    public static final int MAX_TERM_CHARS = 200;

    private final List<String> terms;
    private final Node root;

    private KeywordMatcher(List<String> terms, Node root) {
        this.terms = terms;
        this.root = root;
    }

    /** Compiles {@code terms}; errors name the term as {@code terms[i]}. */
    public static KeywordMatcher compile(List<String> terms) {
        return compile("terms", terms);
    }

    /**
     * Compiles {@code terms}; errors name the offending term as {@code field[i]}.
     *
     * @throws IllegalArgumentException for no terms, too many terms, an empty or too long term, a term without a
     *     letter or digit, or a duplicate (after case folding and whitespace collapsing)
     */
    public static KeywordMatcher compile(String field, List<String> terms) {
        Objects.requireNonNull(field, "field");
        if (terms == null || terms.isEmpty()) {
            throw new IllegalArgumentException(field + ": at least one term is required");
        }
        if (terms.size() > MAX_TERMS) {
            throw new IllegalArgumentException(field + "[" + MAX_TERMS + "]: too many terms (" + terms.size()
                    + ", max " + MAX_TERMS + ")");
        }
        Node root = new Node();
        Map<String, Integer> seen = new HashMap<>();
        List<String> kept = new ArrayList<>(terms.size());
        for (int i = 0; i < terms.size(); i++) {
            String name = field + "[" + i + "]";
            String term = terms.get(i);
            if (term == null) {
                throw new IllegalArgumentException(name + ": empty term");
            }
            String normalized = normalize(term);
            if (normalized.isEmpty()) {
                throw new IllegalArgumentException(name + ": empty term");
            }
            if (normalized.length() > MAX_TERM_CHARS) {
                throw new IllegalArgumentException(name + ": term too long (" + normalized.length() + " chars, max "
                        + MAX_TERM_CHARS + ")");
            }
            if (!hasWordChar(normalized)) {
                throw new IllegalArgumentException(name + ": term has no letter or digit");
            }
            Integer earlier = seen.putIfAbsent(normalized, i);
            if (earlier != null) {
                throw new IllegalArgumentException(name + ": duplicate of " + field + "[" + earlier + "]");
            }
            root.insert(normalized, i);
            kept.add(term.strip());
        }
        return new KeywordMatcher(List.copyOf(kept), root);
    }

    /** The terms as configured (stripped), indexed as in {@link KeywordHit#term()}. */
    public List<String> terms() {
        return terms;
    }

    /** Matches at most {@link ContentLimits#DEFAULT_MAX_CHARS} of {@code text} before the deadline. */
    public KeywordResult match(CharSequence text, long deadlineNanos) {
        return match(text, deadlineNanos, ContentLimits.DEFAULT_MAX_CHARS);
    }

    /** Matches at most {@code maxChars} of {@code text} before the deadline; never throws for hostile input. */
    public KeywordResult match(CharSequence text, long deadlineNanos, int maxChars) {
        boolean truncated = text.length() > maxChars;
        int[] count = {0};
        Set<Integer> hit = new LinkedHashSet<>();
        boolean timedOut = false;
        try {
            scan(BoundedText.of(text, maxChars, deadlineNanos), h -> {
                count[0]++;
                hit.add(h.term());
                return true;
            });
        } catch (DeadlineExceededException e) {
            timedOut = true;
        }
        List<String> termsHit = new ArrayList<>(hit.size());
        for (int term : hit) {
            termsHit.add(terms.get(term));
        }
        return new KeywordResult(count[0], termsHit, timedOut, truncated);
    }

    /**
     * Reports every occurrence, in order of start offset, to {@code sink} until it returns false.
     *
     * @throws DeadlineExceededException when the text's deadline passes
     */
    public void scan(BoundedText text, HitSink sink) {
        int n = text.length();
        boolean prevWord = false;
        int ordinal = -1;
        for (int i = 0; i < n; i++) {
            boolean word = TextChars.isWordAt(text, i);
            if (!(prevWord && word) && !walk(text, i, prevWord, ordinal, sink)) {
                return;
            }
            if (word && !prevWord) {
                ordinal++;
            }
            prevWord = word;
        }
    }

    private boolean walk(BoundedText text, int start, boolean prevWordBefore, int ordinalBefore, HitSink sink) {
        int n = text.length();
        Node node = root;
        int j = start;
        boolean prevWord = prevWordBefore;
        int ordinal = ordinalBefore;
        int startWord = -1;
        while (j < n) {
            char c = text.charAt(j);
            if (TextChars.isSpace(c)) {
                node = node.space;
                if (node == null) {
                    return true;
                }
                while (j < n && TextChars.isSpace(text.charAt(j))) {
                    j++;
                }
                prevWord = false;
                continue;
            }
            node = node.children.get(TextChars.fold(c));
            if (node == null) {
                return true;
            }
            boolean word = TextChars.isWordAt(text, j);
            if (word && !prevWord) {
                ordinal++;
                if (startWord < 0) {
                    startWord = ordinal;
                }
            }
            prevWord = word;
            j++;
            if (node.term >= 0 && !(prevWord && j < n && TextChars.isWordAt(text, j))
                    && !sink.accept(new KeywordHit(node.term, start, j, startWord, ordinal))) {
                return false;
            }
        }
        return true;
    }

    private static String normalize(String term) {
        StringBuilder out = new StringBuilder(term.length());
        boolean pendingSpace = false;
        for (int i = 0; i < term.length(); i++) {
            char c = term.charAt(i);
            if (TextChars.isSpace(c)) {
                pendingSpace = out.length() > 0;
                continue;
            }
            if (pendingSpace) {
                out.append(' ');
                pendingSpace = false;
            }
            out.append(TextChars.fold(c));
        }
        return out.toString();
    }

    private static boolean hasWordChar(String term) {
        for (int i = 0; i < term.length(); i++) {
            if (TextChars.isWordAt(term, i)) {
                return true;
            }
        }
        return false;
    }

    /** Receives occurrences; return false to stop the scan. */
    @FunctionalInterface
    public interface HitSink {
        boolean accept(KeywordHit hit);
    }

    private static final class Node {
        final Map<Character, Node> children = new HashMap<>(4);
        Node space;
        int term = -1;

        void insert(String normalized, int termIndex) {
            Node node = this;
            for (int i = 0; i < normalized.length(); i++) {
                char c = normalized.charAt(i);
                if (c == ' ') {
                    if (node.space == null) {
                        node.space = new Node();
                    }
                    node = node.space;
                } else {
                    node = node.children.computeIfAbsent(c, k -> new Node());
                }
            }
            node.term = termIndex;
        }
    }
}
