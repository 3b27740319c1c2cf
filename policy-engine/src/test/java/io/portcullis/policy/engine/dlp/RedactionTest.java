package io.portcullis.policy.engine.dlp;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.portcullis.policy.engine.content.Deadlines;
import java.util.List;
import org.junit.jupiter.api.Test;

/** No sample of any template holds any of the secrets in a text full of them. */
class RedactionTest {

    private static final List<String> SECRETS = List.of("4111111111111111", "378282246310005", "5555555555554444",
            "30569309025904", "GB82WEST12345698765432", "DE89370400440532013000", "123456789", "219099999",
            "442079460958", "5551234567", "alice.secret", "bob.hidden");

    private static final String TEXT = String.join("\n",
            "Card 4111 1111 1111 1111, Amex 3782-822463-10005, MC 5555555555554444, Diners 30569309025904.",
            "IBAN GB82 WEST 1234 5698 7654 32 or DE89370400440532013000.",
            "SSN 123-45-6789; ssn: 219099999.",
            "Phone +44 20 7946 0958 or (555) 123-4567.",
            "Mail alice.secret@example.com and bob.hidden@example.org.");

    @Test
    void noSampleContainsAFullSecret() {
        int samples = 0;
        for (DlpTemplate template : DlpTemplates.builtIns()) {
            DlpResult result = template.scan(TEXT, Deadlines.generous());
            assertTrue(result.complete());
            assertTrue(result.hit(), template.id());
            for (DlpMatch sample : result.samples()) {
                samples++;
                for (String secret : SECRETS) {
                    assertFalse(DlpAssertions.alnum(sample.redacted()).contains(DlpAssertions.alnum(secret)),
                            template.id() + " sample " + sample.redacted() + " leaks " + secret);
                }
            }
        }
        assertEquals(4 + 2 + 2 + 2 + 2, samples);
    }

    @Test
    void genericRedactionKeepsAtMostFourCharsAndNoneOfShortMatches() {
        assertEquals("**", Redaction.generic("ab"));
        assertEquals("****ef", Redaction.generic("abcdef"));
        assertEquals("********9012", Redaction.generic("123456789012"));
        String longMatch = "k".repeat(500);
        assertEquals(67, Redaction.generic(longMatch).length());
        assertTrue(Redaction.generic(longMatch).endsWith("kkkk"));
    }
}
