package io.portcullis.admin;

import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import io.smallrye.jwt.build.Jwt;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * Stands in for Keycloak: a key pair made for this test run; admin-api verifies tokens with the public key
 * ({@code quarkus.oidc.public-key}), tests sign Keycloak-shaped tokens with the private key.
 */
public class OidcTestKeys implements QuarkusTestResourceLifecycleManager {
    public static final String ISSUER = "https://keycloak.test/realms/portcullis";
    public static final String AUDIENCE = "portcullis-admin-api";
    private static final KeyPair KEYS = generate();
    private static final KeyPair OTHER_KEYS = generate();

    @Override
    public Map<String, String> start() {
        return Map.of("quarkus.oidc.public-key", Base64.getEncoder().encodeToString(KEYS.getPublic().getEncoded()),
                "quarkus.oidc.token.issuer", ISSUER);
    }

    @Override
    public void stop() {
    }

    /** A token shaped like Keycloak's: preferred_username, realm_access.roles, aud. */
    public static String token(String user, List<String> roles) {
        return token(user, roles, AUDIENCE, ISSUER, Instant.now().plusSeconds(300), false);
    }

    public static String token(String user, List<String> roles, String audience, String issuer, Instant expires,
            boolean wrongKey) {
        return Jwt.issuer(issuer)
                .subject(UUID.randomUUID().toString())
                .preferredUserName(user)
                .audience(audience)
                .claim("azp", "portcullis-console")
                .claim("realm_access", Map.of("roles", roles))
                .issuedAt(Instant.now().minusSeconds(10))
                .expiresAt(expires)
                .jws().keyId("test")
                .sign((wrongKey ? OTHER_KEYS : KEYS).getPrivate());
    }

    /** An end user's token: no roles, an {@code email} claim and {@code email_verified}. */
    public static String endUser(String user, String email, boolean verified) {
        return Jwt.issuer(ISSUER)
                .subject(UUID.randomUUID().toString())
                .preferredUserName(user)
                .audience(AUDIENCE)
                .claim("azp", "portcullis-console")
                .claim("realm_access", Map.of("roles", List.of("default-roles-portcullis")))
                .claim("email", email)
                .claim("email_verified", verified)
                .issuedAt(Instant.now().minusSeconds(10))
                .expiresAt(Instant.now().plusSeconds(300))
                .jws().keyId("test")
                .sign(KEYS.getPrivate());
    }

    private static KeyPair generate() {
        try {
            KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
            generator.initialize(2048);
            return generator.generateKeyPair();
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
