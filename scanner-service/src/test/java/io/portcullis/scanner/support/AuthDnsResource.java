package io.portcullis.scanner.support;

import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import io.portcullis.mailauth.dkim.DkimSigner;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.NoSuchAlgorithmException;
import java.util.Base64;
import java.util.Map;

/**
 * A {@link LocalDnsServer} zone for {@code @QuarkusTest}s of the SPF/DKIM/DMARC engine, which it enables against it:
 * {@code reject.test} (SPF 192.0.2.10 only, DMARC p=reject), {@code signed.test} (SPF 192.0.2.10, DKIM selector
 * {@code s1} with a key generated here, DMARC p=reject), {@code slow.test} (its _dmarc record never answers). The
 * private key is handed to the test as config {@code auth-test.dkim-private-key} (PKCS#8, base64).
 */
public class AuthDnsResource implements QuarkusTestResourceLifecycleManager {
    public static final String KEY_PROPERTY = "auth-test.dkim-private-key";

    private LocalDnsServer server;

    @Override
    public Map<String, String> start() {
        KeyPair key;
        try {
            KeyPairGenerator g = KeyPairGenerator.getInstance("RSA");
            g.initialize(1024);
            key = g.generateKeyPair();
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
        server = new LocalDnsServer()
                .txt("reject.test", "v=spf1 ip4:192.0.2.10 -all")
                .txt("_dmarc.reject.test", "v=DMARC1; p=reject")
                .txt("signed.test", "v=spf1 ip4:192.0.2.10 -all")
                .txt("_dmarc.signed.test", "v=DMARC1; p=reject")
                .txt("s1._domainkey.signed.test", DkimSigner.keyRecord(key.getPublic()))
                .txt("slow.test", "v=spf1 ip4:192.0.2.10 -all")
                .silent("_dmarc.slow.test");
        return Map.of("portcullis.scanner.auth.enabled", "true",
                "portcullis.scanner.auth.resolver", server.address(),
                "portcullis.scanner.auth.timeout", "0.3S",
                "portcullis.scanner.auth.deadline", "1S",
                KEY_PROPERTY, Base64.getEncoder().encodeToString(key.getPrivate().getEncoded()));
    }

    @Override
    public void stop() {
        if (server != null) {
            server.close();
        }
    }
}
