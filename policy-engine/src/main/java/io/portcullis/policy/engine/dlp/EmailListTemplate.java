package io.portcullis.policy.engine.dlp;

import io.portcullis.policy.engine.content.BoundedText;
import java.util.HashSet;
import java.util.Locale;
import java.util.Set;

/**
 * {@code email-list}: counts distinct email addresses (compared case-insensitively). An address is an ASCII local
 * part of 1-64 chars, "@", and a domain of up to 253 chars with at least one dot and an alphabetic top-level label
 * of two or more letters. The count is the number of distinct addresses; the rule's threshold decides what a list
 * is.
 */
final class EmailListTemplate extends BoundedTemplate {

    static final String ID = "email-list";
    private static final int MAX_LOCAL = 64;
    private static final int MAX_DOMAIN = 253;

    EmailListTemplate(int maxChars) {
        super(ID, maxChars);
    }

    @Override
    void scan(BoundedText text, Findings findings) {
        int n = text.length();
        Set<String> seen = new HashSet<>();
        int i = 0;
        while (i < n) {
            if (text.charAt(i) != '@') {
                i++;
                continue;
            }
            int localStart = i;
            while (localStart > 0 && i - localStart < MAX_LOCAL + 1 && isLocalChar(text.charAt(localStart - 1))) {
                localStart--;
            }
            while (localStart < i && text.charAt(localStart) == '.') {
                localStart++;
            }
            boolean localOk = localStart < i && i - localStart <= MAX_LOCAL
                    && (localStart == 0 || !isLocalChar(text.charAt(localStart - 1))
                        || text.charAt(localStart - 1) == '.')
                    && text.charAt(i - 1) != '.';
            int domainEnd = domainEnd(text, i + 1);
            if (!localOk || domainEnd < 0) {
                i++;
                continue;
            }
            String local = text.subSequence(localStart, i).toString();
            String domain = text.subSequence(i + 1, domainEnd).toString().toLowerCase(Locale.ROOT);
            if (seen.add(local.toLowerCase(Locale.ROOT) + "@" + domain)
                    && !findings.add(Redaction.email(local, domain), localStart)) {
                return;
            }
            i = domainEnd;
        }
    }

    /** The end of a valid domain starting at {@code start}, or -1. */
    private static int domainEnd(BoundedText text, int start) {
        int n = text.length();
        int j = start;
        int lastDot = -1;
        while (j < n && j - start <= MAX_DOMAIN && isDomainChar(text.charAt(j))) {
            if (text.charAt(j) == '.') {
                if (j == start || text.charAt(j - 1) == '.') {
                    return -1;
                }
                lastDot = j;
            }
            j++;
        }
        if (j - start > MAX_DOMAIN) {
            return -1;
        }
        while (j > start && (text.charAt(j - 1) == '.' || text.charAt(j - 1) == '-')) {
            j--;
        }
        if (lastDot >= j) {
            lastDot = -1;
            for (int k = j - 1; k > start; k--) {
                if (text.charAt(k) == '.') {
                    lastDot = k;
                    break;
                }
            }
        }
        if (lastDot < 0 || j - lastDot - 1 < 2) {
            return -1;
        }
        for (int k = start; k < j; k++) {
            char c = text.charAt(k);
            boolean labelEdge = k == start || k == j - 1 || text.charAt(k - 1) == '.' || text.charAt(k + 1) == '.';
            if (c == '-' && labelEdge) {
                return -1;
            }
        }
        for (int k = lastDot + 1; k < j; k++) {
            char c = text.charAt(k);
            if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z'))) {
                return -1;
            }
        }
        return j;
    }

    private static boolean isLocalChar(char c) {
        return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9')
                || "!#$%&'*+/=?^_`{|}~.-".indexOf(c) >= 0;
    }

    private static boolean isDomainChar(char c) {
        return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '.' || c == '-';
    }
}
