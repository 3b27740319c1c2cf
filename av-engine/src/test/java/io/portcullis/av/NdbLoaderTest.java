package io.portcullis.av;

import static io.portcullis.av.TestSets.ndb;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;

class NdbLoaderTest {

    @Test
    void loadsValidLinesWithOptionalFlevels() throws Exception {
        SignatureSet set = ndb("A:0:*:41424344", "B:0:10:4142??44:51", "C:1:EOF-4:41424344:51:255", "# comment", "",
            "D:0:EP+10:4142(43|44)45");
        assertEquals(4, set.stats().bodySignatures());
        assertEquals(4, set.loadReport().signaturesByFormat().get("ndb"));
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = ';', value = {
        "bad hex;X:0:*:4142zz44;bad hex character 'z'",
        "odd nibbles;X:0:*:4142434;odd number of hex digits",
        "empty name;:0:*:41424344;empty signature name",
        "bad target;X:x:*:41424344;bad target type",
        "bad offset;X:0:EOF+3:41424344;bad offset 'EOF+3'",
        "bad offset word;X:0:here:41424344;bad offset 'here'",
        "bad gap min>max;X:0:*:4142{5-2}4344;minimum greater than maximum",
        "bad gap text;X:0:*:4142{a}4344;bad gap {a}",
        "unclosed gap;X:0:*:4142{5;unclosed '{'",
        "unbalanced open;X:0:*:4142(43|44;unbalanced parentheses",
        "unbalanced close;X:0:*:414243)44;unbalanced ')'",
        "nested;X:0:*:4142((43|44)|45);nested parentheses",
        "different alt lengths;X:0:*:4142(43|4445);different lengths",
        "too short anchor;X:0:*:41??42??43;longest fixed fragment is 1 byte(s)",
        "short part anchor;X:0:*:41424344*45;longest fixed fragment of part 2 is 1 byte(s)",
        "leading gap;X:0:*:*41424344;must not start",
        "trailing gap;X:0:*:41424344{2-3};must not end",
        "too few fields;X:0:41424344;found 3 field(s)",
        "bad flevel;X:0:*:41424344:abc;bad functionality level",
        "negation;X:0:*:4142!(43|44)4546;not yet supported",
        "empty body;X:0:*:;empty hex signature",
    })
    void rejectsMalformedLineNamingFileAndLine(String what, String line, String expected) {
        SignatureLoadException e = assertThrows(SignatureLoadException.class,
            () -> ndb("OK:0:*:41424344", line));
        assertEquals("test.ndb", e.database());
        assertEquals(2, e.line());
        assertTrue(e.getMessage().startsWith("test.ndb:2: "), e.getMessage());
        assertTrue(e.getMessage().contains(expected), what + " -> " + e.getMessage());
    }

    @Test
    void lenientModeCollectsErrorsAndKeepsGoodLines() throws Exception {
        String db = "A:0:*:41424344\nB:0:*:41zz\nC:0:*:45464748\nD:0:*:41\n";
        SignatureSet set = SignatureSet.builder(LoadOptions.collectErrors())
            .load("big.ndb", db.getBytes(StandardCharsets.ISO_8859_1)).build();
        assertEquals(2, set.stats().bodySignatures());
        assertEquals(2, set.loadReport().errors().size());
        assertEquals(2, set.loadReport().errors().get(0).line());
        assertEquals(4, set.loadReport().errors().get(1).line());
    }

    @Test
    void unsupportedFormatIsReportedNotCrashed() throws Exception {
        SignatureSet set = SignatureSet.builder(LoadOptions.strictOptions())
            .load("x.cdb", "Sig:CL_TYPE_ZIP:*:*:*:*:*:*:*:*".getBytes(StandardCharsets.ISO_8859_1)).build();
        assertEquals(1, set.loadReport().unsupported().size());
        assertTrue(set.loadReport().unsupported().get(0).startsWith("x.cdb: "));
    }
}
