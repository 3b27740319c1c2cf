package io.portcullis.spam.rules;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Oversized, malformed and hostile messages: bounded time and memory, never an exception but a timeout. */
class HostileInputTest {

    private static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.ISO_8859_1);
    }

    @Test
    void patternsThatBacktrackCatastrophicallyElsewhereRunInLinearTime() throws Exception {
        RuleSet s = RuleSetTest.set("body NESTED /(a*)*b/\nbody ALT /(a|aa)*c/\nbody PLUS /(x+x+)+y/\n"
                + "rawbody DOTS /(.*a){20}z/\n");
        byte[] msg = bytes("Subject: x\n\n" + "a".repeat(200_000) + "\n");
        assertTimeoutPreemptively(Duration.ofSeconds(20), () -> {
            RuleResult r = s.evaluate(msg);
            assertTrue(r.hits().isEmpty());
        });
    }

    @Test
    void deadlineStopsEvaluationWithATimeoutInsteadOfAResult() throws Exception {
        RuleSet s = RuleSetTest.set("body SLOW /(a{100}){29}b/\nbody SLOW2 /(a{100}){29}c/\n");
        byte[] msg = bytes("Subject: x\n\n" + "a".repeat(250_000) + "\n");
        assertThrows(RuleTimeoutException.class, () -> s.evaluate(msg, System.nanoTime() + 1_000_000));
        assertThrows(RuleTimeoutException.class, () -> s.evaluate(msg, System.nanoTime() - 1));
    }

    @Test
    void oversizedMessageIsCutAndMarkedPartial() throws Exception {
        RuleSet s = RuleSetTest.set("body EARLY /early/\nbody LATE /late-marker/\nfull LATE_FULL /late-marker/\n");
        String big = "Subject: x\n\nearly\n" + "filler text ".repeat(200_000) + "late-marker\n";
        RuleResult r = s.evaluate(bytes(big));
        assertEquals(List.of("EARLY"), r.hits().stream().map(RuleHit::name).toList());
        assertTrue(r.partial());
    }

    @Test
    void hugeHeadersManyUrisAndDeepMimeAreBounded() throws Exception {
        StringBuilder m = new StringBuilder("Subject: " + "S".repeat(1_000_000) + "\nX-Fold: a\n");
        for (int i = 0; i < 5000; i++) {
            m.append("  continued ").append(i).append('\n');
        }
        m.append("Content-Type: multipart/mixed; boundary=b0\n\n");
        for (int d = 0; d < 200; d++) {
            m.append("--b").append(d).append("\nContent-Type: multipart/mixed; boundary=b").append(d + 1).append("\n\n");
        }
        m.append("--b200\nContent-Type: text/plain\n\n");
        for (int i = 0; i < 5000; i++) {
            m.append("http://u").append(i).append(".example/ ");
        }
        ParsedMessage p = ParsedMessage.parse(bytes(m.toString()), RuleLimits.DEFAULT);
        assertTrue(p.header("Subject").length() <= RuleLimits.DEFAULT.maxHeaderChars());
        assertTrue(p.header("X-Fold").length() <= RuleLimits.DEFAULT.maxHeaderChars());
        assertTrue(p.uris().size() <= RuleLimits.DEFAULT.maxUris());
        assertTrue(p.body().length() <= RuleLimits.DEFAULT.maxTextChars());
        assertTrue(p.partial());
        RuleSet s = RuleSetTest.set("header CAPS Subject =~ /^S+$/\nheader FOLD X-Fold =~ /continued 4999/\n");
        assertTimeoutPreemptively(Duration.ofSeconds(20), () -> assertEquals(List.of("CAPS"),
                s.evaluate(bytes(m.toString())).hits().stream().map(RuleHit::name).toList()));
        StringBuilder links = new StringBuilder("Subject: x\n\n");
        for (int i = 0; i < 5000; i++) {
            links.append("http://u").append(i).append(".example/ ");
        }
        ParsedMessage l = ParsedMessage.parse(bytes(links.toString()), RuleLimits.DEFAULT);
        assertEquals(RuleLimits.DEFAULT.maxUris(), l.uris().size());
        assertEquals("http://u0.example/", l.uris().get(0));
        assertTrue(l.partial());
    }

    @Test
    void malformedMessagesNeverThrow() throws Exception {
        RuleSet s = RuleSetTest.set("body ANY /./\nheader H exists:Subject\nuri U /./\n");
        for (String m : List.of("", "\n\n\n", "no header at all", ":\n:\n\n", "Subject\n\nbody",
                "Content-Type: multipart/mixed; boundary=\n\n--\n--\n", "Content-Type: text/html\n\n<<<a href=>>>",
                "Content-Type: text/plain; charset=no-such-charset\n\n\u00ff\u00fe",
                "Content-Transfer-Encoding: base64\n\n!!!!====", "From x\nSubject: y\n\n\0\0\0",
                "Content-Type: text/html\n\n<a href=\"http://[bad/\">http://x.example/</a>")) {
            RuleResult r = s.evaluate(bytes(m));
            assertFalse(r.hits().isEmpty() && r.hits().size() > 3);
        }
    }

    @Test
    void addressModifiersCopeWithOddAddressHeaders() {
        String m = "From: \"Last, First\" <a@b.example>, other@c.example\nTo: (Comment Name) d@e.example\n"
                + "Cc: <>\nReply-To: plain@f.example\n\n";
        ParsedMessage p = ParsedMessage.parse(bytes(m), RuleLimits.DEFAULT);
        assertEquals("a@b.example", p.address("From"));
        assertEquals("Last, First", p.displayName("From"));
        assertEquals("d@e.example", p.address("To"));
        assertEquals("Comment Name", p.displayName("To"));
        assertEquals("", p.address("Cc"));
        assertEquals("plain@f.example", p.address("Reply-To"));
        assertEquals("", p.address("Sender"));
    }
}
