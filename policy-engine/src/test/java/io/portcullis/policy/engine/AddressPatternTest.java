package io.portcullis.policy.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Set;
import org.junit.jupiter.api.Test;

class AddressPatternTest {
    private static boolean m(String pattern, String address) {
        return AddressPattern.parse(pattern, "f").matches(address, Set.of(), Set.of());
    }

    @Test
    void formsMatchCaseInsensitively() {
        assertTrue(m("*", ""));
        assertTrue(m("Alice@Example.COM", "alice@example.com"));
        assertFalse(m("alice@example.com", "malice@example.com"));
        assertTrue(m("*@example.com", "bob@EXAMPLE.com"));
        assertTrue(m("example.com", "bob@example.com"));
        assertFalse(m("example.com", "bob@sub.example.com"), "a domain is not its subdomains");
        assertTrue(m("*.example.com", "bob@sub.example.com"));
        assertFalse(m("*.example.com", "bob@example.com"));
        assertFalse(m("*.example.com", "bob@badexample.com"));
        assertTrue(AddressPattern.parse("group:CN=Legal,DC=x", "f").matches("a@x.test", Set.of(),
                Set.of("cn=legal,dc=x")));
    }

    @Test
    void malformedPatternsAreRefused() {
        for (String bad : new String[] {"", " ", "group:", "a b@example.com", "@example.com", "bob@", "ex..ample.com",
            "*@", "user@exa mple.com", "x".repeat(321), "<bob@example.com>", "bo*b@example.com"}) {
            PolicyValidationException e = assertThrows(PolicyValidationException.class,
                    () -> AddressPattern.parse(bad, "scope.senders[4]"), bad);
            assertEquals("scope.senders[4]", e.field());
        }
    }
}
