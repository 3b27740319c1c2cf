package io.portcullis.policy.directory;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The directory client against a real (in-memory) LDAP server with the Active Directory layout. */
class ActiveDirectoryLookupTest {
    private static TestDirectoryServer server;
    private static LdapDirectory directory;

    @BeforeAll
    static void start() {
        server = TestDirectoryServer.activeDirectory();
        directory = new LdapDirectory(server.settings("active-directory"));
    }

    @AfterAll
    static void stop() {
        directory.close();
        server.close();
    }

    private static DirectoryEntry found(String address) {
        LookupResult result = directory.lookup(address);
        assertEquals(LookupResult.Outcome.FOUND, result.outcome(), () -> address + ": " + result);
        return result.entry();
    }

    @Test
    void upperCaseSmtpProxyAddressIsCanonical() {
        DirectoryEntry carol = found("carol@corp.example");
        assertEquals("Carol.Jones@corp.example", carol.canonical());
        assertEquals("cn=Carol Jones,cn=Users,dc=corp,dc=example", carol.dn());
    }

    @Test
    void lowerCaseSmtpProxyAddressesAreAliasesAndOtherTypesAreIgnored() {
        DirectoryEntry carol = found("CJ@legacy.example");
        assertEquals("Carol.Jones@corp.example", carol.canonical());
        assertEquals(List.of("carol@corp.example", "cj@legacy.example"), carol.aliases());
        assertFalse(carol.aliases().stream().anyMatch(a -> a.contains("X500") || a.contains("/o=")));
    }

    @Test
    void primaryProxyAddressFindsTheUser() {
        assertEquals("cn=Carol Jones,cn=Users,dc=corp,dc=example", found("carol.jones@CORP.example").dn());
    }

    @Test
    void mailWithoutProxyAddressesIsCanonical() {
        DirectoryEntry dave = found("dave@corp.example");
        assertEquals("dave@corp.example", dave.canonical());
        assertEquals(List.of(), dave.aliases());
    }

    @Test
    void nestedGroupsAreWalkedThroughMemberDnsThreeLevelsDeep() {
        DirectoryEntry carol = found("carol@corp.example");
        assertEquals(List.of("Sales", "EMEA", "Everyone"),
                carol.groups().stream().map(DirectoryEntry.Group::name).toList());
    }

    @Test
    void groupCycleEndsAndOnlyAdGroupObjectsCount() {
        DirectoryEntry dave = found("dave@corp.example");
        assertEquals(List.of("G1", "G2"), dave.groups().stream().map(DirectoryEntry.Group::name).toList(),
                "the groupOfNames 'Contacts' is not an AD group");
    }

    @Test
    void memberDnWithFilterMetacharactersIsEscaped() {
        DirectoryEntry eve = found("eve@corp.example");
        assertEquals("cn=Eve (Ops)\\, Admin,cn=Users,dc=corp,dc=example", eve.dn());
        assertEquals(List.of("Everyone"), eve.groups().stream().map(DirectoryEntry.Group::name).toList());
    }

    @Test
    void contactIsNotAUser() {
        assertEquals(LookupResult.Outcome.NOT_FOUND, directory.lookup("partner@corp.example").outcome());
    }

    @Test
    void unknownAndInjectedAddressesAreNotFound() {
        assertEquals(LookupResult.Outcome.NOT_FOUND, directory.lookup("nobody@corp.example").outcome());
        assertEquals(LookupResult.Outcome.NOT_FOUND, directory.lookup("*").outcome());
        assertEquals(LookupResult.Outcome.NOT_FOUND, directory.lookup("*)(objectClass=*").outcome());
        assertEquals(LookupResult.Outcome.NOT_FOUND,
                directory.lookup("x500:/o=Corp/ou=Exchange/cn=Recipients/cn=carol").outcome());
    }

    @Test
    void stoppedServerIsUnavailable() {
        try (TestDirectoryServer own = TestDirectoryServer.activeDirectory();
                LdapDirectory d = new LdapDirectory(own.settings("active-directory"))) {
            assertEquals(LookupResult.Outcome.FOUND, d.lookup("dave@corp.example").outcome());
            own.stop();
            assertEquals(LookupResult.Outcome.UNAVAILABLE, d.lookup("dave@corp.example").outcome());
        }
    }
}
