package io.portcullis.mailauth.dkim;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.PrivateKey;
import java.security.interfaces.RSAPrivateKey;
import java.security.spec.PKCS8EncodedKeySpec;
import java.util.Base64;
import java.util.Locale;
import java.util.Objects;

/**
 * One DKIM signing key: the signing domain ({@code d=}), the selector ({@code s=}) and the private key, RSA (at
 * least 1024 bits, RFC 8301) or Ed25519 (RFC 8463).
 *
 * @param domain   signing domain, lower case
 * @param selector selector
 * @param key      the private key
 */
public record DkimKey(String domain, String selector, PrivateKey key) {

    /** The signature algorithm of a key: {@code a=}. */
    public enum Algorithm {
        RSA_SHA256("rsa-sha256"), ED25519_SHA256("ed25519-sha256");

        private final String tag;

        Algorithm(String tag) {
            this.tag = tag;
        }

        /** The value of {@code a=}. */
        public String tag() {
            return tag;
        }
    }

    public DkimKey {
        Objects.requireNonNull(key, "key");
        domain = domain.toLowerCase(Locale.ROOT);
    }

    public Algorithm algorithm() {
        return key instanceof RSAPrivateKey ? Algorithm.RSA_SHA256 : Algorithm.ED25519_SHA256;
    }

    /**
     * Parses {@code domain:selector:/path/key.pem} and reads the key.
     *
     * @throws IllegalArgumentException naming the entry when it is malformed or the key unusable
     */
    public static DkimKey parse(String entry) {
        String e = entry.strip();
        String[] parts = e.split(":", 3);
        if (parts.length != 3 || parts[0].isBlank() || parts[1].isBlank() || parts[2].isBlank()) {
            throw new IllegalArgumentException("expected domain:selector:/path/key.pem, got '" + entry + "'");
        }
        String domain = parts[0].strip().toLowerCase(Locale.ROOT);
        String selector = parts[1].strip();
        if (!DomainNames.valid(domain)) {
            throw new IllegalArgumentException("'" + domain + "' is not a domain name in '" + entry + "'");
        }
        if (!selector.matches("[A-Za-z0-9_-]+(\\.[A-Za-z0-9_-]+)*") || selector.length() > 63) {
            throw new IllegalArgumentException("'" + selector + "' is not a DKIM selector in '" + entry + "'");
        }
        Path path = Path.of(parts[2].strip());
        String pem;
        try {
            pem = Files.readString(path, StandardCharsets.US_ASCII);
        } catch (IOException | RuntimeException ex) {
            throw new IllegalArgumentException("cannot read key file " + path + " of " + domain + ":" + selector
                    + ": " + ex, ex);
        }
        return new DkimKey(domain, selector, privateKey(pem, domain + ":" + selector + " (" + path + ")"));
    }

    /** A PKCS#8 PEM private key ({@code BEGIN PRIVATE KEY}), RSA of 1024 bits or more, or Ed25519. */
    static PrivateKey privateKey(String pem, String what) {
        int begin = pem.indexOf("-----BEGIN PRIVATE KEY-----");
        int end = pem.indexOf("-----END PRIVATE KEY-----");
        if (begin < 0 || end < begin) {
            String hint = pem.contains("BEGIN RSA PRIVATE KEY") ? " (PKCS#1: convert it with "
                    + "'openssl pkcs8 -topk8 -nocrypt')" : pem.contains("ENCRYPTED") ? " (encrypted keys are not "
                    + "supported)" : "";
            throw new IllegalArgumentException("key " + what + " is not a PKCS#8 PEM private key" + hint);
        }
        byte[] der;
        try {
            der = Base64.getMimeDecoder().decode(pem.substring(begin + 27, end));
        } catch (IllegalArgumentException ex) {
            throw new IllegalArgumentException("key " + what + ": bad base64 in the PEM", ex);
        }
        for (String type : new String[] {"RSA", "Ed25519"}) {
            try {
                PrivateKey key = KeyFactory.getInstance(type).generatePrivate(new PKCS8EncodedKeySpec(der));
                if (key instanceof RSAPrivateKey rsa && rsa.getModulus().bitLength() < 1024) {
                    throw new IllegalArgumentException("key " + what + ": RSA key of " + rsa.getModulus().bitLength()
                            + " bits; DKIM needs at least 1024 (RFC 8301), 2048 recommended");
                }
                return key;
            } catch (GeneralSecurityException ex) {
                // try the next type
            }
        }
        throw new IllegalArgumentException("key " + what + " is neither an RSA nor an Ed25519 PKCS#8 key");
    }
}
