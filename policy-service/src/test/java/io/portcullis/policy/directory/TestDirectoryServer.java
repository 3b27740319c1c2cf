package io.portcullis.policy.directory;

import com.unboundid.ldap.listener.InMemoryDirectoryServer;
import com.unboundid.ldap.listener.InMemoryDirectoryServerConfig;
import com.unboundid.ldap.listener.InMemoryListenerConfig;
import com.unboundid.ldap.sdk.LDAPException;
import com.unboundid.ldif.LDIFReader;
import java.io.InputStream;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

/**
 * A real LDAP server for tests: UnboundID's in-memory directory, schema checking off (mailAlternateAddress,
 * proxyAddresses and AD's object classes are not in its standard schema), seeded from an LDIF resource, listening on
 * a loopback port. Bind {@value #BIND_DN} / {@value #BIND_PASSWORD} or anonymously.
 */
public final class TestDirectoryServer implements AutoCloseable {
    public static final String BIND_DN = "cn=portcullis,ou=services";
    public static final String BIND_PASSWORD = "directory-secret";
    public static final String OPENLDAP_BASE = "dc=example,dc=com";
    public static final String AD_BASE = "dc=corp,dc=example";

    private final InMemoryDirectoryServer server;
    private final String baseDn;

    private TestDirectoryServer(InMemoryDirectoryServer server, String baseDn) {
        this.server = server;
        this.baseDn = baseDn;
    }

    public static TestDirectoryServer openLdap() {
        return start(OPENLDAP_BASE, "/directory/openldap.ldif");
    }

    public static TestDirectoryServer activeDirectory() {
        return start(AD_BASE, "/directory/active-directory.ldif");
    }

    public static TestDirectoryServer start(String baseDn, String ldif) {
        try {
            InMemoryDirectoryServerConfig config = new InMemoryDirectoryServerConfig(baseDn);
            config.setSchema(null);
            config.addAdditionalBindCredentials(BIND_DN, BIND_PASSWORD);
            config.setListenerConfigs(InMemoryListenerConfig.createLDAPConfig("ldap",
                    java.net.InetAddress.getLoopbackAddress(), freePort(), null));
            InMemoryDirectoryServer server = new InMemoryDirectoryServer(config);
            try (InputStream in = TestDirectoryServer.class.getResourceAsStream(ldif)) {
                server.importFromLDIF(true, new LDIFReader(in));
            }
            server.startListening();
            return new TestDirectoryServer(server, baseDn);
        } catch (LDAPException | java.io.IOException e) {
            throw new IllegalStateException(e);
        }
    }

    /** A fixed port (not 0), so that a stopped server listens on the same port again. */
    private static int freePort() throws java.io.IOException {
        try (java.net.ServerSocket socket = new java.net.ServerSocket(0, 1,
                java.net.InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        }
    }

    public InMemoryDirectoryServer server() {
        return server;
    }

    public int port() {
        return server.getListenPort();
    }

    public String url() {
        return "ldap://127.0.0.1:" + port();
    }

    public String baseDn() {
        return baseDn;
    }

    /** Stops listening and drops every connection (the data stays). */
    public void stop() {
        server.shutDown(true);
    }

    /** The configuration a policy-service would have for this server. */
    public TestConfig config(String schema) {
        return new TestConfig(true, Optional.of(List.of(url())), Optional.of(BIND_DN), Optional.of(BIND_PASSWORD),
                Optional.of(baseDn), schema);
    }

    public DirectorySettings settings(String schema) {
        return DirectorySettings.of(config(schema));
    }

    @Override
    public void close() {
        server.shutDown(true);
    }

    /** A {@link io.portcullis.policy.config.PolicyConfig.Directory} with the defaults of the real mapping. */
    public record TestConfig(boolean enabled, Optional<List<String>> urls, Optional<String> bindDn,
            Optional<String> bindPassword, Optional<String> baseDn, String schema)
            implements io.portcullis.policy.config.PolicyConfig.Directory {

        public TestConfig withUrls(String... values) {
            return new TestConfig(enabled, Optional.of(List.of(values)), bindDn, bindPassword, baseDn, schema);
        }

        public TestConfig withBind(String dn, String password) {
            return new TestConfig(enabled, urls, Optional.ofNullable(dn), Optional.ofNullable(password), baseDn,
                    schema);
        }

        public TestConfig withBaseDn(String value) {
            return new TestConfig(enabled, urls, bindDn, bindPassword, Optional.ofNullable(value), schema);
        }

        @Override
        public Optional<String> userFilter() {
            return Optional.empty();
        }

        @Override
        public Optional<List<String>> mailAttributes() {
            return Optional.empty();
        }

        @Override
        public Optional<List<String>> aliasAttributes() {
            return Optional.empty();
        }

        @Override
        public Optional<List<String>> groupObjectClasses() {
            return Optional.empty();
        }

        @Override
        public Optional<List<String>> memberAttributes() {
            return Optional.empty();
        }

        @Override
        public int maxGroupDepth() {
            return 10;
        }

        @Override
        public Duration connectTimeout() {
            return Duration.ofSeconds(1);
        }

        @Override
        public Duration responseTimeout() {
            return Duration.ofSeconds(2);
        }

        @Override
        public int poolSize() {
            return 2;
        }

        @Override
        public Duration cacheTtl() {
            return Duration.ofMinutes(5);
        }

        @Override
        public Duration negativeCacheTtl() {
            return Duration.ofMinutes(1);
        }

        @Override
        public long cacheMaxEntries() {
            return 100;
        }
    }
}
