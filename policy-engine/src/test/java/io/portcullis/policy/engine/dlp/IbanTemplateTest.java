package io.portcullis.policy.engine.dlp;

import static io.portcullis.policy.engine.dlp.DlpAssertions.count;
import static io.portcullis.policy.engine.dlp.DlpAssertions.scan;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class IbanTemplateTest {

    private static final String ID = DlpTemplates.IBAN;

    @ParameterizedTest
    @ValueSource(strings = {
        "GB82 WEST 1234 5698 7654 32", "GB82WEST12345698765432", "DE89 3704 0044 0532 0130 00",
        "DE89370400440532013000", "FR14 2004 1010 0505 0001 3M02 606", "NL91 ABNA 0417 1643 00",
        "BE68 5390 0754 7034", "CH93 0076 2011 6238 5295 7", "IT60 X054 2811 1010 0000 0123 456",
        "ES91 2100 0418 4502 0005 1332", "NO93 8601 1117 947", "AT61 1904 3002 3457 3201",
        "PL61 1090 1014 0000 0712 1981 2874", "MT84 MALT 0110 0001 2345 MTLC AST0 01S"
    })
    void findsValidIbans(String iban) {
        String compact = iban.replace(" ", "");
        assertEquals(1, IbanTemplate.mod97(compact), iban);
        assertEquals(IbanTemplate.LENGTHS.get(compact.substring(0, 2)), compact.length(), iban);
        assertEquals(1, count(ID, "Please pay to " + iban + ", thanks"), iban);
    }

    @Test
    void rejectsABadChecksum() {
        assertEquals(0, count(ID, "GB83 WEST 1234 5698 7654 32 / DE89 3704 0044 0532 0130 01"));
    }

    @Test
    void rejectsTheWrongLengthForTheCountry() {
        // valid-looking German IBAN with one digit too few / too many
        assertEquals(0, count(ID, "DE89 3704 0044 0532 0130 0"));
        assertEquals(0, count(ID, "DE89370400440532013000123"));
    }

    @Test
    void rejectsUnknownCountriesAndBadSpacing() {
        assertEquals(0, count(ID, "ZZ82 WEST 1234 5698 7654 32"));
        assertEquals(0, count(ID, "GB82 WE ST12 3456 9876 5432"));
        assertEquals(0, count(ID, "XGB82WEST12345698765432"));
    }

    @Test
    void coversAllSepaCountries() {
        Set<String> sepa = Set.of("AD", "AL", "AT", "BE", "BG", "CH", "CY", "CZ", "DE", "DK", "EE", "ES", "FI", "FR",
                "GB", "GI", "GR", "HR", "HU", "IE", "IS", "IT", "LI", "LT", "LU", "LV", "MC", "MD", "ME", "MK", "MT",
                "NL", "NO", "PL", "PT", "RO", "RS", "SE", "SI", "SK", "SM", "VA");
        assertTrue(IbanTemplate.LENGTHS.keySet().containsAll(sepa));
    }

    @Test
    void redactsToCountryCodeAndLastFour() {
        DlpResult result = scan(ID, "GB82 WEST 1234 5698 7654 32 and DE89370400440532013000");
        assertEquals(List.of("GB**5432", "DE**3000"), result.samples().stream().map(DlpMatch::redacted).toList());
        DlpAssertions.assertNoSampleLeaks(result, "GB82WEST12345698765432");
        DlpAssertions.assertNoSampleLeaks(result, "DE89370400440532013000");
    }
}
