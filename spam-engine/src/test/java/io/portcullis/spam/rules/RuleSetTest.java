package io.portcullis.spam.rules;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Each directive, scores, overrides and meta rules, on small messages. */
class RuleSetTest {

    static RuleSet set(String... files) throws RuleFileException {
        List<RuleSource> sources = new java.util.ArrayList<>();
        for (int i = 0; i < files.length; i++) {
            sources.add(new RuleSource("f" + (i + 1) + ".cf", files[i]));
        }
        return RuleSet.compile(sources, RuleLimits.DEFAULT);
    }

    static List<String> hits(RuleSet s, String message) {
        return s.evaluate(message.getBytes(StandardCharsets.UTF_8)).hits().stream().map(RuleHit::name).toList();
    }

    static final String PLAIN = """
            From: "Ann Example" <ann@example.test>
            To: bob@example.test
            Subject: =?UTF-8?B?RlJFRSBtb25leQ==?=
            Message-ID: <abc@example.test>
            Date: Mon, 1 Jan 2024 10:00:00 +0000
            Content-Type: text/plain; charset=utf-8

            Hello Bob, see http://bit.ly/x and www.example.org/page for details.
            """;

    @Test
    void headerRuleMatchesTheDecodedValueWithCaseInsensitiveName() throws Exception {
        RuleSet s = set("header SUBJ_FREE subject =~ /^FREE money$/\nheader SUBJ_RAW Subject:raw =~ /=\\?UTF-8\\?B\\?/\n"
                + "header SUBJ_RAW_DECODED Subject:raw =~ /FREE/\n");
        assertEquals(List.of("SUBJ_FREE", "SUBJ_RAW"), hits(s, PLAIN));
    }

    @Test
    void negatedHeaderRuleHitsWhenTheHeaderIsMissingOrDoesNotMatch() throws Exception {
        RuleSet s = set("header NO_LIST List-Id !~ /./\nheader NOT_ANN From !~ /Ann/\nheader HAS_DATE exists:date\n"
                + "header HAS_XYZ exists:X-Yz\n");
        assertEquals(List.of("NO_LIST", "HAS_DATE"), hits(s, PLAIN));
    }

    @Test
    void addressAndDisplayNameModifiers() throws Exception {
        RuleSet s = set("header ADDR From:addr =~ /^ann@example\\.test$/\nheader NAME From:name =~ /^Ann Example$/\n"
                + "header TO_ADDR To:addr =~ /^bob@example\\.test$/\nheader ALL_H ALL =~ /^Message-ID: <abc@/m\n");
        assertEquals(List.of("ADDR", "NAME", "TO_ADDR", "ALL_H"), hits(s, PLAIN));
    }

    @Test
    void bodyRuleSeesSubjectDecodedTextAndHtmlRenderedToText() throws Exception {
        String b64 = Base64.getMimeEncoder().encodeToString("Buy cheap watches today".getBytes(StandardCharsets.UTF_8));
        String msg = "Subject: Offer\nMIME-Version: 1.0\nContent-Type: multipart/alternative; boundary=XX\n\n"
                + "--XX\nContent-Type: text/plain\nContent-Transfer-Encoding: base64\n\n" + b64 + "\n"
                + "--XX\nContent-Type: text/html\n\n<p>Act <b>now</b> or <i>never</i></p><a href=\"http://h.example/x\">"
                + "go</a>\n--XX--\n";
        RuleSet s = set("body SUBJ_IN_BODY /^Offer$/m\nbody TEXT_DECODED /cheap watches/\n"
                + "body HTML_RENDERED /Act now or never/\nbody NO_TAGS /<b>/\nrawbody RAW_TAGS /Act <b>now<\\/b>/\n"
                + "rawbody RAW_NOT_B64 /cheap watches/\n");
        assertEquals(List.of("SUBJ_IN_BODY", "TEXT_DECODED", "HTML_RENDERED", "RAW_TAGS", "RAW_NOT_B64"),
                hits(s, msg));
    }

    @Test
    void uriRuleSeesTextUrlsAndHtmlLinks() throws Exception {
        String msg = "Subject: x\nContent-Type: text/html\n\n<a href=\"http://198.51.100.7/login\">here</a>"
                + "<img src=\"https://img.example/p.gif\"> text www.example.org/a\n";
        RuleSet s = set("uri IP /^https?:\\/\\/\\d+\\.\\d+\\.\\d+\\.\\d+\\//\nuri IMG /img\\.example/\n"
                + "uri WWW /^www\\.example\\.org/\nuri NONE /nothing\\.example/\n");
        assertEquals(List.of("IP", "IMG", "WWW"), hits(s, msg));
        assertEquals(List.of("SHORT"), hits(set("uri SHORT /^http:\\/\\/bit\\.ly\\//"), PLAIN));
    }

    @Test
    void fullRuleSeesTheRawMessage() throws Exception {
        RuleSet s = set("full RAW_B64 /=\\?UTF-8\\?B\\?RlJFRSBtb25leQ==\\?=/\nfull CRLF_FREE /\\r/\n");
        assertEquals(List.of("RAW_B64"), hits(s, PLAIN));
    }

    @Test
    void metaRulesCombineHitsWithArithmeticComparisonsAndLogic() throws Exception {
        String rules = """
                body __A /Hello/
                body __B /Bob/
                body __C /absent/
                meta TWO_OF_THREE (__A + __B + __C) >= 2
                meta ALL_THREE __A && __B && __C
                meta A_NOT_C __A && !__C
                meta NESTED (__A || __C) && !(__B && __C) && 2 * __A - 1 == 1
                meta FACT text_parts == 1 && html_parts < 1 && !html_only && uri_count >= 2
                """;
        assertEquals(List.of("TWO_OF_THREE", "A_NOT_C", "NESTED", "FACT"), hits(set(rules), PLAIN));
    }

