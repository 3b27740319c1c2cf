package io.portcullis.policy.engine.dlp;

import io.portcullis.policy.engine.content.BoundedText;
import io.portcullis.policy.engine.content.TextChars;
import java.util.Arrays;

/**
 * {@code credit-card}: 13-19 digits, optionally in groups joined by a single space or dash, Luhn valid and in a
 * known IIN range. A run of digits joined by single separators is split only at its separators, so a number inside a
 * longer unbroken digit run never matches, while two card numbers separated by one space both do. The run must not
 * touch a letter or digit, nor be the fraction or integer part of a decimal ("0.4111...").
 */
final class CreditCardTemplate extends BoundedTemplate {

    static final String ID = "credit-card";
    private static final int MIN_DIGITS = 13;
    private static final int MAX_DIGITS = 19;

    CreditCardTemplate(int maxChars) {
        super(ID, maxChars);
    }

    @Override
    void scan(BoundedText text, Findings findings) {
        int n = text.length();
        int[] starts = new int[16];
        int[] ends = new int[16];
        int i = 0;
        while (i < n) {
            if (!TextChars.isAsciiDigit(text.charAt(i))) {
                i++;
                continue;
            }
            int groups = 0;
            int j = i;
            while (true) {
                int groupStart = j;
                while (j < n && TextChars.isAsciiDigit(text.charAt(j))) {
                    j++;
                }
                if (groups == starts.length) {
                    starts = Arrays.copyOf(starts, groups * 2);
                    ends = Arrays.copyOf(ends, groups * 2);
                }
                starts[groups] = groupStart;
                ends[groups] = j;
                groups++;
                if (j + 1 < n && isSeparator(text.charAt(j)) && TextChars.isAsciiDigit(text.charAt(j + 1))) {
                    j++;
                    continue;
                }
                break;
            }
            if (!matchRun(text, starts, ends, groups, cleanBefore(text, i), cleanAfter(text, j), findings)) {
                return;
            }
            i = j;
        }
    }

    /** Finds card numbers made of whole consecutive groups, leftmost first, longest first. */
    private static boolean matchRun(BoundedText text, int[] starts, int[] ends, int groups, boolean cleanStart,
            boolean cleanEnd, Findings findings) {
        StringBuilder digits = new StringBuilder(MAX_DIGITS);
        int g = 0;
        while (g < groups) {
            int matchedEnd = -1;
            char lead = text.charAt(starts[g]);
            // every known IIN range starts with 2-6
            if ((g > 0 || cleanStart) && lead >= '2' && lead <= '6') {
                int last = g;
                int total = ends[g] - starts[g];
                while (last + 1 < groups && total + ends[last + 1] - starts[last + 1] <= MAX_DIGITS) {
                    last++;
                    total += ends[last] - starts[last];
                }
                digits.setLength(0);
                if (total <= MAX_DIGITS) {
                    for (int p = starts[g]; p < ends[last]; p++) {
                        char c = text.charAt(p);
                        if (TextChars.isAsciiDigit(c)) {
                            digits.append(c);
                        }
                    }
                }
                // windows g..h are prefixes of g..last: shorten the digit string in place, longest first
                for (int h = last; h >= g && matchedEnd < 0; total -= ends[h] - starts[h], h--) {
                    if ((h == groups - 1 && !cleanEnd) || total < MIN_DIGITS || total > MAX_DIGITS) {
                        continue;
                    }
                    digits.setLength(total);
                    if (CardNumbers.brand(digits) != null && CardNumbers.luhnValid(digits)) {
                        matchedEnd = h;
                    }
                }
            }
            if (matchedEnd < 0) {
                g++;
                continue;
            }
            CharSequence match = text.subSequence(starts[g], ends[matchedEnd]);
            if (!findings.add(Redaction.card(match), starts[g])) {
                return false;
            }
            g = matchedEnd + 1;
        }
        return true;
    }

    private static boolean isSeparator(char c) {
        return c == ' ' || c == '-';
    }

    static boolean cleanBefore(BoundedText text, int start) {
        if (start == 0) {
            return true;
        }
        char previous = text.charAt(start - 1);
        if (Character.isLetterOrDigit(previous)) {
            return false;
        }
        return !((previous == '.' || previous == ',') && start >= 2
                && TextChars.isAsciiDigit(text.charAt(start - 2)));
    }

    static boolean cleanAfter(BoundedText text, int end) {
        if (end >= text.length()) {
            return true;
        }
        char next = text.charAt(end);
        if (Character.isLetterOrDigit(next)) {
            return false;
        }
        return !((next == '.' || next == ',') && end + 1 < text.length()
                && TextChars.isAsciiDigit(text.charAt(end + 1)));
    }
}
