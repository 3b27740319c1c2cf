package io.portcullis.scanner.support;

import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import java.util.Map;

/**
 * A {@link LocalDnsServer} for {@code @QuarkusTest}s, with the DNSBL engine enabled against it: IP zone
 * {@code zen.test} (RBL_ZEN, 3.5) lists 1.2.3.4; domain zone {@code dbl.test} (URIBL_DBL, 6) lists {@value #LISTED}
 * and never answers for {@value #SLOW}.
 */
public class LocalDnsResource implements QuarkusTestResourceLifecycleManager {
    public static final String LISTED = "evil.com";
    public static final String SLOW = "slow.org";

    private LocalDnsServer server;

    @Override
    public Map<String, String> start() {
        server = new LocalDnsServer()
                .a("4.3.2.1.zen.test", 300, "127.0.0.2")
                .a(LISTED + ".dbl.test", 300, "127.0.1.2")
                .silent(SLOW + ".dbl.test");
        return Map.of("portcullis.scanner.dnsbl.enabled", "true",
                "portcullis.scanner.dnsbl.resolver", server.address(),
                "portcullis.scanner.dnsbl.ip-zones", "zen.test=RBL_ZEN:3.5",
                "portcullis.scanner.dnsbl.domain-zones", "dbl.test=URIBL_DBL:6",
                "portcullis.scanner.dnsbl.timeout", "0.3S",
                "portcullis.scanner.dnsbl.deadline", "1S");
    }

    @Override
    public void stop() {
        if (server != null) {
            server.close();
        }
    }
}