    @Test
    void defaultScoreSubRulesAndScoreZero() throws Exception {
        RuleSet s = set("body __SUB /Hello/\nbody PLAIN_HIT /Hello/\nbody OFF /Hello/\nscore OFF 0\n"
                + "meta USES_OFF OFF && __SUB\nscore USES_OFF 2.5\ndescribe USES_OFF uses a disabled rule\n");
        RuleResult r = s.evaluate(PLAIN.getBytes(StandardCharsets.UTF_8));
        assertEquals(List.of(new RuleHit("PLAIN_HIT", RuleSet.DEFAULT_SCORE, null),
                new RuleHit("USES_OFF", 2.5, "uses a disabled rule")), r.hits());
        assertEquals(3.5, r.score(), 1e-9);
        assertEquals(4, s.ruleCount());
        assertEquals(2, s.scoredRuleCount());
        assertEquals(0, s.score("__SUB"));
        assertTrue(Double.isNaN(s.score("UNKNOWN")));
    }

    @Test
    void laterFilesOverrideScoresAndDefinitionsAndNegativeScoresCount() throws Exception {
        RuleSet s = set("body GREETING /Hello/\nscore GREETING 3\nbody BYE /Bye/\n",
                "score GREETING -1.5\ndescribe GREETING friendly\nbody BYE /details/\n");
        RuleResult r = s.evaluate(PLAIN.getBytes(StandardCharsets.UTF_8));
        assertEquals(List.of(new RuleHit("GREETING", -1.5, "friendly"), new RuleHit("BYE", 1.0, null)), r.hits());
        assertEquals(-0.5, r.score(), 1e-9);
        assertEquals(List.of("f1.cf", "f2.cf"), s.files());
    }

    @Test
    void hashAndVersionFollowTheContent() throws Exception {
        RuleSet a = set("body A /x/\n");
        assertEquals(a.hash(), set("body A /x/\n").hash());
        assertNotEquals(a.hash(), set("body A /y/\n").hash());
        assertTrue(a.version().matches("rules-[0-9a-f]{12}"));
        assertEquals(a.hash(), RuleSet.hashOf(List.of(new RuleSource("f1.cf", "body A /x/\n"))));
    }

    @Test
    void htmlFactsTinyTextInvisibleTextAndMismatchedLinks() throws Exception {
        String msg = "Subject: x\nContent-Type: text/html\n\n<html><body><img src=\"http://i.example/a.png\">"
                + "<div style=\"display: none\">" + "hidden words ".repeat(10) + "</div>"
                + "<a href=\"http://evil.example/p\">https://www.bank.example/login</a>"
                + "<a href=\"http://www.shop.example/x\">www.shop.example</a></body></html>\n";
        ParsedMessage m = ParsedMessage.parse(msg.getBytes(StandardCharsets.UTF_8), RuleLimits.DEFAULT);
        assertEquals(1, m.fact("html_only"));
        assertEquals(1, m.fact("html_images"));
        assertEquals(1, m.fact("html_link_mismatch"));
        assertTrue(m.fact("html_invisible_chars") >= 100, "invisible " + m.fact("html_invisible_chars"));
        assertEquals(0, m.fact("text_parts"));
        RuleSet s = set("meta TINY html_only && html_text_chars < 400 && html_images > 0\n"
                + "meta HIDDEN html_invisible_chars > 40\nmeta MISMATCH html_link_mismatch > 0\n");
        assertEquals(List.of("TINY", "HIDDEN", "MISMATCH"), hits(s, msg));
    }

    @Test
    void attachmentsAreCountedAndNotReadAsText() throws Exception {
        String msg = "Subject: x\nContent-Type: multipart/mixed; boundary=B\n\n--B\nContent-Type: text/plain\n\nhi\n"
                + "--B\nContent-Type: application/pdf; name=\"a.pdf\"\nContent-Transfer-Encoding: base64\n\n"
                + Base64.getEncoder().encodeToString("secret pdf words".getBytes(StandardCharsets.UTF_8))
                + "\n--B--\n";
        ParsedMessage m = ParsedMessage.parse(msg.getBytes(StandardCharsets.UTF_8), RuleLimits.DEFAULT);
        assertEquals(1, m.fact("attachments"));
        assertFalse(m.body().contains("secret pdf"));
        assertFalse(m.partial());
    }

    @Test
    void bayesBucketsMirrorTheScannerTable() {
        assertEquals(-1.5, BayesBuckets.score(0.0));
        assertEquals(0.0, BayesBuckets.score(0.5));
        assertEquals(1.0, BayesBuckets.score(0.51));
        assertEquals(4.5, BayesBuckets.score(0.9));
        assertEquals(5.0, BayesBuckets.score(0.989));
        assertEquals(5.5, BayesBuckets.score(0.99));
        assertEquals("BAYES_99", BayesBuckets.name(1.0));
    }

    @Test
    void emptySetHitsNothing() throws Exception {
        RuleResult r = RuleSet.compile(List.of(), RuleLimits.DEFAULT).evaluate(new byte[0]);
        assertTrue(r.hits().isEmpty());
        assertEquals(0, r.score());
        assertNull(assertThrows(IllegalArgumentException.class, () -> new RuleLimits(0, 1, 1, 1, 1, 1, 1))
                .getCause());
    }
}
