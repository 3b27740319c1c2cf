package io.portcullis.policy.engine.dlp;

import static io.portcullis.policy.engine.dlp.DlpAssertions.count;
import static io.portcullis.policy.engine.dlp.DlpAssertions.scan;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import org.junit.jupiter.api.Test;

class EmailListTemplateTest {

    private static final String ID = DlpTemplates.EMAIL_LIST;

    @Test
    void countsDistinctAddressesCaseInsensitively() {
        String text = "To: alice@example.com, Bob.Smith+tag@mail.example.co.uk; ALICE@EXAMPLE.COM\n"
                + "cc <carol_o'neil@sub-domain.example.org>. Reply to alice@example.com.";
        assertEquals(3, count(ID, text));
    }

    @Test
    void ignoresThingsThatAreNotAddresses() {
        assertEquals(0, count(ID, "@handle, user@localhost, a@b.c, x@1.23, me@@example.com, .@example.com, "
                + "a@-.com, user@exa..mple.com"));
    }

    @Test
    void rejectsOverlongLocalParts() {
        assertEquals(0, count(ID, "a".repeat(65) + "@example.com"));
        assertEquals(1, count(ID, "a".repeat(64) + "@example.com"));
    }

    @Test
    void redactsToFirstCharacterAndDomain() {
        DlpResult result = scan(ID, "alice@example.com bob.smith@mail.example.org");
        assertEquals(List.of("a***@example.com", "b***@mail.example.org"),
                result.samples().stream().map(DlpMatch::redacted).toList());
        for (DlpMatch sample : result.samples()) {
            assertEquals(-1, sample.redacted().indexOf("alice"));
            assertEquals(-1, sample.redacted().indexOf("bob.smith"));
        }
    }
}
