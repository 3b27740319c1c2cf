package io.portcullis.policy.engine.dlp;

import io.portcullis.policy.engine.content.BoundedText;
import io.portcullis.policy.engine.content.TextChars;
import java.util.Map;

/**
 * {@code iban}: two-letter country code, two check digits and the BBAN, with the country's exact length (table of
 * the IBAN registry countries, all SEPA countries included), compact or with single spaces every four chars, and
 * ISO 13616 mod-97 == 1. Country code and BBAN letters must be upper case; the IBAN must not touch another letter or
 * digit.
 */
final class IbanTemplate extends BoundedTemplate {

    static final String ID = "iban";

    /** IBAN length per country (SWIFT IBAN registry). */
    static final Map<String, Integer> LENGTHS = Map.ofEntries(
            Map.entry("AD", 24), Map.entry("AE", 23), Map.entry("AL", 28), Map.entry("AT", 20),
            Map.entry("AZ", 28), Map.entry("BA", 20), Map.entry("BE", 16), Map.entry("BG", 22),
            Map.entry("BH", 22), Map.entry("BI", 27), Map.entry("BR", 29), Map.entry("BY", 28),
            Map.entry("CH", 21), Map.entry("CR", 22), Map.entry("CY", 28), Map.entry("CZ", 24),
            Map.entry("DE", 22), Map.entry("DJ", 27), Map.entry("DK", 18), Map.entry("DO", 28),
            Map.entry("EE", 20), Map.entry("EG", 29), Map.entry("ES", 24), Map.entry("FI", 18),
            Map.entry("FK", 18), Map.entry("FO", 18), Map.entry("FR", 27), Map.entry("GB", 22),
            Map.entry("GE", 22), Map.entry("GI", 23), Map.entry("GL", 18), Map.entry("GR", 27),
            Map.entry("GT", 28), Map.entry("HR", 21), Map.entry("HU", 28), Map.entry("IE", 22),
            Map.entry("IL", 23), Map.entry("IQ", 23), Map.entry("IS", 26), Map.entry("IT", 27),
            Map.entry("JO", 30), Map.entry("KW", 30), Map.entry("KZ", 20), Map.entry("LB", 28),
            Map.entry("LC", 32), Map.entry("LI", 21), Map.entry("LT", 20), Map.entry("LU", 20),
            Map.entry("LV", 21), Map.entry("LY", 25), Map.entry("MC", 27), Map.entry("MD", 24),
            Map.entry("ME", 22), Map.entry("MK", 19), Map.entry("MN", 20), Map.entry("MR", 27),
            Map.entry("MT", 31), Map.entry("MU", 30), Map.entry("NI", 28), Map.entry("NL", 18),
            Map.entry("NO", 15), Map.entry("OM", 23), Map.entry("PK", 24), Map.entry("PL", 28),
            Map.entry("PS", 29), Map.entry("PT", 25), Map.entry("QA", 29), Map.entry("RO", 24),
            Map.entry("RS", 22), Map.entry("RU", 33), Map.entry("SA", 24), Map.entry("SC", 31),
            Map.entry("SD", 18), Map.entry("SE", 24), Map.entry("SI", 19), Map.entry("SK", 24),
            Map.entry("SM", 27), Map.entry("SO", 23), Map.entry("ST", 25), Map.entry("SV", 28),
            Map.entry("TL", 23), Map.entry("TN", 24), Map.entry("TR", 26), Map.entry("UA", 29),
            Map.entry("VA", 22), Map.entry("VG", 24), Map.entry("XK", 20), Map.entry("YE", 30));

    IbanTemplate(int maxChars) {
        super(ID, maxChars);
    }

    @Override
    void scan(BoundedText text, Findings findings) {
        int n = text.length();
        StringBuilder compact = new StringBuilder(34);
        int i = 0;
        while (i + 4 <= n) {
            int end = match(text, i, compact);
            if (end < 0) {
                i++;
                continue;
            }
            if (!findings.add(Redaction.iban(compact.toString()), i)) {
                return;
            }
            i = end;
        }
    }

    /** The end offset of a valid IBAN starting at {@code start} (its chars left in {@code compact}), or -1. */
    private static int match(BoundedText text, int start, StringBuilder compact) {
        char c0 = text.charAt(start);
        char c1 = text.charAt(start + 1);
        if (!isUpper(c0) || !isUpper(c1) || (start > 0 && Character.isLetterOrDigit(text.charAt(start - 1)))
                || !TextChars.isAsciiDigit(text.charAt(start + 2)) || !TextChars.isAsciiDigit(text.charAt(start + 3))) {
            return -1;
        }
        Integer length = LENGTHS.get(String.valueOf(new char[] {c0, c1}));
        if (length == null) {
            return -1;
        }
        int n = text.length();
        compact.setLength(0);
        int j = start;
        while (compact.length() < length) {
            if (j >= n) {
                return -1;
            }
            char c = text.charAt(j);
            if (TextChars.isAsciiDigit(c) || isUpper(c)) {
                compact.append(c);
                j++;
            } else if (c == ' ' && compact.length() % 4 == 0 && j + 1 < n
                    && TextChars.isAsciiAlnum(text.charAt(j + 1))) {
                j++;
            } else {
                return -1;
            }
        }
        if (j < n && Character.isLetterOrDigit(text.charAt(j))) {
            return -1;
        }
        return mod97(compact) == 1 ? j : -1;
    }

    /** ISO 13616: the first four chars moved to the end, letters as 10-35, the number mod 97. */
    static int mod97(CharSequence iban) {
        int remainder = 0;
        int length = iban.length();
        for (int k = 0; k < length; k++) {
            char c = iban.charAt((k + 4) % length);
            if (TextChars.isAsciiDigit(c)) {
                remainder = (remainder * 10 + (c - '0')) % 97;
            } else {
                remainder = (remainder * 100 + (c - 'A' + 10)) % 97;
            }
        }
        return remainder;
    }

    private static boolean isUpper(char c) {
        return c >= 'A' && c <= 'Z';
    }
}
