package io.portcullis.policy.directory;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** Bad directory configuration fails at start-up with a message naming the key. */
class DirectorySettingsTest {
    private static final TestDirectoryServer.TestConfig GOOD = new TestDirectoryServer.TestConfig(true,
            Optional.of(List.of("ldap://ldap.example.com", "ldaps://ldap2.example.com:636")),
            Optional.of("cn=reader,dc=example,dc=com"), Optional.of("pw"), Optional.of("dc=example,dc=com"),
            "openldap");

    private static void failsNaming(String key, TestDirectoryServer.TestConfig config) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> DirectorySettings.of(config));
        assertTrue(e.getMessage().startsWith("portcullis.policy.directory." + key + " "), e.getMessage());
    }

    @Test
    void openLdapDefaultsApply() {
        DirectorySettings s = DirectorySettings.of(GOOD);
        assertEquals(DirectorySchema.OPENLDAP, s.schema());
        assertEquals("(objectClass=inetOrgPerson)", s.userFilter().toString());
        assertEquals(List.of("mailAlternateAddress"), s.aliasAttributes());
        assertEquals(List.of("member", "uniqueMember"), s.memberAttributes());
        assertEquals(2, s.urls().size());
    }

    @Test
    void activeDirectoryDefaultsApply() {
        DirectorySettings s = DirectorySettings.of(new TestDirectoryServer.TestConfig(true, GOOD.urls(),
                GOOD.bindDn(), GOOD.bindPassword(), GOOD.baseDn(), "active-directory"));
        assertEquals(DirectorySchema.ACTIVE_DIRECTORY, s.schema());
        assertEquals(List.of("proxyAddresses"), s.aliasAttributes());
        assertEquals(List.of("group"), s.groupObjectClasses());
        assertTrue(s.schema().typedAliases());
    }

    @Test
    void disabledNeedsNoServer() {
        DirectorySettings s = DirectorySettings.of(new TestDirectoryServer.TestConfig(false, Optional.empty(),
                Optional.empty(), Optional.empty(), Optional.empty(), "openldap"));
        assertFalse(s.enabled());
    }

    @Test
    void rejectsUnknownSchema() {
        failsNaming("schema", new TestDirectoryServer.TestConfig(true, GOOD.urls(), GOOD.bindDn(),
                GOOD.bindPassword(), GOOD.baseDn(), "novell-edirectory"));
    }

    @Test
    void rejectsMissingOrBadUrls() {
        failsNaming("urls", GOOD.withUrls());
        failsNaming("urls", GOOD.withUrls("http://ldap.example.com"));
        failsNaming("urls", GOOD.withUrls("not a url"));
    }

    @Test
    void rejectsMissingOrBadBaseDn() {
        failsNaming("base-dn", GOOD.withBaseDn(null));
        failsNaming("base-dn", GOOD.withBaseDn("no equals sign"));
    }

    @Test
    void rejectsBindDnWithoutPassword() {
        failsNaming("bind-password", GOOD.withBind("cn=reader,dc=example,dc=com", null));
        failsNaming("bind-dn", GOOD.withBind("garbage", "pw"));
    }
}
