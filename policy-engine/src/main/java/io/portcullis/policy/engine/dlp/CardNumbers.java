package io.portcullis.policy.engine.dlp;

/** Luhn checksum and issuer (IIN) ranges of payment card numbers. */
final class CardNumbers {

    private CardNumbers() {
    }

    /** True when the digit string passes the Luhn (mod 10) check. */
    static boolean luhnValid(CharSequence digits) {
        int sum = 0;
        boolean doubled = false;
        for (int i = digits.length() - 1; i >= 0; i--) {
            int d = digits.charAt(i) - '0';
            if (doubled) {
                d *= 2;
                if (d > 9) {
                    d -= 9;
                }
            }
            sum += d;
            doubled = !doubled;
        }
        return sum % 10 == 0;
    }

    /**
     * The card brand for a digit string of this length, or null when no known IIN range matches: Visa 4 (13, 16, 19
     * digits); Mastercard 51-55 and 2221-2720 (16); Amex 34, 37 (15); Discover 6011, 644-649, 65 (16-19); JCB
     * 3528-3589 (16-19); Diners 300-305, 36, 38 (14-19); UnionPay 62 (16-19).
     */
    static String brand(CharSequence digits) {
        int length = digits.length();
        int p1 = prefix(digits, 1);
        int p2 = prefix(digits, 2);
        int p3 = prefix(digits, 3);
        int p4 = prefix(digits, 4);
        if (p1 == 4 && (length == 13 || length == 16 || length == 19)) {
            return "visa";
        }
        if (((p2 >= 51 && p2 <= 55) || (p4 >= 2221 && p4 <= 2720)) && length == 16) {
            return "mastercard";
        }
        if ((p2 == 34 || p2 == 37) && length == 15) {
            return "amex";
        }
        boolean sixteenToNineteen = length >= 16 && length <= 19;
        if ((p4 == 6011 || (p3 >= 644 && p3 <= 649) || p2 == 65) && sixteenToNineteen) {
            return "discover";
        }
        if (p4 >= 3528 && p4 <= 3589 && sixteenToNineteen) {
            return "jcb";
        }
        if (((p3 >= 300 && p3 <= 305) || p2 == 36 || p2 == 38) && length >= 14 && length <= 19) {
            return "diners";
        }
        if (p2 == 62 && sixteenToNineteen) {
            return "unionpay";
        }
        return null;
    }

    private static int prefix(CharSequence digits, int n) {
        int value = 0;
        for (int i = 0; i < n && i < digits.length(); i++) {
            value = value * 10 + (digits.charAt(i) - '0');
        }
        return value;
    }
}
