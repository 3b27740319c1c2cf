package io.portcullis.scanner.signatures;

import io.portcullis.av.SignatureSet;
import java.time.Instant;
import java.util.Objects;

/**
 * One complete, immutable signature set and where it came from. The antivirus engine reads the current one once per
 * message and scans every item of that message with it.
 *
 * @param version  {@code base} (bundled database only), {@code local-<hash>} (bundled + configured directories), or
 *                 the version of the signature bundle loaded on top of them
 * @param set      the loaded signatures (bundled base database always included)
 * @param loadedAt when the set was built
 * @param source   human-readable origin, e.g. {@code bundled}, {@code bundled+dirs},
 *                 {@code bundle portcullis-signatures/bundles/2026112701.tar (publish)}
 */
public record LoadedSignatures(String version, SignatureSet set, Instant loadedAt, String source) {
    public LoadedSignatures {
        Objects.requireNonNull(version, "version");
        Objects.requireNonNull(set, "set");
        Objects.requireNonNull(loadedAt, "loadedAt");
        Objects.requireNonNull(source, "source");
    }
}
