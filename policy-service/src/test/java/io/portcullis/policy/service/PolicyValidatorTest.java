package io.portcullis.policy.service;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.portcullis.contracts.events.Action;
import io.portcullis.contracts.events.HeaderField;
import io.portcullis.contracts.policy.RuleAction;
import io.portcullis.contracts.policy.RuleCondition;
import io.portcullis.policy.api.RuleRequest;
import io.portcullis.policy.api.SettingsRequest;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class PolicyValidatorTest {
    private final PolicyValidator validator = new PolicyValidator();

    private static SnapshotBuilder.ShortForm shortOf(ValidRule r) {
        return SnapshotBuilder.shortForm(r.rule());
    }

    private static RuleRequest tag(String prefix, List<HeaderField> headers) {
        return RuleRequest.shortForm("r1", "Tag it", 50, "SPAM", "TAG", prefix, headers, true);
    }

    private static RuleRequest rule(String id, String name, Integer priority, String match, String action) {
        return RuleRequest.shortForm(id, name, priority, match, action, null, null, null);
    }

    private static String fieldOf(Runnable call) {
        return assertThrows(InvalidPolicyException.class, call::run).field();
    }

    // --- domains ---

    @Test
    void lowerCasesAValidDomain() {
        assertEquals("mail.example.com", validator.domain("Mail.EXAMPLE.com"));
    }

    @Test
    void acceptsPunycodeAndDigitsAndInnerHyphens() {
        assertEquals("xn--bcher-kva.example", validator.domain("xn--bcher-kva.example"));
        assertEquals("a-1.b2.example", validator.domain("a-1.b2.example"));
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "localhost", "example..com", ".example.com", "example.com.", "-a.example.com",
            "a-.example.com", "exa mple.com", "example.com\r\nRCPT TO:<x@y>", "ex_ample.com", "192.168.1.1",
            "example.com'; DROP TABLE accepted_domain; --", "*.example.com", "example.com/path", "a@example.com"})
    void rejectsMalformedDomains(String domain) {
        assertEquals("domain", fieldOf(() -> validator.domain(domain)));
    }

    @Test
    void rejectsNullDomain() {
        assertEquals("domain", fieldOf(() -> validator.domain(null)));
    }

    @Test
    void rejectsUnicodeDomainAskingForTheALabel() {
        InvalidPolicyException e = assertThrows(InvalidPolicyException.class, () -> validator.domain("bücher.example"));
        assertTrue(e.getMessage().contains("xn--"));
        assertEquals("domain", fieldOf(() -> validator.domain("exаmple.com"))); // Cyrillic a
    }

    @Test
    void rejectsTenThousandCharacterDomainAndLabelsOver63() {
        assertEquals("domain", fieldOf(() -> validator.domain("a".repeat(10_000) + ".com")));
        assertEquals("domain", fieldOf(() -> validator.domain("a".repeat(64) + ".com")));
        assertEquals("a".repeat(63) + ".com", validator.domain("a".repeat(63) + ".com"));
    }

    // --- rules ---

    @Test
    void acceptsAFullTagRuleAndDefaultsEnabled() {
        ValidRule r = validator.rule(RuleRequest.shortForm("spam-tag-2", " Tag spam ", 40, "SYMBOL:GTUBE", "TAG",
                "[SPAM] ", List.of(new HeaderField("X-Portcullis-Spam", "yes")), null), null);
        assertEquals("spam-tag-2", r.id());
        assertEquals("Tag spam", r.rule().name());
        assertEquals(Action.TAG, shortOf(r).action());
        assertEquals("SYMBOL:GTUBE", shortOf(r).match());
        assertTrue(r.enabled());
        assertEquals(List.of(new HeaderField("X-Portcullis-Spam", "yes")), shortOf(r).headers());
        assertEquals(List.of(RuleCondition.of("symbol", "GTUBE")), r.rule().conditions());
        assertEquals(List.of("deliver", "tag-subject", "add-header"),
                r.rule().actions().stream().map(RuleAction::type).toList());
        assertNull(r.rule().match(), "stored in the full form only");
    }

    @Test
    void generatesAnIdWhenNoneIsGiven() {
        ValidRule r = validator.rule(rule(null, "n", 1, "VIRUS", "QUARANTINE"), null);
        assertTrue(r.id().startsWith("rule-"));
    }

    @Test
    void rejectsBodyIdDifferentFromPathId() {
        assertEquals("id", fieldOf(() -> validator.rule(rule("other", "n", 1, "VIRUS", "DELETE"), "mine")));
        assertEquals("mine", validator.rule(rule(null, "n", 1, "VIRUS", "DELETE"), "mine").id());
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "Upper", "has space", "x'; DROP TABLE rule; --", "-leading", "a/b", "a\r\nb"})
    void rejectsBadRuleIds(String id) {
        assertEquals("id", fieldOf(() -> validator.rule(rule(id, "n", 1, "VIRUS", "DELETE"), null)));
    }

    @Test
    void rejectsTenThousandCharacterIdAndName() {
        assertEquals("id", fieldOf(() -> validator.rule(rule("a".repeat(10_000), "n", 1, "VIRUS", "DELETE"), null)));
        assertEquals("name", fieldOf(() -> validator.rule(rule("a", "n".repeat(10_000), 1, "VIRUS", "DELETE"), null)));
    }

    @Test
    void keepsSqlIshNamesVerbatimBecauseTheyAreOnlyText() {
        String name = "x'); DELETE FROM rule; --";
        assertEquals(name, validator.rule(rule("a", name, 1, "VIRUS", "DELETE"), null).rule().name());
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "   ", "line\nbreak", "carriage\rreturn", "tab\tname", "nul\u0000", "sep\u2028x"})
    void rejectsBlankOrControlCharacterNames(String name) {
        assertEquals("name", fieldOf(() -> validator.rule(rule("a", name, 1, "VIRUS", "DELETE"), null)));
    }

    @Test
    void rejectsMissingOrOutOfRangePriority() {
        assertEquals("priority", fieldOf(() -> validator.rule(rule("a", "n", null, "VIRUS", "DELETE"), null)));
        assertEquals("priority", fieldOf(() -> validator.rule(rule("a", "n", -1, "VIRUS", "DELETE"), null)));
        assertEquals("priority", fieldOf(() -> validator.rule(rule("a", "n", Integer.MAX_VALUE, "VIRUS", "DELETE"),
                null)));
        assertEquals(0, validator.rule(rule("a", "n", 0, "VIRUS", "DELETE"), null).rule().priority());
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "virus", "MALWARE", "SYMBOL:", "SYMBOL:gtube", "SYMBOL:1ABC", "SYMBOL:A B",
            "SYMBOL:A\r\nB", "VIRUS ", "SYMBOL:X'; DROP TABLE rule; --"})
    void rejectsBadMatches(String match) {
        assertEquals("match", fieldOf(() -> validator.rule(rule("a", "n", 1, match, "DELETE"), null)));
    }

    @Test
    void acceptsEveryMatchClassAndSymbols() {
        for (String m : List.of("VIRUS", "MASS_MAILER", "GRAYWARE", "SPAM", "BLOCKED_ATTACHMENT", "ACTIVE_CONTENT",
                "SCAN_FAILURE", "SYMBOL:AV_FAIL",
                "SYMBOL:" + "A".repeat(64))) {
            assertEquals(m, shortOf(validator.rule(rule("a", "n", 1, m, "DELETE"), null)).match());
        }
        assertEquals("match", fieldOf(() -> validator.rule(rule("a", "n", 1, "SYMBOL:" + "A".repeat(65), "DELETE"),
                null)));
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "deliver", "ACCEPT", "QUARANTINE\n"})
    void rejectsUnknownActions(String action) {
        assertEquals("action", fieldOf(() -> validator.rule(rule("a", "n", 1, "VIRUS", action), null)));
    }

    @Test
    void acceptsEveryContractAction() {
        for (Action a : Action.values()) {
            String main = a == Action.TAG ? "deliver" : a.name().toLowerCase(java.util.Locale.ROOT);
            assertEquals(main, validator.rule(rule("a", "n", 1, "VIRUS", a.name()), null).rule().actions().get(0)
                    .type());
        }
    }

    @Test
    void rejectsCrLfInSubjectPrefix() {
        assertEquals("subjectPrefix", fieldOf(() -> validator.rule(tag("[SPAM]\r\nBcc: victim@example.com", null),
                null)));
        assertEquals("subjectPrefix", fieldOf(() -> validator.rule(tag("[SPAM]\n", null), null)));
        assertEquals("subjectPrefix", fieldOf(() -> validator.rule(tag("[SPAM]\u0085", null), null)));
    }

    @Test
    void rejectsOverlongSubjectPrefixAndPrefixOnNonTagRules() {
        assertEquals("subjectPrefix", fieldOf(() -> validator.rule(tag("x".repeat(10_000), null), null)));
        assertEquals("subjectPrefix", fieldOf(() -> validator.rule(
                RuleRequest.shortForm("a", "n", 1, "VIRUS", "QUARANTINE", "[V] ", null, true), null)));
    }

    @Test
    void allowsUnicodeSubjectPrefixAndTreatsEmptyAsNone() {
        assertEquals("[ПОДОЗРИТЕЛЬНО] ", shortOf(validator.rule(tag("[ПОДОЗРИТЕЛЬНО] ", null), null)).subjectPrefix());
        assertNull(shortOf(validator.rule(tag("", null), null)).subjectPrefix());
    }

    @Test
    void rejectsCrLfInHeaderValue() {
        List<HeaderField> headers = List.of(new HeaderField("X-Ok", "yes"),
                new HeaderField("X-Spam", "yes\r\nBcc: victim@example.com"));
        assertEquals("addHeaders[1].value", fieldOf(() -> validator.rule(tag(null, headers), null)));
        assertEquals("addHeaders[0].value", fieldOf(() -> validator.rule(tag(null,
                List.of(new HeaderField("X-Spam", "yes\nX-Other: 1"))), null)));
    }

    @Test
    void rejectsNonAsciiNulAndOverlongHeaderValues() {
        assertEquals("addHeaders[0].value", fieldOf(() -> validator.rule(tag(null,
                List.of(new HeaderField("X-A", "é"))), null)));
        assertEquals("addHeaders[0].value", fieldOf(() -> validator.rule(tag(null,
                List.of(new HeaderField("X-A", "a\u0000b"))), null)));
        assertEquals("addHeaders[0].value", fieldOf(() -> validator.rule(tag(null,
                List.of(new HeaderField("X-A", "v".repeat(10_000)))), null)));
        assertEquals("addHeaders[0].value", fieldOf(() -> validator.rule(tag(null,
                List.of(new HeaderField("X-A", null))), null)));
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "X Spam", "X-Spam:", "X-Spam\r\nBcc", "X-Späm", "From", "bcc", "Received",
            "Content-Type", "X-\u0000"})
    void rejectsBadOrReservedHeaderNames(String name) {
        assertEquals("addHeaders[0].name", fieldOf(() -> validator.rule(tag(null,
                List.of(new HeaderField(name, "v"))), null)));
    }

    @Test
    void rejectsTenThousandCharacterHeaderNameAndTooManyHeaders() {
        assertEquals("addHeaders[0].name", fieldOf(() -> validator.rule(tag(null,
                List.of(new HeaderField("X".repeat(10_000), "v"))), null)));
        List<HeaderField> many = Collections.nCopies(21, new HeaderField("X-A", "v"));
        assertEquals("addHeaders", fieldOf(() -> validator.rule(tag(null, many), null)));
        List<HeaderField> withNull = new ArrayList<>();
        withNull.add(null);
        assertEquals("addHeaders[0]", fieldOf(() -> validator.rule(tag(null, withNull), null)));
    }

    @Test
    void rejectsHeadersOnNonTagRules() {
        assertEquals("addHeaders", fieldOf(() -> validator.rule(RuleRequest.shortForm("a", "n", 1, "VIRUS", "QUARANTINE",
                null, List.of(new HeaderField("X-A", "v")), true), null)));
    }

    @Test
    void rejectsMissingRuleBody() {
        assertEquals("body", fieldOf(() -> validator.rule(null, null)));
    }

    // --- settings ---

    @Test
    void normalisesExtensionsLowerCaseDistinctInOrder() {
        ValidSettings s = validator.settings(new SettingsRequest(6.5, List.of("EXE", "js", "exe", "Ps1")));
        assertEquals(6.5, s.spamThreshold());
        assertEquals(List.of("exe", "js", "ps1"), s.blockedExtensions());
        assertEquals(List.of(), validator.settings(new SettingsRequest(1.0, List.of())).blockedExtensions());
    }

    @Test
    void rejectsMissingNonFiniteOrOutOfRangeThreshold() {
        assertEquals("spamThreshold", fieldOf(() -> validator.settings(new SettingsRequest(null, List.of()))));
        assertEquals("spamThreshold", fieldOf(() -> validator.settings(new SettingsRequest(Double.NaN, List.of()))));
        assertEquals("spamThreshold", fieldOf(() -> validator.settings(
                new SettingsRequest(Double.POSITIVE_INFINITY, List.of()))));
        assertEquals("spamThreshold", fieldOf(() -> validator.settings(new SettingsRequest(0.0, List.of()))));
        assertEquals("spamThreshold", fieldOf(() -> validator.settings(new SettingsRequest(1000.5, List.of()))));
    }

    @Test
    void rejectsBadExtensionsNamingTheIndex() {
        assertEquals("blockedExtensions", fieldOf(() -> validator.settings(new SettingsRequest(5.0, null))));
        assertEquals("blockedExtensions[1]", fieldOf(() -> validator.settings(
                new SettingsRequest(5.0, List.of("exe", ".scr")))));
        assertEquals("blockedExtensions[0]", fieldOf(() -> validator.settings(
                new SettingsRequest(5.0, List.of("e,xe")))));
        assertEquals("blockedExtensions[0]", fieldOf(() -> validator.settings(
                new SettingsRequest(5.0, List.of("x".repeat(10_000))))));
        assertEquals("blockedExtensions[0]", fieldOf(() -> validator.settings(
                new SettingsRequest(5.0, Arrays.asList((String) null)))));
        assertEquals("blockedExtensions", fieldOf(() -> validator.settings(
                new SettingsRequest(5.0, Collections.nCopies(201, "exe")))));
    }
}
