package io.portcullis.policy.engine.dlp;

import io.portcullis.policy.engine.content.BoundedText;
import io.portcullis.policy.engine.content.TextChars;
import java.util.HashSet;
import java.util.Set;

/**
 * {@code phone-list}: counts distinct phone numbers (compared by their digits). A number has 7-15 digits in groups
 * separated by one or two of space, dash, dot, slash and parentheses: international ("+44 20 7946 0958",
 * "+1 (555) 123-4567", "+4915112345678") or national with at least two groups ("(555) 123-4567", "555-123-4567",
 * "020 7946 0958", "06 12 34 56 78"). Heuristics leave out national numbers shaped like dates (2024-01-15,
 * 15.01.2024), SSNs (123-45-6789), IPv4 addresses, decimals (3.14159265) and thousands groupings (1 234 567),
 * national numbers of more than 12 digits unless they start with the "00" international prefix (grouped card
 * numbers and IBAN parts), and every unbroken digit run without "+" (an id or card number). The number must not
 * touch a letter or digit.
 */
final class PhoneListTemplate extends BoundedTemplate {

    static final String ID = "phone-list";
    private static final int MIN_DIGITS = 7;
    private static final int MAX_DIGITS = 15;
    private static final int MAX_GROUPS = 15;
    private static final int MAX_NATIONAL_DIGITS = 12;

    PhoneListTemplate(int maxChars) {
        super(ID, maxChars);
    }

    @Override
    void scan(BoundedText text, Findings findings) {
        int n = text.length();
        Set<String> seen = new HashSet<>();
        StringBuilder digits = new StringBuilder(MAX_DIGITS + 1);
        int[] groupLengths = new int[MAX_GROUPS];
        int i = 0;
        while (i < n) {
            char c = text.charAt(i);
            boolean international = c == '+';
            boolean startable = TextChars.isAsciiDigit(c)
                    || ((international || c == '(') && i + 1 < n && TextChars.isAsciiDigit(text.charAt(i + 1)));
            if (!startable) {
                i++;
                continue;
            }
            digits.setLength(0);
            int groups = 0;
            int separatorKinds = 0;
            boolean tooLong = false;
            int j = international ? i + 1 : i;
            int end = j;
            while (true) {
                int separatorStart = j;
                while (j < n && j - separatorStart <= 2 && isSeparator(text.charAt(j))) {
                    j++;
                }
                int separatorLength = j - separatorStart;
                boolean validSeparator = groups == 0
                        ? separatorLength == 0 || (separatorLength == 1 && text.charAt(separatorStart) == '(')
                        : separatorLength >= 1 && separatorLength <= 2;
                if (!validSeparator || j >= n || !TextChars.isAsciiDigit(text.charAt(j))) {
                    break;
                }
                for (int k = separatorStart; k < j; k++) {
                    separatorKinds |= kind(text.charAt(k));
                }
                int groupStart = j;
                while (j < n && TextChars.isAsciiDigit(text.charAt(j))) {
                    if (digits.length() <= MAX_DIGITS) {
                        digits.append(text.charAt(j));
                    }
                    j++;
                }
                if (groups < MAX_GROUPS) {
                    groupLengths[groups] = j - groupStart;
                }
                groups++;
                end = j;
                if (digits.length() > MAX_DIGITS) {
                    tooLong = true;
                }
            }
            if (!tooLong && groups <= MAX_GROUPS && digits.length() >= MIN_DIGITS && cleanBefore(text, i)
                    && cleanAfter(text, end)
                    && (international || (digits.length() <= MAX_NATIONAL_DIGITS || startsWithZeroZero(digits))
                        && acceptNational(groupLengths, groups, separatorKinds))) {
                String key = (international ? "+" : "") + digits;
                if (seen.add(key) && !findings.add(Redaction.phone(digits.toString(), international), i)) {
                    return;
                }
            }
            i = Math.max(end, i + 1);
        }
    }

    private static final int SPACE = 1;
    private static final int DASH = 2;
    private static final int DOT = 4;
    private static final int SLASH = 8;
    private static final int PAREN = 16;

    private static int kind(char c) {
        return switch (c) {
            case ' ' -> SPACE;
            case '-' -> DASH;
            case '.' -> DOT;
            case '/' -> SLASH;
            default -> PAREN;
        };
    }

    private static boolean isSeparator(char c) {
        return c == ' ' || c == '-' || c == '.' || c == '/' || c == '(' || c == ')';
    }

    private static boolean startsWithZeroZero(CharSequence digits) {
        return digits.charAt(0) == '0' && digits.charAt(1) == '0';
    }

    static boolean acceptNational(int[] lengths, int groups, int kinds) {
        if (groups < 2) {
            return false;
        }
        boolean onlyDots = kinds == DOT;
        boolean dateSeparators = (kinds & (SPACE | PAREN)) == 0;
        if (groups == 3 && dateSeparators && isDate(lengths[0], lengths[1], lengths[2])) {
            return false;
        }
        if (groups == 3 && lengths[0] == 3 && lengths[1] == 2 && lengths[2] == 4 && (kinds & PAREN) == 0) {
            return false;
        }
        if (onlyDots && (groups == 2 || (groups == 4 && allAtMost(lengths, groups, 3)))) {
            return false;
        }
        if (groups >= 3 && lengths[0] <= 2 && (kinds & ~(SPACE | DOT)) == 0) {
            boolean thousands = true;
            for (int g = 1; g < groups; g++) {
                thousands &= lengths[g] == 3;
            }
            return !thousands;
        }
        return true;
    }

    private static boolean isDate(int a, int b, int c) {
        boolean dayOrMonth = b >= 1 && b <= 2;
        return dayOrMonth && ((a == 4 && c >= 1 && c <= 2) || (a >= 1 && a <= 2 && c == 4));
    }

    private static boolean allAtMost(int[] lengths, int groups, int max) {
        for (int g = 0; g < groups; g++) {
            if (lengths[g] > max) {
                return false;
            }
        }
        return true;
    }

    private static boolean cleanBefore(BoundedText text, int start) {
        if (start == 0) {
            return true;
        }
        char previous = text.charAt(start - 1);
        return !Character.isLetterOrDigit(previous) && previous != '+' && !isSeparatorAfterDigit(text, start - 1);
    }

    private static boolean isSeparatorAfterDigit(BoundedText text, int at) {
        return isSeparator(text.charAt(at)) && at > 0 && TextChars.isAsciiDigit(text.charAt(at - 1));
    }

    private static boolean cleanAfter(BoundedText text, int end) {
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
