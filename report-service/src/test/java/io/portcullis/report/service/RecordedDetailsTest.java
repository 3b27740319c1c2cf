package io.portcullis.report.service;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import io.portcullis.contracts.events.Action;
import io.portcullis.contracts.events.AttachmentMeta;
import io.portcullis.contracts.events.Envelope;
import io.portcullis.contracts.events.VerdictIssued;
import io.portcullis.contracts.scan.Category;
import io.portcullis.contracts.scan.Finding;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class RecordedDetailsTest {
    private static VerdictIssued verdict(List<Finding> findings, List<AttachmentMeta> attachments,
            List<String> rules) {
        Instant t = Instant.parse("2026-03-01T10:00:00Z");
        return new VerdictIssued("q", "default", t, t, new Envelope("a@x", List.of("b@y"), "h", "192.0.2.1", false),
                null, null, null, Action.DELIVER, null, false, false, 0, findings, null, 1, Map.of(), 10, attachments,
                rules, List.of());
    }

    @Test
    void oversizedListsAndTextsAreCut() {
        List<Finding> findings = new ArrayList<>();
        List<AttachmentMeta> attachments = new ArrayList<>();
        List<String> rules = new ArrayList<>();
        for (int i = 0; i < 5000; i++) {
            findings.add(new Finding("S" + i, Category.INFO, 0, "d"));
            attachments.add(new AttachmentMeta("part/" + i, "n".repeat(1000), "t", i));
            rules.add("r" + i);
        }
        VerdictIssued v = verdict(findings, attachments, rules);
        assertEquals(RecordedDetails.MAX_FINDINGS, RecordedDetails.findings(v).size());
        assertEquals(RecordedDetails.MAX_ATTACHMENTS, RecordedDetails.attachments(v).size());
        assertEquals(RecordedDetails.MAX_NAME, RecordedDetails.attachments(v).get(0).filename().length());
        assertEquals(RecordedDetails.MAX_RULES, RecordedDetails.matchedRules(v).size());
    }

    @Test
    void jsonNeverCarriesNulOrLoneSurrogatesOrNonFiniteNumbers() {
        VerdictIssued v = verdict(List.of(new Finding("A\u0000B\uDC00", Category.SPAM, Double.POSITIVE_INFINITY, "x")),
                List.of(new AttachmentMeta("p\u0000", "\uD83D\uDE00.exe", null, 1)), List.of());
        String findings = RecordedDetails.json(RecordedDetails.findings(v));
        assertEquals("[{\"symbol\":\"A B\uFFFD\",\"category\":\"SPAM\",\"score\":null}]", findings);
        String attachments = RecordedDetails.json(RecordedDetails.attachments(v));
        assertFalse(attachments.contains("\\u0000"));
        assertEquals("\uD83D\uDE00.exe", RecordedDetails.readAttachments(attachments).get(0).filename(),
                "a valid surrogate pair is kept");
        assertEquals("A B\uFFFD", RecordedDetails.readFindings(findings).get(0).symbol());
    }
}
