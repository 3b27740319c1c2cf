package io.portcullis.policy.directory;

import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import java.util.Map;

/** Starts the in-memory LDAP server (OpenLDAP layout) and points policy-service's directory at it. */
public class DirectoryServerResource implements QuarkusTestResourceLifecycleManager {

    /** The running server, for tests that stop and restart it. */
    public static volatile TestDirectoryServer server;

    @Override
    public Map<String, String> start() {
        server = TestDirectoryServer.openLdap();
        String p = "portcullis.policy.directory.";
        return Map.of(p + "enabled", "true", p + "urls", server.url(), p + "base-dn", server.baseDn(),
                p + "bind-dn", TestDirectoryServer.BIND_DN, p + "bind-password", TestDirectoryServer.BIND_PASSWORD,
                p + "schema", "openldap", p + "connect-timeout", "1s", p + "response-timeout", "2s");
    }

    @Override
    public void stop() {
        if (server != null) {
            server.close();
        }
    }
}
