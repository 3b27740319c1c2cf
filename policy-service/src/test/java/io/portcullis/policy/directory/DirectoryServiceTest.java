package io.portcullis.policy.directory;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.github.benmanes.caffeine.cache.Ticker;
import com.unboundid.ldap.sdk.Attribute;
import com.unboundid.ldap.sdk.Entry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The cache in front of the directory: TTLs (on a fake clock), outages never cached, metrics, status. */
class DirectoryServiceTest {
    private final AtomicLong nanos = new AtomicLong();
    private final Ticker ticker = nanos::get;
    private final SimpleMeterRegistry registry = new SimpleMeterRegistry();
    private TestDirectoryServer server;
    private DirectoryService service;

    @BeforeEach
    void start() {
        server = TestDirectoryServer.openLdap();
        service = new DirectoryService(server.settings("openldap"), LdapDirectory::new, registry, ticker);
    }

    @AfterEach
    void stop() {
        service.close();
        server.close();
    }

    private void advance(Duration d) {
        nanos.addAndGet(d.toNanos());
        service.cleanUp();
    }

    private double lookups(String outcome, String source) {
        var counter = registry.find("portcullis.directory.lookups").tag("outcome", outcome).tag("source", source)
                .counter();
        return counter == null ? 0 : counter.count();
    }

    @Test
    void foundEntryIsServedFromCacheUntilItsTtl() throws Exception {
        assertEquals(LookupResult.Outcome.FOUND, service.lookup("bob@example.com").outcome());
        server.server().delete("uid=bob,ou=people,dc=example,dc=com");
        advance(Duration.ofMinutes(4));
        assertEquals(LookupResult.Outcome.FOUND, service.lookup("BOB@example.com").outcome(), "cached, any case");
        assertEquals(1.0, lookups("found", "cache"));
        advance(Duration.ofMinutes(2));
        assertEquals(LookupResult.Outcome.NOT_FOUND, service.lookup("bob@example.com").outcome(), "TTL passed");
        assertEquals(1.0, lookups("not_found", "directory"));
    }

    @Test
    void unknownAddressIsCachedForTheShorterNegativeTtl() throws Exception {
        assertEquals(LookupResult.Outcome.NOT_FOUND, service.lookup("new@example.com").outcome());
        server.server().add(new Entry("uid=new,ou=people,dc=example,dc=com",
                new Attribute("objectClass", "inetOrgPerson"), new Attribute("uid", "new"),
                new Attribute("cn", "New"), new Attribute("sn", "New"), new Attribute("mail", "new@example.com")));
        advance(Duration.ofSeconds(59));
        assertEquals(LookupResult.Outcome.NOT_FOUND, service.lookup("new@example.com").outcome(), "still cached");
        advance(Duration.ofSeconds(2));
        assertEquals(LookupResult.Outcome.FOUND, service.lookup("new@example.com").outcome(), "negative TTL passed");
    }

    @Test
    void outageIsNeverCachedNorReportedAsUnknown() {
        server.stop();
        assertEquals(LookupResult.Outcome.UNAVAILABLE, service.lookup("alice@example.com").outcome());
        assertEquals(LookupResult.Outcome.UNAVAILABLE, service.lookup("alice@example.com").outcome());
        assertEquals(2.0, lookups("unavailable", "directory"), "both went to the directory");
        assertEquals(0, service.status().cacheSize());
        assertEquals(0.0, lookups("not_found", "directory"));
        assertFalse(service.status().reachable());
    }

    @Test
    void cacheIsBoundedByMaxEntries() {
        DirectorySettings s = server.settings("openldap");
        DirectorySettings small = new DirectorySettings(true, s.urls(), s.bindDn(), s.bindPassword(), s.baseDn(),
                s.schema(), s.userFilter(), s.mailAttributes(), s.aliasAttributes(), s.groupObjectClasses(),
                s.memberAttributes(), s.maxGroupDepth(), s.connectTimeout(), s.responseTimeout(), s.poolSize(),
                s.cacheTtl(), s.negativeCacheTtl(), 3);
        DirectoryService bounded = new DirectoryService(small, LdapDirectory::new, new SimpleMeterRegistry(), ticker);
        try {
            for (int i = 0; i < 20; i++) {
                bounded.lookup("user" + i + "@example.com");
            }
            bounded.cleanUp();
            assertTrue(bounded.status().cacheSize() <= 3, "size " + bounded.status().cacheSize());
        } finally {
            bounded.close();
        }
    }

    @Test
    void statusShowsReachabilityAndCacheCounts() {
        service.lookup("alice@example.com");
        service.lookup("alice@example.com");
        DirectoryStatus status = service.status();
        assertTrue(status.configured());
        assertEquals("openldap", status.schema());
        assertTrue(status.reachable());
        assertNull(status.problem());
        assertEquals(1, status.cacheSize());
        assertEquals(1, status.cacheHits());
        assertEquals(1, status.cacheMisses());
        assertTrue(registry.find("portcullis.directory.ldap.latency").timer().count() >= 1);
    }

    @Test
    void disabledDirectoryAnswersNotConfigured() {
        DirectorySettings off = DirectorySettings.of(new TestDirectoryServer.TestConfig(false,
                java.util.Optional.empty(), java.util.Optional.empty(), java.util.Optional.empty(),
                java.util.Optional.empty(), "openldap"));
        DirectoryService disabled = new DirectoryService(off, s -> {
            throw new AssertionError("no directory client when disabled");
        }, new SimpleMeterRegistry(), ticker);
        assertEquals(LookupResult.Outcome.NOT_CONFIGURED, disabled.lookup("alice@example.com").outcome());
        assertFalse(disabled.status().configured());
        assertNull(disabled.status().reachable());
    }

    @Test
    void addressCheckRejectsWhatCannotBeAnAddressButKeepsFilterCharacters() {
        assertEquals("a*)(b@example.com", DirectoryService.checkAddress(" a*)(b@example.com ").orElseThrow());
        for (String bad : new String[] {null, "", "plain", "@example.com", "user@", "a b@example.com",
                "<a@example.com>", "a\u0000@example.com", "a\r\n@example.com", "x".repeat(400) + "@example.com"}) {
            assertTrue(DirectoryService.checkAddress(bad).isEmpty(), String.valueOf(bad));
        }
    }
}
