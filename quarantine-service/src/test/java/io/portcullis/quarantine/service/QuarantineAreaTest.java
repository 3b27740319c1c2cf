package io.portcullis.quarantine.service;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.portcullis.contracts.events.Action;
import io.portcullis.contracts.events.BodyRef;
import io.portcullis.contracts.events.Envelope;
import io.portcullis.contracts.events.Modifications;
import io.portcullis.contracts.events.RecipientDecision;
import io.portcullis.contracts.events.VerdictIssued;
import io.portcullis.contracts.scan.Category;
import io.portcullis.contracts.scan.Finding;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

class QuarantineAreaTest {

    private static VerdictIssued verdict(boolean virus, boolean spam, Finding... findings) {
        return new VerdictIssued("M1", "default", Instant.now(), Instant.now(),
                new Envelope("a@example.org", List.of("b@example.com"), null, null, false),
                BodyRef.inline(new byte[] {1}, null), null, null, Action.QUARANTINE, null, virus, spam, 0,
                List.of(findings), null, 1);
    }

    private static RecipientDecision group(String area, String rule) {
        return new RecipientDecision(List.of("b@example.com"), Action.QUARANTINE, rule, Modifications.NONE, area,
                List.of(), null, List.of(), List.of(), List.of());
    }

    @Test
    void theRulesAreaWinsWhenItIsAValidName() {
        assertEquals("legal", QuarantineService.area(verdict(true, false), group("legal", "r")));
    }

    @Test
    void withoutAnAreaTheMessagesClassDecides() {
        assertEquals("virus", QuarantineService.area(verdict(true, true), group(null, "r")));
        assertEquals("virus", QuarantineService.area(verdict(false, false,
                new Finding("AV_WORM_MASS_MAILER", Category.INFO, 0, null)), group(null, "r")));
        assertEquals("spam", QuarantineService.area(verdict(false, true), group(null, "r")));
        assertEquals("unscannable", QuarantineService.area(verdict(false, false,
                new Finding("AV_FAIL", Category.FAILURE, 0, null)), group(null, "r")));
        assertEquals("unscannable", QuarantineService.area(verdict(false, true), group(null, "builtin-fail-safe")));
        assertEquals("policy", QuarantineService.area(verdict(false, false), group(null, "r")));
    }

    @Test
    void theSeededDefaultRulesLandInTheirBuiltInAreas() {
        assertEquals("virus", QuarantineService.area(verdict(true, false), group(null, "virus-quarantine")));
        assertEquals("virus", QuarantineService.area(verdict(false, false,
                new Finding("AV_GRAYWARE_ADWARE", Category.GRAYWARE, 0, null)), group(null, "grayware-quarantine")));
        assertEquals("unscannable", QuarantineService.area(verdict(false, true,
                new Finding("ARCHIVE_LIMIT", Category.FAILURE, 0, null)), group(null, "scan-failure-quarantine")));
        // a spam-scored message quarantined for a blocked attachment is a policy item, not self-releasable spam
        assertEquals("policy", QuarantineService.area(verdict(false, true,
                new Finding("BLOCKED_EXE", Category.BLOCKED_ATTACHMENT, 0, null)),
                group(null, "blocked-attachment-quarantine")));
        assertEquals("policy", QuarantineService.area(verdict(false, true), group(null, "dmarc-reject-quarantine")));
        assertEquals("policy", QuarantineService.area(verdict(false, true), group(null, "blocked-sender-quarantine")));
        assertEquals("policy", QuarantineService.area(verdict(false, false), group(null, "active-content-quarantine")));
    }

    @Test
    void customRulesWithoutAnAreaGoToTheMostRestrictiveClass() {
        assertEquals("virus", QuarantineService.area(verdict(false, false,
                new Finding("AV_GRAYWARE_SPY", Category.GRAYWARE, 0, null)), group(null, "my-rule")));
        assertEquals("dlp", QuarantineService.area(verdict(false, true,
                new Finding("DLP_CREDIT_CARD", Category.CONTENT, 3, null)), group(null, "my-dlp-rule")));
        assertEquals("unscannable", QuarantineService.area(verdict(false, false,
                new Finding("DLP_FAIL", Category.FAILURE, 0, null)), group(null, "my-dlp-rule")));
        assertEquals("dlp", QuarantineService.area(verdict(false, false,
                new Finding("DLP_US_SSN", Category.CONTENT, 1, null),
                new Finding("AV_FAIL", Category.FAILURE, 0, null)), group(null, "my-dlp-rule")));
    }

    @Test
    void anInvalidAreaNameFallsBackToTheDefaultInsteadOfLosingTheMessage() {
        assertEquals("spam", QuarantineService.area(verdict(false, true), group("../../etc", "r")));
        assertEquals("policy", QuarantineService.area(verdict(false, false), group("Legal Hold", "r")));
    }

    @Test
    void itemIdsAreTheMessageIdThenNumbered() {
        assertEquals("M1", MessageIds.itemId("M1", 1));
        assertEquals("M1.q2", MessageIds.itemId("M1", 2));
        assertTrue(MessageIds.isValidItemId("M1.q2"));
        assertTrue(MessageIds.isValidItemId("M1"));
        assertFalse(MessageIds.isValidItemId("../x.q2"));
        assertFalse(MessageIds.isValidItemId(".q2"));
        assertThrows(IllegalArgumentException.class, () -> MessageIds.itemId("M1", 0));
    }
}
