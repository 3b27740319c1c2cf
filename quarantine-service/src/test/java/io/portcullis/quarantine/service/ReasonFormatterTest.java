package io.portcullis.quarantine.service;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.portcullis.contracts.events.Action;
import io.portcullis.contracts.events.VerdictIssued;
import io.portcullis.contracts.scan.Category;
import io.portcullis.contracts.scan.Finding;
import io.portcullis.quarantine.Fixtures;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class ReasonFormatterTest {

    private static VerdictIssued with(String ruleId, List<Finding> findings) {
        VerdictIssued v = Fixtures.inlineVerdict("m", Action.QUARANTINE);
        return new VerdictIssued(v.messageId(), v.tenant(), v.receivedAt(), v.scannedAt(), v.envelope(), v.body(),
                v.headerMessageId(), v.subject(), v.action(), ruleId, v.virus(), v.spam(), v.spamScore(), findings,
                v.modifications(), v.policyVersion());
    }

    @Test
    void namesRuleAndDecidingSymbolsButNotInfoFindings() {
        String reason = ReasonFormatter.reason(with("block-virus", List.of(
                new Finding("EICAR_TEST", Category.VIRUS, 0, "Eicar-Signature"),
                new Finding("MIME_PARSED", Category.INFO, 0, null),
                new Finding("AV_FAIL", Category.FAILURE, 0, "timeout"),
                new Finding("EICAR_TEST", Category.VIRUS, 0, "again"))));
        assertEquals("rule=block-virus symbols=EICAR_TEST,AV_FAIL", reason);
    }

    @Test
    void defaultRuleWithoutFindings() {
        assertEquals("rule=default", ReasonFormatter.reason(with(null, List.of())));
    }

    @Test
    void neverCopiesFindingDetailsAndNeutralisesHostileSymbols() {
        String reason = ReasonFormatter.reason(with("r 1\r\n", List.of(
                new Finding("BAD\nSYMBOL,X", Category.CONTENT, 1, "secret.docm"))));
        assertEquals("rule=r_1__ symbols=BAD_SYMBOL_X", reason);
        assertTrue(!reason.contains("secret"));
    }

    @Test
    void oversizedReasonIsCut() {
        List<Finding> many = new ArrayList<>();
        for (int i = 0; i < 200; i++) {
            many.add(new Finding("SYMBOL_NUMBER_" + i, Category.SPAM, 1, null));
        }
        String reason = ReasonFormatter.reason(with("r", many));
        assertEquals(ReasonFormatter.MAX_LENGTH, reason.length());
        assertTrue(reason.endsWith("..."));
    }
}
