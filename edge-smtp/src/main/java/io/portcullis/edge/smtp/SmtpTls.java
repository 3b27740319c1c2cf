package io.portcullis.edge.smtp;

import io.vertx.core.net.KeyCertOptions;
import io.vertx.core.net.PemKeyCertOptions;
import io.vertx.core.net.SelfSignedCertificate;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

/** Ways to obtain the STARTTLS key and certificate for {@link SmtpServerOptions#withTls}. */
public final class SmtpTls {

    private SmtpTls() {
    }

    /**
     * PEM certificate (chain) and private key files.
     *
     * @throws IllegalArgumentException when a file is missing or unreadable
     */
    public static KeyCertOptions pem(String certPath, String keyPath) {
        for (String file : new String[] {certPath, keyPath}) {
            if (!Files.isReadable(Path.of(file))) {
                throw new IllegalArgumentException("TLS file not readable: " + file);
            }
        }
        return new PemKeyCertOptions().setCertPath(certPath).setKeyPath(keyPath);
    }

    /** A certificate for {@code hostname} generated now (temporary files; clients will not trust it). */
    public static KeyCertOptions selfSigned(String hostname) {
        return SelfSignedCertificate.create(hostname).keyCertOptions();
    }

    /**
     * The configured PEM pair, or a self-signed certificate when neither is configured.
     *
     * @throws IllegalArgumentException when only one of the two paths is configured
     */
    public static KeyCertOptions configuredOrSelfSigned(Optional<String> certPath, Optional<String> keyPath,
            String hostname) {
        if (certPath.isPresent() != keyPath.isPresent()) {
            throw new IllegalArgumentException("configure both the TLS certificate and key, or neither");
        }
        return certPath.isPresent() ? pem(certPath.get(), keyPath.get()) : selfSigned(hostname);
    }
}
