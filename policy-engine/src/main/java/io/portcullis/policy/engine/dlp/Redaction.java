package io.portcullis.policy.engine.dlp;

import io.portcullis.policy.engine.content.TextChars;

/** Masks matches so that a sample never holds the full secret. */
final class Redaction {

    private static final int MAX_SAMPLE_CHARS = 64;

    private Redaction() {
    }

    /** Every digit but the last four becomes '*'; separators stay: "**** **** **** 1111". */
    static String card(CharSequence match) {
        return maskDigitsExceptLast(match, 4);
    }

    /** Country code, "**", last four: "GB**5432". */
    static String iban(String compact) {
        return compact.substring(0, 2) + "**" + compact.substring(compact.length() - 4);
    }

    /** "***-**-6789". */
    static String ssn(String digits) {
        return "***-**-" + digits.substring(digits.length() - 4);
    }

    /** First char of the local part, "***@", the domain: "j***@example.com". */
    static String email(String local, String domain) {
        return local.charAt(0) + "***@" + domain;
    }

    /** Every digit but the last two becomes '*', separators dropped: "+*********58". */
    static String phone(String digits, boolean international) {
        StringBuilder out = new StringBuilder(digits.length() + 1);
        if (international) {
            out.append('+');
        }
        out.append("*".repeat(digits.length() - 2)).append(digits, digits.length() - 2, digits.length());
        return out.toString();
    }

    /**
     * For admin patterns, whose matches may be secrets of any shape: letters and digits are masked except the last
     * {@code min(4, n / 3)} of them (none for a match of fewer than three), and long matches keep only their end.
     */
    static String generic(CharSequence match) {
        int alnum = 0;
        for (int i = 0; i < match.length(); i++) {
            if (Character.isLetterOrDigit(match.charAt(i))) {
                alnum++;
            }
        }
        int keep = Math.min(4, alnum / 3);
        StringBuilder out = new StringBuilder(match.length());
        int seen = 0;
        for (int i = 0; i < match.length(); i++) {
            char c = match.charAt(i);
            if (Character.isLetterOrDigit(c)) {
                seen++;
                out.append(seen > alnum - keep ? c : '*');
            } else {
                out.append(TextChars.isSpace(c) ? ' ' : c);
            }
        }
        if (out.length() > MAX_SAMPLE_CHARS) {
            return "..." + out.substring(out.length() - MAX_SAMPLE_CHARS);
        }
        return out.toString();
    }

    private static String maskDigitsExceptLast(CharSequence match, int keep) {
        int digits = 0;
        for (int i = 0; i < match.length(); i++) {
            if (TextChars.isAsciiDigit(match.charAt(i))) {
                digits++;
            }
        }
        StringBuilder out = new StringBuilder(match.length());
        int seen = 0;
        for (int i = 0; i < match.length(); i++) {
            char c = match.charAt(i);
            if (TextChars.isAsciiDigit(c)) {
                seen++;
                out.append(seen > digits - keep ? c : '*');
            } else {
                out.append(c);
            }
        }
        return out.toString();
    }
}
