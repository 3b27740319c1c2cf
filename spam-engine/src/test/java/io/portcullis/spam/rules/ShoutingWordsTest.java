package io.portcullis.spam.rules;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * The {@code shouting_words} fact ({@link MessageFacts#shoutingWords}) is exactly the pattern it replaced: {@code
 * shouting_words >= n} holds when and only when RE2/J finds {@code (?:\b[A-Z]{3,}\b[^a-z\n]{0,3}){n}}.
 */
class ShoutingWordsTest {

    @Test
    void countsRunsOfCapitalWordsOnOneLine() {
        assertEquals(0, MessageFacts.shoutingWords(""));
        assertEquals(0, MessageFacts.shoutingWords("AB CD ordinary text"));
        assertEquals(3, MessageFacts.shoutingWords("BUY NOW!! CHEAP pills"));
        assertEquals(2, MessageFacts.shoutingWords("BUY NOW!!! CHEAP pills"), "a 4-character gap breaks the run");
        assertEquals(2, MessageFacts.shoutingWords("FREE 5 OFFER"), "one short word in a 3-character gap");
        assertEquals(1, MessageFacts.shoutingWords("FREE AB OFFER"), "a two-letter word breaks the run");
        assertEquals(1, MessageFacts.shoutingWords("FREE\nOFFER"), "a line break breaks the run");
        assertEquals(1, MessageFacts.shoutingWords("FREE x OFFER"), "a small letter breaks the run");
        assertEquals(1, MessageFacts.shoutingWords("FREE1 OFFER"), "a word with a digit is not shouted");
        assertEquals(2, MessageFacts.shoutingWords("FREE \uD83D\uDE00 OFFER"), "code points, not chars");
        assertEquals(1, MessageFacts.shoutingWords("FREE \uD83D\uDE00\uD83D\uDE00 OFFER"));
    }

    @Test
    void agreesWithThePatternOnRandomText() {
        String[] pieces = {"ABC", "FREE", "AB", "A", "x", "abc", " ", "  ", "!", "-", "\n", "5", "_", "é", "É",
            "\uD83D\uDE00", "\uD800", "\uDC00", "OK1", "\t", "$$"};
        Random rnd = new Random(12);
        int hits = 0;
        for (int t = 0; t < 20_000; t++) {
            StringBuilder sb = new StringBuilder();
            int len = rnd.nextInt(60);
            for (int i = 0; i < len; i++) {
                // mostly capital words and short gaps, so long runs are common
                sb.append(rnd.nextInt(3) == 0 ? pieces[rnd.nextInt(pieces.length)] : rnd.nextBoolean() ? "ABCD" : " ");
            }
            String text = sb.toString();
            int n = 1 + rnd.nextInt(8);
            boolean pattern = com.google.re2j.Pattern.compile("(?:\\b[A-Z]{3,}\\b[^a-z\\n]{0,3}){" + n + "}")
                    .matcher(text).find();
            assertEquals(pattern, MessageFacts.shoutingWords(text) >= n, n + " in [" + text + "]");
            hits += pattern ? 1 : 0;
        }
        assertTrue(hits > 2_000 && hits < 18_000, "the random texts exercise both answers: " + hits);
    }

    @Test
    void isAFactOfTheBodyText() {
        String mail = "Subject: hi\r\n\r\nACT NOW AND GET YOUR FREE PILLS TODAY FROM OUR ONLINE STORE WITH BIG SAVINGS\r\n";
        ParsedMessage m = ParsedMessage.parse(mail.getBytes(StandardCharsets.US_ASCII), RuleLimits.DEFAULT);
        assertEquals(15, m.fact("shouting_words"));
    }
}
