package io.portcullis.policy.engine.dlp;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.portcullis.policy.engine.content.ContentLimits;
import io.portcullis.policy.engine.content.Deadlines;
import io.portcullis.policy.engine.content.SlowText;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Hostile and oversized input: every template returns (no exception, no stall) and says whether it saw everything.
 * Asserts the flags, not wall time; each scan still runs against a deadline so a regression shows as timedOut.
 */
class HostileInputTest {

    private static List<DlpTemplate> all() {
        List<DlpTemplate> templates = new ArrayList<>(DlpTemplates.builtIns());
        templates.add(DlpTemplates.keywordProximity(List.of("card"), List.of("number"), 5));
        templates.add(DlpTemplates.compile(DlpTemplateSpec.pattern("digits", "[0-9]{4}[ -]?[0-9]{4}", 1)));
        templates.add(DlpTemplates.compile(DlpTemplateSpec.dictionary("dict", List.of("4111", "card"),
                List.of(1.0, 2.0), 5)));
        return templates;
    }

    private static List<DlpResult> scanAll(CharSequence text) {
        List<DlpResult> results = new ArrayList<>();
        for (DlpTemplate template : all()) {
            results.add(template.scan(text, Deadlines.in(20_000)));
        }
        return results;
    }

    @Test
    void tenMegabytesOfDigitsIsCutAndFlagged() {
        String text = "7".repeat(10 * 1024 * 1024);
        for (DlpResult result : scanAll(text)) {
            assertTrue(result.truncated(), result.template());
            assertFalse(result.timedOut(), result.template());
            if (!result.template().equals("digits")) {
                assertEquals(0, result.count(), result.template());
            }
        }
    }

    @Test
    void oneMegabyteOfRepeatedTestCardGroupsIsBounded() {
        String text = "4111 ".repeat(1024 * 1024 / 5 + 1);
        for (DlpResult result : scanAll(text)) {
            assertFalse(result.timedOut(), result.template());
            assertTrue(result.count() <= DlpTemplates.COUNT_CAP, result.template());
            assertTrue(result.samples().size() <= DlpTemplates.MAX_SAMPLES, result.template());
        }
        DlpResult cards = DlpTemplates.builtIn(DlpTemplates.CREDIT_CARD).scan("4111 ".repeat(1_000_000),
                Deadlines.in(20_000));
        assertTrue(cards.truncated());
        DlpAssertions.assertNoSampleLeaks(cards, "4111411141114111");
    }

    @Test
    void deeplyRepeatedSeparatorsAreHandled() {
        for (String text : List.of("4" + "-".repeat(500_000) + "1", "1-".repeat(400_000), "1 ".repeat(400_000),
                "(".repeat(300_000) + "555) 123-4567", "+".repeat(300_000) + "1", "@".repeat(500_000),
                ".".repeat(300_000) + "@" + "a.".repeat(100_000), "GB82 ".repeat(150_000))) {
            for (DlpResult result : scanAll(text)) {
                assertTrue(result.complete(), result.template() + " " + text.substring(0, 8));
                if (!result.template().equals("phone-list") && !result.template().equals("digits")) {
                    assertEquals(0, result.count(), result.template() + " " + text.substring(0, 8));
                }
            }
        }
    }

    @Test
    void hundredThousandEmailLikeTokensAreBounded() {
        StringBuilder text = new StringBuilder();
        for (int i = 0; i < 100_000; i++) {
            text.append("user").append(i).append("@example").append(i % 100).append(".com ");
        }
        DlpResult result = DlpTemplates.builtIn(DlpTemplates.EMAIL_LIST).scan(text, Deadlines.in(20_000));
        assertTrue(result.truncated());
        assertFalse(result.timedOut());
        assertEquals(DlpTemplates.COUNT_CAP, result.count());
        assertEquals(DlpTemplates.MAX_SAMPLES, result.samples().size());
    }

    @Test
    void inputAtTheLimitIsNotFlagged() {
        String text = "x".repeat(ContentLimits.DEFAULT_MAX_CHARS);
        for (DlpResult result : scanAll(text)) {
            assertTrue(result.complete(), result.template());
        }
    }

    @Test
    void everyTemplateReportsAnExpiredDeadlineAsTimedOut() {
        for (DlpTemplate template : all()) {
            DlpResult result = template.scan("4111 1111 1111 1111 card number", Deadlines.expired());
            assertTrue(result.timedOut(), template.id());
            assertFalse(result.hit(), template.id());
        }
    }

    @Test
    void everyTemplateStopsMidScanWhenTheDeadlinePasses() {
        String text = "4111 1111 1111 1111 alice@example.com +44 20 7946 0958 card number ".repeat(10_000);
        for (DlpTemplate template : all()) {
            DlpResult result = template.scan(new SlowText(text, 300_000, 40), Deadlines.in(10));
            assertTrue(result.timedOut(), template.id());
        }
    }
}
