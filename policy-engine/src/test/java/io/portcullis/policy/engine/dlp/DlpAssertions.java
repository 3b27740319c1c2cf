package io.portcullis.policy.engine.dlp;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.portcullis.policy.engine.content.Deadlines;

/** Shared helpers for the DLP tests. */
final class DlpAssertions {

    private DlpAssertions() {
    }

    static DlpResult scan(String templateId, String text) {
        DlpResult result = DlpTemplates.builtIn(templateId).scan(text, Deadlines.generous());
        assertTrue(result.complete(), "scan incomplete: " + result);
        return result;
    }

    static int count(String templateId, String text) {
        return scan(templateId, text).count();
    }

    /** No sample holds the secret, compared on letters and digits only (separators ignored). */
    static void assertNoSampleLeaks(DlpResult result, String secret) {
        String secretCore = alnum(secret);
        for (DlpMatch sample : result.samples()) {
            assertFalse(alnum(sample.redacted()).contains(secretCore),
                    "sample " + sample.redacted() + " leaks " + secret);
        }
    }

    static String alnum(String s) {
        StringBuilder out = new StringBuilder();
        for (int i = 0; i < s.length(); i++) {
            if (Character.isLetterOrDigit(s.charAt(i))) {
                out.append(Character.toUpperCase(s.charAt(i)));
            }
        }
        return out.toString();
    }
}
