package io.portcullis.spam.rules;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Malformed and hostile rule files: every problem is reported as file:line and the file is refused whole. */
class RuleFileParserTest {

    private static List<String> errors(String... files) {
        return assertThrows(RuleFileException.class, () -> RuleSetTest.set(files)).errors();
    }

    private static void assertOneError(String expectedPrefix, String file) {
        List<String> e = errors(file);
        assertEquals(1, e.size(), e.toString());
        assertTrue(e.get(0).startsWith(expectedPrefix), e.get(0));
    }

    @Test
    void commentsBlankLinesAndEveryDirectiveParse() throws Exception {
        RuleSet s = RuleSetTest.set("""
                # a comment

                header   A  Subject =~ /x/i
                header   B  From:addr !~ /y/
                header   __C exists:Date
                body     D  /z/ms
                rawbody  E  /<b>/
                uri      F  /\\.example$/
                full     G  /^Received:/m
                meta     H  (A + B + D) >= 2 || !__C
                score    H  2.5
                describe H  two of three
                """);
        assertEquals(8, s.ruleCount());
    }

    @Test
    void unknownDirectiveIsAnErrorWithFileAndLine() {
        assertOneError("f1.cf:2: unknown directive 'tflags'", "body A /x/\ntflags A multiple\n");
    }

    @Test
    void badRuleNamesAreRefused() {
        assertOneError("f1.cf:1: bad rule name 'lower'", "body lower /x/\n");
        assertOneError("f1.cf:1: 'body' needs a rule name", "body\n");
    }

    @Test
    void badPatternsNameTheLine() {
        assertOneError("f1.cf:3: bad pattern /(?=x)/", "body A /a/\n\nbody B /(?=x)/\n");
        assertOneError("f1.cf:1: bad pattern /(\\1)/", "body A /(\\1)/\n");
        assertOneError("f1.cf:1: a pattern is written /pattern/flags", "body A x\n");
        assertOneError("f1.cf:1: pattern '/abc' has no closing /", "body A /abc\n");
        assertOneError("f1.cf:1: unknown pattern flags 'g'", "body A /abc/g\n");
        assertOneError("f1.cf:1: empty pattern", "body A //\n");
        assertOneError("f1.cf:1: expected 'Header =~ /pattern/flags'", "header A Subject ~= /x/\n");
        assertOneError("f1.cf:1: ALL takes no :addr modifier", "header A ALL:addr =~ /x/\n");
    }

    @Test
    void scoreAndDescribeProblems() {
        assertOneError("f1.cf:1: score for undefined rule NOPE", "score NOPE 1\n");
        assertOneError("f1.cf:2: score needs exactly one number", "body A /x/\nscore A 1 2 3 4\n");
        assertOneError("f1.cf:2: score 'lots' is not a number", "body A /x/\nscore A lots\n");
        assertOneError("f1.cf:2: score '1e9' is not a number", "body A /x/\nscore A 1e9\n");
        assertOneError("f1.cf:2: sub-rule __A cannot have a score", "body __A /x/\nscore __A 1\n");
        assertOneError("f1.cf:3: score of A given twice", "body A /x/\nscore A 1\nscore A 2\n");
        assertOneError("f1.cf:1: description for undefined rule B", "describe B text\n");
        assertOneError("f1.cf:2: describe needs a text", "body A /x/\ndescribe A\n");
    }

    @Test
    void metaProblems() {
        assertOneError("f1.cf:1: meta A refers to undefined rule B", "meta A B && !C_X\nbody C_X /x/\n");
        assertOneError("f1.cf:1: meta A refers to itself", "meta A A || B\nbody B /x/\n");
        assertOneError("f1.cf:1: unknown fact 'colour'", "meta A colour > 1\n");
        assertOneError("f1.cf:1: missing ')'", "body B /x/\nmeta A (B\n".substring(11));
        assertOneError("f1.cf:1: unexpected character '&'", "meta A B & C\n");
        assertOneError("f1.cf:1: meta expression nested deeper", "meta A " + "!".repeat(200) + "1\n");
        List<String> cycle = errors("meta A B\nmeta B C\nmeta C A\n");
        assertTrue(cycle.get(0).matches("f1\\.cf:\\d: meta rules refer to each other in a cycle: .*"), cycle.toString());
    }

    @Test
    void duplicateDefinitionInOneFileIsAnErrorButALaterFileMayRedefine() throws Exception {
        assertOneError("f1.cf:2: rule A is defined twice in this file", "body A /x/\nbody A /y/\n");
        assertEquals(1, RuleSetTest.set("body A /x/\n", "body A /y/\n").ruleCount());
    }

    @Test
    void everyErrorOfEveryFileIsReportedAndNothingIsCompiled() {
        List<String> e = errors("body A /x/\nbogus A\nbody B /(/\n", "score NOPE 1\nbody ok /x/\n");
        assertEquals(List.of("f1.cf:2", "f1.cf:3", "f2.cf:2", "f2.cf:1"),
                e.stream().map(s -> s.substring(0, s.indexOf(": "))).toList(), e.toString());
    }

    @Test
    void hostileRepetitionIsRefusedBeforeCompiling() {
        assertTimeoutPreemptively(Duration.ofSeconds(5), () -> {
            assertOneError("f1.cf:1: pattern /(a{1000}){1000}/ is too large", "body A /(a{1000}){1000}/\n");
            assertOneError("f1.cf:1: pattern /((a{100}){100}){100}/ is too large", "body A /((a{100}){100}){100}/\n");
            assertOneError("f1.cf:1: bad pattern /a{1001}/", "body A /a{1001}/\n");
        });
        assertTrue(RegexCost.estimate("[a-z]{1000}") <= RegexCost.MAX);
        assertTrue(RegexCost.estimate("(?:x|y){2,5}[^\\]]{0,30}\\p{L}+") < 100);
    }

    @Test
    void oversizedAndBinaryFilesAreRefused() {
        assertOneError("f1.cf:1: binary file", "body A /x/\n\0\n");
        assertOneError("f1.cf:1: line longer than", "body A /" + "x".repeat(RuleFileParser.MAX_LINE_CHARS) + "/\n");
        assertOneError("f1.cf:1: pattern longer than", "body A /" + "x".repeat(RuleFileParser.MAX_PATTERN_CHARS + 1)
                + "/\n");
        assertOneError("f1.cf:1: file larger than", "#".repeat(RuleFileParser.MAX_FILE_CHARS + 1));
        List<String> many = errors("bogus\n".repeat(500));
        assertEquals(RuleFileParser.MAX_ERRORS + 1, many.size());
    }
}
