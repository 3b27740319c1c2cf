package io.portcullis.policy.engine.dlp;

import static io.portcullis.policy.engine.dlp.DlpAssertions.count;
import static io.portcullis.policy.engine.dlp.DlpAssertions.scan;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class UsSsnTemplateTest {

    private static final String ID = DlpTemplates.US_SSN;

    @Test
    void findsDashedAndSpacedNumbers() {
        assertEquals(2, count(ID, "Employee 123-45-6789, spouse 219 09 9999."));
    }

    @ParameterizedTest
    @ValueSource(strings = {"000-12-3456", "666-12-3456", "900-12-3456", "999-12-3456", "123-00-4567",
        "123-45-0000"})
    void rejectsImpossibleAreasGroupsAndSerials(String ssn) {
        assertEquals(0, count(ID, "SSN " + ssn));
    }

    @Test
    void rejectsMixedSeparatorsAndLongerNumbers() {
        assertEquals(0, count(ID, "123-45 6789"));
        assertEquals(0, count(ID, "1123-45-6789 123-45-67890 9-123-45-6789 123-45-6789-1"));
    }

    @Test
    void acceptsNineDigitsOnlyNearAKeyword() {
        assertEquals(0, count(ID, "Invoice 123456789 is due"));
        assertEquals(1, count(ID, "SSN: 123456789"));
        assertEquals(1, count(ID, "123456789 is my social security number"));
        assertEquals(1, count(ID, "ss# 123456789"));
        assertEquals(0, count(ID, "lessn 123456789"));
    }

    @Test
    void keywordMustBeWithinFiftyCharacters() {
        assertEquals(1, count(ID, "ssn" + " ".repeat(UsSsnTemplate.KEYWORD_WINDOW - 3) + "123456789"));
        assertEquals(0, count(ID, "ssn" + " ".repeat(UsSsnTemplate.KEYWORD_WINDOW) + "123456789"));
    }

    @Test
    void ignoresNineDigitsInsideLongerRuns() {
        assertEquals(0, count(ID, "ssn 1234567890 and 0123456789"));
    }

    @Test
    void redactsAllButTheSerial() {
        DlpResult result = scan(ID, "123-45-6789 and ssn 219099999");
        assertEquals(List.of("***-**-6789", "***-**-9999"),
                result.samples().stream().map(DlpMatch::redacted).toList());
        DlpAssertions.assertNoSampleLeaks(result, "123456789");
        DlpAssertions.assertNoSampleLeaks(result, "219099999");
    }
}
