package io.portcullis.policy.directory;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The directory client against a real (in-memory) LDAP server with the OpenLDAP layout. */
class OpenLdapDirectoryTest {
    private static TestDirectoryServer server;
    private static LdapDirectory directory;

    @BeforeAll
    static void start() {
        server = TestDirectoryServer.openLdap();
        directory = new LdapDirectory(server.settings("openldap"));
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

    private static List<String> groupNames(DirectoryEntry entry) {
        return entry.groups().stream().map(DirectoryEntry.Group::name).toList();
    }

    @Test
    void primaryAddressIsCanonicalAndAlternatesAreAliases() {
        DirectoryEntry alice = found("Alice.Smith@example.com");
        assertEquals("Alice.Smith@example.com", alice.canonical());
        assertEquals(List.of("alice@example.com", "a.smith@example.org"), alice.aliases());
        assertEquals("uid=alice,ou=people,dc=example,dc=com", alice.dn());
    }

    @Test
    void aliasFindsTheSameUserCaseInsensitively() {
        DirectoryEntry alice = found("A.SMITH@Example.ORG");
        assertEquals("Alice.Smith@example.com", alice.canonical());
        assertEquals("uid=alice,ou=people,dc=example,dc=com", alice.dn());
    }

    @Test
    void nestedGroupsAreResolvedThreeLevelsDeepAcrossGroupOfNamesAndGroupOfUniqueNames() {
        DirectoryEntry alice = found("alice@example.com");
        assertEquals(List.of("engineering", "rnd", "staff"), groupNames(alice));
        assertEquals(List.of(1, 2, 3), alice.groups().stream().map(DirectoryEntry.Group::depth).toList());
        assertEquals("cn=staff,ou=groups,dc=example,dc=com", alice.groups().get(2).dn());
    }

    @Test
    void groupCycleEndsAndEachGroupIsReportedOnce() {
        DirectoryEntry bob = found("bob@example.com");
        assertEquals(List.of("loop-a", "loop-b"), groupNames(bob));
    }

    @Test
    void depthLimitStopsTheWalk() {
        DirectorySettings s = server.settings("openldap");
        DirectorySettings limited = new DirectorySettings(true, s.urls(), s.bindDn(), s.bindPassword(), s.baseDn(),
                s.schema(), s.userFilter(), s.mailAttributes(), s.aliasAttributes(), s.groupObjectClasses(),
                s.memberAttributes(), 2, s.connectTimeout(), s.responseTimeout(), s.poolSize(), s.cacheTtl(),
                s.negativeCacheTtl(), s.cacheMaxEntries());
        try (LdapDirectory d = new LdapDirectory(limited)) {
            LookupResult result = d.lookup("alice@example.com");
            assertEquals(List.of("engineering", "rnd"), groupNames(result.entry()));
        }
    }

    @Test
    void unknownAddressIsNotFound() {
        assertEquals(LookupResult.Outcome.NOT_FOUND, directory.lookup("nobody@example.com").outcome());
    }

    @Test
    void entryOutsideTheUserFilterIsNotFound() {
        assertEquals(LookupResult.Outcome.NOT_FOUND, directory.lookup("printer@example.com").outcome(),
                "a device is not an inetOrgPerson");
    }

    @Test
    void filterMetacharactersInTheAddressAreEscaped() throws Exception {
        // the same text as raw filter syntax does match users: the assertions below would fail without escaping
        assertTrue(server.server().search(TestDirectoryServer.OPENLDAP_BASE,
                com.unboundid.ldap.sdk.SearchScope.SUB, "(mail=*@example.com)").getEntryCount() > 1);
        // unescaped, these would be substring or presence filters matching alice and bob
        assertEquals(LookupResult.Outcome.NOT_FOUND, directory.lookup("*@example.com").outcome());
        assertEquals(LookupResult.Outcome.NOT_FOUND, directory.lookup("*").outcome());
        assertEquals(LookupResult.Outcome.NOT_FOUND,
                directory.lookup("x*)(mail=*@example.com").outcome());
        assertEquals(LookupResult.Outcome.NOT_FOUND,
                directory.lookup("nobody@example.com)(|(mail=*").outcome());
        assertEquals(LookupResult.Outcome.NOT_FOUND, directory.lookup("a\\2a@example.com").outcome());
        // and a real address containing them is found literally
        DirectoryEntry weird = found("we*)(ird@example.com");
        assertEquals("uid=weird,ou=people,dc=example,dc=com", weird.dn());
        assertTrue(weird.groups().isEmpty());
    }

    @Test
    void wrongBindPasswordIsUnavailableNotUnknown() {
        DirectorySettings bad = DirectorySettings.of(server.config("openldap")
                .withBind(TestDirectoryServer.BIND_DN, "wrong"));
        try (LdapDirectory d = new LdapDirectory(bad)) {
            LookupResult result = d.lookup("alice@example.com");
            assertEquals(LookupResult.Outcome.UNAVAILABLE, result.outcome());
            assertNotNull(result.problem());
            assertNotNull(d.probe());
        }
    }

    @Test
    void missingBaseDnIsUnavailableNotUnknown() {
        DirectorySettings bad = DirectorySettings.of(server.config("openldap").withBaseDn("dc=nowhere,dc=test"));
        try (LdapDirectory d = new LdapDirectory(bad)) {
            assertEquals(LookupResult.Outcome.UNAVAILABLE, d.lookup("alice@example.com").outcome());
            assertNotNull(d.probe());
        }
    }

    @Test
    void probeSucceedsAgainstAReachableDirectory() {
        assertEquals(null, directory.probe());
    }

    @Test
    void stoppedServerIsUnavailableAndComingBackRecovers() throws Exception {
        try (TestDirectoryServer own = TestDirectoryServer.openLdap();
                LdapDirectory d = new LdapDirectory(own.settings("openldap"))) {
            assertEquals(LookupResult.Outcome.FOUND, d.lookup("bob@example.com").outcome());
            own.stop();
            LookupResult down = d.lookup("bob@example.com");
            assertEquals(LookupResult.Outcome.UNAVAILABLE, down.outcome());
            assertNotNull(down.problem());
            assertNotNull(d.probe());
            own.server().startListening(); // same port: the listener config is reused
            assertEquals(LookupResult.Outcome.FOUND, d.lookup("bob@example.com").outcome());
        }
    }

    @Test
    void serverThatNeverAnswersTimesOutAsUnavailable() throws Exception {
        try (java.net.ServerSocket silent = new java.net.ServerSocket(0, 50,
                java.net.InetAddress.getLoopbackAddress())) {
            Thread acceptor = new Thread(() -> {
                List<java.net.Socket> held = new java.util.ArrayList<>();
                try {
                    while (true) {
                        held.add(silent.accept()); // accept, never answer
                    }
                } catch (java.io.IOException closed) {
                    // test over
                }
            });
            acceptor.setDaemon(true);
            acceptor.start();
            DirectorySettings s = DirectorySettings.of(server.config("openldap")
                    .withUrls("ldap://127.0.0.1:" + silent.getLocalPort()));
            DirectorySettings quick = new DirectorySettings(true, s.urls(), s.bindDn(), s.bindPassword(),
                    s.baseDn(), s.schema(), s.userFilter(), s.mailAttributes(), s.aliasAttributes(),
                    s.groupObjectClasses(), s.memberAttributes(), s.maxGroupDepth(), s.connectTimeout(),
                    java.time.Duration.ofMillis(300), s.poolSize(), s.cacheTtl(), s.negativeCacheTtl(),
                    s.cacheMaxEntries());
            long start = System.nanoTime();
            try (LdapDirectory d = new LdapDirectory(quick)) {
                LookupResult result = d.lookup("alice@example.com");
                assertEquals(LookupResult.Outcome.UNAVAILABLE, result.outcome());
            }
            assertTrue(System.nanoTime() - start < java.time.Duration.ofSeconds(5).toNanos(), "bounded by timeouts");
        }
    }

    @Test
    void unreachableServerAtStartIsUnavailable() {
        DirectorySettings nowhere = DirectorySettings.of(server.config("openldap").withUrls("ldap://127.0.0.1:1"));
        try (LdapDirectory d = new LdapDirectory(nowhere)) {
            assertEquals(LookupResult.Outcome.UNAVAILABLE, d.lookup("alice@example.com").outcome());
        }
    }

    @Test
    void failoverUsesTheNextServerWhenTheFirstIsDown() {
        DirectorySettings failover = DirectorySettings.of(server.config("openldap")
                .withUrls("ldap://127.0.0.1:1", server.url()));
        try (LdapDirectory d = new LdapDirectory(failover)) {
            assertEquals(LookupResult.Outcome.FOUND, d.lookup("alice@example.com").outcome());
        }
    }
}
