package io.portcullis.policy.engine.dlp;

import static io.portcullis.policy.engine.dlp.DlpAssertions.count;
import static io.portcullis.policy.engine.dlp.DlpAssertions.scan;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

class CreditCardTemplateTest {

    private static final String ID = DlpTemplates.CREDIT_CARD;

    @ParameterizedTest
    @ValueSource(strings = {
        "4111111111111111", "4012888888881881", "4222222222222", // Visa 16 and 13
        "5555555555554444", "5105105105105100", "2223003122003222", // Mastercard 5x and 2-series
        "378282246310005", "371449635398431", // Amex
        "6011111111111117", "6011000990139424", // Discover
        "3530111333300000", "3566002020360505", // JCB
        "30569309025904", "38520000023237", // Diners
        "6200000000000005" // UnionPay
    })
    void findsPublishedTestCardNumbers(String number) {
        assertTrue(CardNumbers.luhnValid(number), number);
        assertEquals(1, count(ID, "card: " + number + " exp 12/29"), number);
    }

    @Test
    void findsNumbersGroupedBySpacesOrDashes() {
        assertEquals(1, count(ID, "4111 1111 1111 1111"));
        assertEquals(1, count(ID, "4111-1111-1111-1111"));
        assertEquals(1, count(ID, "3782 822463 10005"));
        assertEquals(1, count(ID, "Pay with 5555-5555 5555-4444."));
    }

    @Test
    void rejectsNumbersWithABadLuhnChecksum() {
        assertFalse(CardNumbers.luhnValid("4111111111111112"));
        assertEquals(0, count(ID, "4111111111111112 and 4111 1111 1111 1112"));
    }

    @Test
    void rejectsLuhnValidNumbersOutsideKnownIssuerRanges() {
        assertTrue(CardNumbers.luhnValid("1234567812345670"));
        assertTrue(CardNumbers.luhnValid("9999999999999995"));
        assertEquals(0, count(ID, "1234567812345670 9999999999999995"));
    }

    @Test
    void rejectsBrandsAtTheWrongLength() {
        // Amex prefix with 16 digits, Visa with 14 and 15 digits (all Luhn valid)
        assertTrue(CardNumbers.luhnValid("3782822463100052"));
        assertEquals(0, count(ID, "3782822463100052"));
        assertTrue(CardNumbers.luhnValid("41111111111114"));
        assertEquals(0, count(ID, "41111111111114"));
    }

    @Test
    void ignoresNumbersInsideLongerDigitRuns() {
        assertEquals(0, count(ID, "94111111111111111"));
        assertEquals(0, count(ID, "41111111111111119"));
        assertEquals(0, count(ID, "order 00004111111111111111000"));
        assertEquals(0, count(ID, "x4111111111111111 4111111111111111y"));
        assertEquals(0, count(ID, "0.4111111111111111 and 4111111111111111.5"));
    }

    @Test
    void findsTwoNumbersSeparatedByOneSpace() {
        DlpResult result = scan(ID, "4111111111111111 5555555555554444");
        assertEquals(2, result.count());
        assertEquals(List.of(0, 17), result.samples().stream().map(DlpMatch::offset).toList());
    }

    @Test
    void redactsAllButTheLastFourDigits() {
        DlpResult result = scan(ID, "a 4111 1111 1111 1111 b 378282246310005 c 5555-5555-5555-4444");
        assertEquals(List.of("**** **** **** 1111", "***********0005", "****-****-****-4444"),
                result.samples().stream().map(DlpMatch::redacted).toList());
        DlpAssertions.assertNoSampleLeaks(result, "4111111111111111");
        DlpAssertions.assertNoSampleLeaks(result, "378282246310005");
        DlpAssertions.assertNoSampleLeaks(result, "5555555555554444");
    }

    @Test
    void keepsAtMostFiveSamplesButCountsAll() {
        DlpResult result = scan(ID, "4111111111111111 x ".repeat(12));
        assertEquals(12, result.count());
        assertEquals(5, result.samples().size());
        assertTrue(result.hit());
    }
}
