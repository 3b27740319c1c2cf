package io.portcullis.policy.engine.dlp;

import static io.portcullis.policy.engine.dlp.DlpAssertions.count;
import static io.portcullis.policy.engine.dlp.DlpAssertions.scan;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class PhoneListTemplateTest {

    private static final String ID = DlpTemplates.PHONE_LIST;

    @ParameterizedTest
    @ValueSource(strings = {"+44 20 7946 0958", "+1 (555) 123-4567", "+4915112345678", "+33 6 12 34 56 78",
        "(555) 123-4567", "555-123-4567", "555.123.4567", "020 7946 0958", "06 12 34 56 78", "1-800-555-0199",
        "030/1234567", "555-1234", "0044 20 7946 0958"})
    void findsCommonFormats(String phone) {
        assertEquals(1, count(ID, "call " + phone + " today"), phone);
    }

    @ParameterizedTest
    @ValueSource(strings = {"2024-01-15", "15.01.2024", "123-45-6789", "192.168.100.200", "3.14159265",
        "1 234 567", "12345678", "+123456", "+1234567890123456", "3782-822463-10005",
        "1234 5698 7654 32"})
    void ignoresDatesIdsAndOtherNumbers(String notAPhone) {
        assertEquals(0, count(ID, "value " + notAPhone + " here"), notAPhone);
    }

    @Test
    void countsDistinctNumbersByDigits() {
        assertEquals(2, count(ID, "555-123-4567, (555) 123-4567, 555.123.4567, +1 555 123 4567"));
    }

    @Test
    void ignoresNumbersTouchingLettersOrDigits() {
        assertEquals(0, count(ID, "x555-123-4567 555-123-4567y"));
    }

    @Test
    void redactsAllButTheLastTwoDigits() {
        DlpResult result = scan(ID, "+44 20 7946 0958 and (555) 123-4567");
        assertEquals(List.of("+**********58", "********67"),
                result.samples().stream().map(DlpMatch::redacted).toList());
        DlpAssertions.assertNoSampleLeaks(result, "442079460958");
        DlpAssertions.assertNoSampleLeaks(result, "5551234567");
    }
}
