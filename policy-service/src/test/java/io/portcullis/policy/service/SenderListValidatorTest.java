package io.portcullis.policy.service;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.portcullis.contracts.policy.SenderListEntry;
import io.portcullis.policy.api.SenderListRequest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class SenderListValidatorTest {
    private final SenderListValidator validator = new SenderListValidator();

    private InvalidPolicyException refusedSender(String sender) {
        return assertThrows(InvalidPolicyException.class, () -> validator.sender(sender, "sender"), sender);
    }

    private InvalidPolicyException refusedOwner(String owner) {
        return assertThrows(InvalidPolicyException.class, () -> validator.owner(owner, "owner"), owner);
    }

    @Test
    void lowerCasesAndStripsAddressesAndDomains() {
        assertEquals("alice@partner.com", validator.sender("  Alice@Partner.COM ", "sender"));
        assertEquals("partner.com", validator.sender("PARTNER.com", "sender"));
        assertEquals("*.partner.com", validator.sender("*.Partner.Com", "sender"));
        assertEquals("user@example.com", validator.owner("User@Example.com", "owner"));
        assertEquals("example.com", validator.owner("Example.COM", "owner"));
        assertEquals("*", validator.owner(" * ", "owner"));
    }

    @Test
    void convertsInternationalDomainsToTheirAsciiForm() {
        assertEquals("xn--bcher-kva.example", validator.sender("bücher.example", "sender"));
        assertEquals("*.xn--bcher-kva.example", validator.sender("*.BÜCHER.example", "sender"));
        assertEquals("info@xn--bcher-kva.example", validator.sender("info@bücher.example", "sender"));
        assertEquals("xn--bcher-kva.example", validator.owner("xn--bcher-kva.example", "owner"));
        // full-width letters and the ideographic full stop are mapped like a mail client resolves them
        assertEquals("example.com", validator.sender("ｅｘａｍｐｌｅ。com", "sender"));
    }

    @Test
    void keepsUnicodeLocalPartsNormalisedToNfcAndLowerCase() {
        String decomposed = "Ju\u0308rgen@example.de"; // u + combining diaeresis
        assertEquals("j\u00fcrgen@example.de", validator.sender(decomposed, "sender"));
        assertEquals("j\u00fcrgen@example.de", validator.sender("J\u00dcRGEN@example.de", "sender"));
    }

    @Test
    void wildcardsOnlyAsLeadingStarDotOnSendersAndAsTheWholeOwner() {
        assertEquals("*.xyz", validator.sender("*.xyz", "sender"), "a whole top-level domain may be listed");
        for (String bad : new String[] {"*", "*@partner.com", "a*@partner.com", "*.*.partner.com", "partner.*.com",
                "*partner.com", "**.partner.com", "*."}) {
            assertEquals("sender", refusedSender(bad).field());
        }
        for (String bad : new String[] {"*.example.com", "*@example.com", "**", "a*b.com"}) {
            assertEquals("owner", refusedOwner(bad).field());
        }
        assertTrue(refusedSender("*").getMessage().contains("every sender"));
    }

    @Test
    void refusesMalformedAddressesAndDomainsWithAClearMessage() {
        assertTrue(refusedSender("\"john doe\"@partner.com").getMessage().contains("quoted"));
        assertTrue(refusedSender("john@[192.0.2.1]").getMessage().contains("literal"));
        assertTrue(refusedSender("192.0.2.1").getMessage().contains("IP"));
        assertTrue(refusedSender("a@b@partner.com").getMessage().contains("one @"));
        assertTrue(refusedSender("@partner.com").getMessage().contains("empty"));
        assertTrue(refusedOwner("com").getMessage().contains("at least 2 labels"));
        for (String bad : new String[] {"john@", "a..b@partner.com", ".a@partner.com", "a.@partner.com",
                "a@partner..com", "a@-partner.com", "a@partner-.com", "a@part_ner.com", "partner.com.",
                "<a@partner.com>", "a,b@partner.com", "a@partner.com;b@x.com", "a(comment)@partner.com"}) {
            refusedSender(bad);
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"a@partner.com\r\nBcc: x@evil.com", "a@partner.com\u0000", "a b@partner.com",
            "x.com'; DROP TABLE policy.sender_list; --", "evil\u202Emoc.com", "a\u202E@partner.com",
            "a@part\u200Bner.com", "a\u2028@partner.com", "\uFEFFa@partner.com", "a\uD800@partner.com",
            "a@partner.com%00", "a@part\u00ADner.com", "a@%70artner.com", "../../etc/passwd"})
    void refusesHostileInputNamingTheField(String hostile) {
        assertEquals("sender", refusedSender(hostile).field());
        assertEquals("owner", refusedOwner(hostile).field());
    }

    @Test
    void enforcesRfc5321LengthLimits() {
        String local64 = "a".repeat(64);
        assertEquals(local64 + "@partner.com", validator.sender(local64 + "@partner.com", "sender"));
        assertTrue(refusedSender("a".repeat(65) + "@partner.com").getMessage().contains("64 octets"));
        // 33 two-octet letters are 66 octets although only 33 characters
        assertTrue(refusedSender("\u00e9".repeat(33) + "@partner.com").getMessage().contains("64 octets"));
        String label63 = "b".repeat(63);
        assertEquals(label63 + ".com", validator.sender(label63 + ".com", "sender"));
        refusedSender("b".repeat(64) + ".com");
        String domain253 = (label63 + ".").repeat(3) + "c".repeat(57) + ".com"; // 3 * 64 + 57 + 4 = 253
        assertEquals(253, domain253.length());
        assertEquals(domain253, validator.sender(domain253, "sender"));
        refusedSender("d" + domain253);
        refusedSender(local64 + "@" + domain253); // a valid local part and domain, but 318 characters together
        assertTrue(refusedSender("a".repeat(100_000) + "@partner.com").getMessage().contains("longer"));
    }

    @Test
    void kindIsSafeOrBlockedInAnyCase() {
        assertEquals(SenderListEntry.Kind.SAFE, validator.kind("safe", "kind"));
        assertEquals(SenderListEntry.Kind.BLOCKED, validator.kind(" Blocked ", "kind"));
        for (String bad : new String[] {null, "", "ALLOW", "DENY", "SAFE,BLOCKED"}) {
            assertEquals("kind", assertThrows(InvalidPolicyException.class, () -> validator.kind(bad, "kind"))
                    .field());
        }
    }

    @Test
    void noteIsOptionalBoundedAndPlain() {
        assertNull(validator.note(null, "note"));
        assertNull(validator.note("   ", "note"));
        assertEquals("vendor, ticket 42", validator.note(" vendor, ticket 42 ", "note"));
        assertEquals("note", assertThrows(InvalidPolicyException.class,
                () -> validator.note("x".repeat(501), "note")).field());
        assertEquals("note", assertThrows(InvalidPolicyException.class,
                () -> validator.note("line\nbreak", "note")).field());
        assertEquals("note", assertThrows(InvalidPolicyException.class,
                () -> validator.note("abc\u202Eevil", "note")).field());
    }

    @Test
    void actorDefaultsToApiAndIsBounded() {
        assertEquals("api", validator.actor(null));
        assertEquals("api", validator.actor(" "));
        assertEquals("alice", validator.actor(" alice "));
        assertEquals(SenderListValidator.ACTOR_FIELD, assertThrows(InvalidPolicyException.class,
                () -> validator.actor("a".repeat(129))).field());
        assertEquals(SenderListValidator.ACTOR_FIELD, assertThrows(InvalidPolicyException.class,
                () -> validator.actor("alice\r\nX-Evil: 1")).field());
    }

    @Test
    void aWholeRequestNamesTheFieldWithItsPrefix() {
        assertEquals(new ValidSenderEntry("example.com", "*.partner.com", SenderListEntry.Kind.SAFE, null),
                validator.entry(new SenderListRequest("Example.com", "*.partner.com", "SAFE", null)));
        assertEquals("entries[3].kind", assertThrows(InvalidPolicyException.class, () -> validator.entry(
                new SenderListRequest("*", "partner.com", "maybe", null), "entries[3].")).field());
        assertEquals("entries[0]", assertThrows(InvalidPolicyException.class,
                () -> validator.entry(null, "entries[0].")).field());
        assertEquals("body", assertThrows(InvalidPolicyException.class, () -> validator.entry(null)).field());
    }
}
