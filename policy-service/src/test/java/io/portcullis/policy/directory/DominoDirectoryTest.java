package io.portcullis.policy.directory;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The directory client against a real (in-memory) LDAP server with Domino's layout (dominoPerson, dominoGroup). */
class DominoDirectoryTest {
    private static TestDirectoryServer server;
    private static LdapDirectory directory;

    @BeforeAll
    static void start() {
        server = TestDirectoryServer.start("o=acme", "/directory/domino.ldif");
        directory = new LdapDirectory(server.settings("domino"));
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
    void dominoPersonIsFoundByItsInternetAddressInAnyCase() {
        DirectoryEntry anna = found("anna.berg@ACME.example");
        assertEquals("Anna.Berg@acme.example", anna.canonical());
        assertEquals("cn=Anna Berg,ou=Sales,o=acme", anna.dn());
        assertEquals(List.of(), anna.aliases(), "Domino has no alias attribute by default");
    }

    @Test
    void nestedDominoGroupsAreWalked() {
        assertEquals(List.of("Sales EMEA", "AllStaff"),
                found("anna.berg@acme.example").groups().stream().map(DirectoryEntry.Group::name).toList());
    }

    @Test
    void onlyDominoGroupsCount() {
        assertEquals(List.of("AllStaff"),
                found("ben.carr@acme.example").groups().stream().map(DirectoryEntry.Group::name).toList(),
                "a groupOfNames that is not a dominoGroup is not one of the user's groups");
    }

    @Test
    void entryThatIsNotADominoPersonIsUnknown() {
        assertEquals(LookupResult.Outcome.NOT_FOUND, directory.lookup("contact@acme.example").outcome());
    }

    @Test
    void schemaNameIsAccepted() {
        assertEquals(DirectorySchema.DOMINO, DirectorySchema.parse("Domino").orElseThrow());
    }
}
