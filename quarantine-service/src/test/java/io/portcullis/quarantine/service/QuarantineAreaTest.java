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
