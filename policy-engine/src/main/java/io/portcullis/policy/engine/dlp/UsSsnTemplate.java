package io.portcullis.policy.engine.dlp;

import io.portcullis.policy.engine.content.BoundedText;
import io.portcullis.policy.engine.content.TextChars;
import java.util.List;

/**
 * {@code us-ssn}: AAA-GG-SSSS with dashes or spaces (the same separator twice), or nine digits in a row only when
 * a keyword ("ssn", "social security", "ss#", "soc sec") is within {@link #KEYWORD_WINDOW} chars before or after.
 * Rejects area 000, 666 and 900-999, group 00 and serial 0000. The number must not touch a letter or digit, nor be
 * part of a longer number written with separators.
 */
final class UsSsnTemplate extends BoundedTemplate {

    static final String ID = "us-ssn";
    static final int KEYWORD_WINDOW = 50;
    private static final List<String> KEYWORDS = List.of("ssn", "ssns", "social security", "ss#", "soc sec",
            "soc. sec");

    UsSsnTemplate(int maxChars) {
        super(ID, maxChars);
    }

    @Override
    void scan(BoundedText text, Findings findings) {
        int n = text.length();
        char[] digits = new char[9];
        int i = 0;
        while (i < n) {
            if (!TextChars.isAsciiDigit(text.charAt(i))) {
                i++;
                continue;
            }
            int runEnd = digitRunEnd(text, i);
            int end = -1;
            if (runEnd - i == 3 && formatted(text, runEnd)) {
                end = runEnd + 8;
                copyDigits(text, i, 3, digits, 0);
                copyDigits(text, runEnd + 1, 2, digits, 3);
                copyDigits(text, runEnd + 4, 4, digits, 5);
            } else if (runEnd - i == 9) {
                end = runEnd;
                copyDigits(text, i, 9, digits, 0);
            }
            if (end > 0 && cleanBefore(text, i) && cleanAfter(text, end) && valid(digits)
                    && (end != runEnd || keywordNear(text, i, end))) {
                if (!findings.add(Redaction.ssn(new String(digits)), i)) {
                    return;
                }
                i = end;
            } else {
                i = runEnd;
            }
        }
    }

    private static int digitRunEnd(BoundedText text, int start) {
        int j = start;
        while (j < text.length() && TextChars.isAsciiDigit(text.charAt(j))) {
            j++;
        }
        return j;
    }

    /** "-GG-SSSS" or " GG SSSS" follows at {@code at}. */
    private static boolean formatted(BoundedText text, int at) {
        if (at + 8 > text.length()) {
            return false;
        }
        char separator = text.charAt(at);
        if ((separator != '-' && separator != ' ') || text.charAt(at + 3) != separator) {
            return false;
        }
        for (int k : new int[] {1, 2, 4, 5, 6, 7}) {
            if (!TextChars.isAsciiDigit(text.charAt(at + k))) {
                return false;
            }
        }
        return at + 8 == text.length() || !TextChars.isAsciiDigit(text.charAt(at + 8));
    }

    private static void copyDigits(BoundedText text, int from, int count, char[] into, int at) {
        for (int k = 0; k < count; k++) {
            into[at + k] = text.charAt(from + k);
        }
    }

    static boolean valid(char[] d) {
        int area = (d[0] - '0') * 100 + (d[1] - '0') * 10 + (d[2] - '0');
        boolean groupZero = d[3] == '0' && d[4] == '0';
        boolean serialZero = d[5] == '0' && d[6] == '0' && d[7] == '0' && d[8] == '0';
        return area != 0 && area != 666 && area < 900 && !groupZero && !serialZero;
    }

    private static boolean cleanBefore(BoundedText text, int start) {
        if (start == 0) {
            return true;
        }
        char previous = text.charAt(start - 1);
        if (Character.isLetterOrDigit(previous)) {
            return false;
        }
        boolean separator = previous == '-' || previous == ' ' || previous == '.' || previous == '/';
        return !(separator && start >= 2 && TextChars.isAsciiDigit(text.charAt(start - 2)));
    }

    private static boolean cleanAfter(BoundedText text, int end) {
        if (end >= text.length()) {
            return true;
        }
        char next = text.charAt(end);
        if (Character.isLetterOrDigit(next)) {
            return false;
        }
        boolean separator = next == '-' || next == ' ' || next == '.' || next == '/';
        return !(separator && end + 1 < text.length() && TextChars.isAsciiDigit(text.charAt(end + 1)));
    }

    private static boolean keywordNear(BoundedText text, int start, int end) {
        int from = Math.max(0, start - KEYWORD_WINDOW);
        int to = Math.min(text.length(), end + KEYWORD_WINDOW);
        StringBuilder window = new StringBuilder(to - from);
        for (int k = from; k < to; k++) {
            window.append(TextChars.fold(text.charAt(k)));
        }
        for (String keyword : KEYWORDS) {
            int at = window.indexOf(keyword);
            while (at >= 0) {
                int after = at + keyword.length();
                boolean startOk = at == 0 || !Character.isLetter(window.charAt(at - 1));
                boolean endOk = after >= window.length() || !Character.isLetter(window.charAt(after));
                if (startOk && endOk) {
                    return true;
                }
                at = window.indexOf(keyword, at + 1);
            }
        }
        return false;
    }
}
